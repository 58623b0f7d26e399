import type { Coin } from '@fleet/contracts';
import {
  DomainError,
  handleCommands,
  inCommandTransaction,
  isUniqueViolation,
  selectRows,
  type EventStore,
  type StreamCommand,
  UniquenessViolationError,
} from '@fleet/event-sourcing';
import { EVENT_STORE, eventMetadata, type RequestContext } from '@fleet/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { bookingPeriod } from '../domain/booking-period';
import { dayOf, monthOf } from '../domain/calendar';
import type { PayoutToRecord, RecordPayouts } from '../domain/period.commands';
import { periodDecider } from '../domain/period.decider';
import { PERIOD_STREAM_TYPE, payoutKeyOf, periodStreamId } from '../domain/period-id';
import type { PeriodState } from '../domain/period.state';
import { toPayoutView, type PayoutView } from '../read-model/period.views';
import { PeriodsReadModel } from '../read-model/periods.read-model';
import { priceRowIdOf, pricesTable } from '../../prices/read-model/price.entity';

/**
 * Every payout of a facility's month appends to the month's one stream, so payouts sent at once (a
 * pool's webhook firing per payout) conflict with each other; each attempt is cheap, and the
 * default of 3 retries runs out at a burst of five.
 */
const MAX_RETRIES_ON_CONFLICT = 10;

/** A payout as a pool reports it, its amount already in base units. */
export interface PayoutInput {
  readonly facilityId: string;
  readonly pool: string;
  readonly txid: string;
  readonly coin: Coin;
  readonly amount: bigint;
  readonly paidAt: string;
  readonly periodStart: string;
  readonly periodEnd: string;
}

export interface RecordedPayouts {
  /** One per payout given, in order: the payout as first booked (a repeat answers the first). */
  readonly payouts: readonly PayoutView[];
  /** How many were booked now; the others were booked before. */
  readonly recorded: number;
}

/**
 * Books payouts, all in one transaction: each (pool, txid) not booked before goes to the month of
 * its UTC day, or to the first open month after it when that one is closed (a late entry), valued
 * at its day's fixing if there is one. `POST /payouts` books one, `POST /payouts/import` a pool
 * statement.
 */
@Injectable()
export class RecordPayoutsHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: PeriodsReadModel,
  ) {}

  async record(inputs: readonly PayoutInput[], context: RequestContext): Promise<RecordedPayouts> {
    try {
      return await this.attempt(inputs, context);
    } catch (error) {
      if (!raceLost(error)) throw error;
      return this.attempt(inputs, context);
    }
  }

  private attempt(inputs: readonly PayoutInput[], context: RequestContext): Promise<RecordedPayouts> {
    return inCommandTransaction(this.store, MAX_RETRIES_ON_CONFLICT, async (session) => {
      const { manager } = session;
      const keys = [...new Set(inputs.map(payoutKeyOf))];
      const known = new Set((await this.readModel.findPayouts(manager, keys)).map((row) => row.id));
      const fresh = new Map<string, PayoutInput>();
      for (const input of inputs) {
        const key = payoutKeyOf(input);
        if (!known.has(key) && !fresh.has(key)) fresh.set(key, input);
      }
      const fixings = await selectRows(
        manager,
        pricesTable,
        ['id'],
        [...fresh.values()].map((input) => ({ id: priceRowIdOf(input.coin, dayOf(input.paidAt)) })),
      );
      const fixingOf = new Map(fixings.map((row) => [row.id, row.usd]));

      for (const [facilityId, payouts] of groupBy([...fresh.values()], (input) => input.facilityId)) {
        const closed = await this.readModel.closedMonths(facilityId, manager);
        const byPeriod = groupBy(payouts, (input) => bookingPeriod(monthOf(dayOf(input.paidAt)), closed));
        const commands: StreamCommand<RecordPayouts, PeriodState>[] = [...byPeriod].map(([period, list]) => ({
          streamId: periodStreamId(facilityId, period),
          command: {
            type: 'RecordPayouts',
            data: {
              facilityId,
              period,
              payouts: list.map((input): PayoutToRecord => ({
                pool: input.pool,
                txid: input.txid,
                coin: input.coin,
                amount: input.amount,
                paidAt: input.paidAt,
                periodStart: input.periodStart,
                periodEnd: input.periodEnd,
                fixingUsd: fixingOf.get(priceRowIdOf(input.coin, dayOf(input.paidAt))) ?? null,
              })),
            },
          },
        }));
        await handleCommands(session, periodDecider, commands, {
          streamType: PERIOD_STREAM_TYPE,
          metadata: eventMetadata(context, facilityId),
        });
      }

      const rows = new Map((await this.readModel.findPayouts(manager, keys)).map((row) => [row.id, row]));
      const payouts = inputs.map((input) => {
        const row = rows.get(payoutKeyOf(input));
        if (!row)
          throw new Error(
            `payout ${payoutKeyOf(input)} was booked but has no row: is PayoutsProjection registered?`,
          );
        return toPayoutView(row);
      });
      return { payouts, recorded: fresh.size };
    });
  }
}

/**
 * Another request won a race this one can only see once it has committed: it booked the same payout
 * in another month's stream (`payouts` refused ours), or closed the month between our read of the
 * closed months and the month's stream. The second attempt reads what it did and books accordingly.
 */
function raceLost(error: unknown): boolean {
  if (error instanceof UniquenessViolationError || isUniqueViolation(error)) return true;
  return error instanceof DomainError && error.code === 'period-closed';
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
