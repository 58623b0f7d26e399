import type { PriceInterval } from '@fleet/contracts';
import { deleteRows, insertRows } from '@fleet/event-sourcing';
import { Injectable } from '@nestjs/common';
import { MoreThan, type EntityManager } from 'typeorm';
import type { IntervalPrice } from '../domain/price-rule';
import { IntervalPriceEntity, intervalPriceId, intervalPricesTable } from './interval-price.entity';

/** `power_interval_prices`, always in the caller's transaction (the price rule's, under the facility's lock). */
@Injectable()
export class IntervalPricesReadModel {
  /** Records posted prices; a later posting of an interval replaces its price. */
  async record(
    manager: EntityManager,
    facilityId: string,
    intervals: readonly PriceInterval[],
  ): Promise<void> {
    const rows = new Map(
      intervals.map((interval) => {
        const start = new Date(interval.start);
        const startsAt = start.toISOString();
        const endsAt = new Date(start.getTime() + interval.minutes * 60_000).toISOString();
        const id = intervalPriceId(facilityId, startsAt);
        return [id, { id, facilityId, startsAt, endsAt, usdPerMwh: interval.usdPerMwh }];
      }),
    );
    const keys = [...rows.keys()].map((id) => ({ id }));
    await deleteRows(manager, intervalPricesTable, ['id'], keys);
    await insertRows(manager, intervalPricesTable, [...rows.values()]);
  }

  /** The facility's intervals that end after `now`. */
  async comingIn(manager: EntityManager, facilityId: string, now: Date): Promise<IntervalPrice[]> {
    return manager.getRepository(IntervalPriceEntity).find({
      where: { facilityId, endsAt: MoreThan(now.toISOString()) },
      order: { startsAt: 'ASC' },
    });
  }
}
