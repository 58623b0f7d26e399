import { randomUUID } from 'node:crypto';
import {
  inCommandTransaction,
  loadAggregate,
  type EventMetadata,
  type EventStore,
  type EventStoreSession,
  type LoadedAggregate,
} from '@fleet/event-sourcing';
import { EVENT_STORE } from '@fleet/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { DayFigure } from '../../domain/energy.commands';
import { energyDecider, energySnapshots } from '../../domain/energy.decider';
import { dayBoundaries, dayOf, daysBetween, nextDay } from '../../domain/energy-days';
import { decimalString, EnergyDecimal } from '../../domain/energy-decimal';
import { energyStreamId } from '../../domain/energy-id';
import type { EnergyState } from '../../domain/energy.state';
import { EnergyReadModel } from '../../read-model/energy.read-model';
import { EnergyCommandHandler } from '../energy-command.handler';

/** A facility down for longer catches up this many days a round (the next round goes on). */
const MAX_DAYS_PER_ROUND = 62;
/** Two instances publishing the same day conflict: the loser retries, finds the day published, and stops. */
const MAX_RETRIES = 5;

/**
 * Publishes each facility's `EnergyCostAccrued` once a UTC day is over, and again when the day's
 * figure changes. The facility's energy stream is the durable record of what was published: a day
 * is published when its stream says so, whichever instance did it, before or after a restart.
 */
@Injectable()
export class EnergyCostAccrual {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: EnergyReadModel,
    private readonly energy: EnergyCommandHandler,
  ) {}

  /**
   * Publishes every day that is over at `now` and not yet published, for every facility with a
   * capacity record, from the day of its first capacity on. Answers how many days it published.
   */
  async accrueDueDays(now: Date): Promise<number> {
    const facilities = await this.store.transaction((session) => this.readModel.facilities(session.manager));
    const yesterday = dayOf(now.getTime() - 86_400_000);
    let published = 0;
    for (const { facilityId, sinceMs } of facilities)
      published += await inCommandTransaction(this.store, MAX_RETRIES, async (session) => {
        const streamId = energyStreamId(facilityId);
        const loaded = await loadAggregate(session, energyDecider, streamId, energySnapshots);
        const first =
          loaded.state.accruedThrough === null ? dayOf(sinceMs) : nextDay(loaded.state.accruedThrough);
        const days = daysBetween(first, yesterday).slice(0, MAX_DAYS_PER_ROUND);
        if (days.length === 0) return 0;
        const { events } = await this.energy.execute(
          session,
          {
            type: 'AccrueEnergyCost',
            data: { facilityId, days: await this.figures(session, facilityId, days) },
          },
          systemMetadata(facilityId, now),
          { loaded },
        );
        return events.length;
      });
    return published;
  }

  /**
   * Publishes again, in the caller's transaction, the days among `days` that are published already
   * and whose figure is no longer the published one (late or corrected readings, late prices, a
   * tariff from an earlier date). `loaded` is the stream as the caller's command left it, so it is
   * not read again. Answers how many it published and the stream's version after.
   */
  async correct(
    session: EventStoreSession,
    facilityId: string,
    days: readonly string[] | { readonly from: string },
    metadata: EventMetadata,
    loaded: LoadedAggregate<EnergyState>,
  ): Promise<{ corrected: number; version: number }> {
    const candidates =
      'from' in days ? [...loaded.state.accrued.keys()].filter((day) => day >= days.from) : days;
    const published = [...new Set(candidates)].filter((day) => loaded.state.accrued.has(day)).sort();
    if (published.length === 0) return { corrected: 0, version: loaded.version };
    // One read of the whole span, then the days asked for.
    const span = daysBetween(published[0], published[published.length - 1]);
    const wanted = new Set(published);
    const figures = (await this.figures(session, facilityId, span)).filter((figure) =>
      wanted.has(figure.day),
    );
    const { events, version } = await this.energy.execute(
      session,
      { type: 'AccrueEnergyCost', data: { facilityId, days: figures } },
      metadata,
      { loaded },
    );
    return { corrected: events.length, version };
  }

  /** The figures of consecutive days as the readings, the load and the tariff give them now. */
  private async figures(
    session: EventStoreSession,
    facilityId: string,
    days: readonly string[],
  ): Promise<DayFigure[]> {
    const { intervals } = await this.readModel.intervals(session.manager, facilityId, dayBoundaries(days));
    const accruals = await this.readModel.accruals(session.manager, facilityId, days);
    return intervals.map((interval, index) => ({
      day: days[index],
      kwh: decimalString(interval.kwh),
      // The contract's USD is never negative: a day of negative market prices costs nothing.
      usd: decimalString(EnergyDecimal.max(interval.usd ?? 0, 0)),
      basis: interval.basis,
      latestEventId: accruals.get(days[index])?.eventId ?? null,
    }));
  }
}

/** Power's own publication: no request caused it. */
function systemMetadata(facilityId: string, now: Date): EventMetadata {
  return {
    correlationId: randomUUID(),
    causationId: null,
    actor: 'service:power',
    facilityId,
    occurredAt: now.toISOString(),
  };
}
