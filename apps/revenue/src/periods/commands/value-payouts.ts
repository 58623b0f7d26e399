import {
  handleCommands,
  selectRows,
  type EventMetadata,
  type EventStoreSession,
  type StreamCommand,
} from '@fleet/event-sourcing';
import type { FixingToApply, ValuePayouts } from '../domain/period.commands';
import { periodDecider } from '../domain/period.decider';
import { PERIOD_STREAM_TYPE, periodStreamId } from '../domain/period-id';
import type { PeriodState } from '../domain/period.state';
import { payoutsTable } from '../read-model/payout.entity';

/**
 * Values, in the caller's transaction, every payout booked in coin alone whose coin and day have
 * one of these fixings: one `ValuePayouts` per facility month that holds such payouts. Answers how
 * many payouts it valued.
 */
export async function valuePayoutsAt(
  session: EventStoreSession,
  fixings: readonly FixingToApply[],
  metadataOf: (facilityId: string) => EventMetadata,
): Promise<number> {
  const unvalued = (
    await selectRows(
      session.manager,
      payoutsTable,
      ['coin', 'day'],
      fixings.map(({ coin, day }) => ({ coin, day })),
    )
  ).filter((row) => row.usd === null);
  const months = new Map<string, { facilityId: string; period: string }>();
  for (const row of unvalued)
    months.set(`${row.facilityId}/${row.period}`, { facilityId: row.facilityId, period: row.period });

  let valued = 0;
  const byFacility = new Map<string, StreamCommand<ValuePayouts, PeriodState>[]>();
  for (const { facilityId, period } of months.values()) {
    const commands = byFacility.get(facilityId) ?? [];
    commands.push({
      streamId: periodStreamId(facilityId, period),
      command: { type: 'ValuePayouts', data: { facilityId, period, fixings } },
    });
    byFacility.set(facilityId, commands);
  }
  for (const [facilityId, commands] of byFacility) {
    const { results } = await handleCommands(session, periodDecider, commands, {
      streamType: PERIOD_STREAM_TYPE,
      metadata: metadataOf(facilityId),
    });
    valued += results.reduce((sum, result) => sum + result.events.length, 0);
  }
  return valued;
}
