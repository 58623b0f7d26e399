import type { Coin } from '@fleet/contracts';
import { readCommitted } from '@fleet/event-sourcing';
import { Injectable } from '@nestjs/common';
import { Between, DataSource, type EntityManager } from 'typeorm';
import { HashValueEntity } from '../../hash-values/read-model/hash-value.entity';
import { daysOf } from '../../periods/domain/calendar';
import { PayoutEntity } from '../../periods/read-model/payout.entity';
import { PeriodEntity } from '../../periods/read-model/period.entity';
import { rigTimeOfDays } from '../../rig-time/domain/rig-time-of-days';
import { DAY_MS, dayOf, dayStartMs } from '../../rig-time/domain/utc-days';
import { RigTimeReadModel } from '../../rig-time/read-model/rig-time.read-model';
import type { ReconciliationInputs } from '../domain/reconcile';
import { PoolAssignmentEntity } from './pool-assignment.entity';

/**
 * How far a payout's period may reach from the day it was paid: payouts are read by their day, so
 * one paid more than this after (or before) the days it covers is not counted for them.
 */
export const PAYOUT_PERIOD_REACH_DAYS = 31;

/** Everything a month's reconciliation needs, read in one transaction. */
@Injectable()
export class ReconciliationReadModel {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rigTime: RigTimeReadModel,
  ) {}

  inputsOf(
    facilityId: string,
    month: string,
    nowMs: number,
    tolerancePercent: string,
  ): Promise<ReconciliationInputs> {
    const days = daysOf(month);
    const first = days[0];
    const last = days[days.length - 1];
    return readCommitted(this.dataSource, async (reader) => {
      const payouts = (
        await reader.getRepository(PayoutEntity).find({
          where: {
            facilityId,
            day: Between(
              dayOf(dayStartMs(first) - PAYOUT_PERIOD_REACH_DAYS * DAY_MS),
              dayOf(dayStartMs(last) + PAYOUT_PERIOD_REACH_DAYS * DAY_MS),
            ),
          },
          order: { id: 'ASC' },
        })
      ).filter(
        (payout) =>
          Date.parse(payout.periodStart) < dayStartMs(last) + DAY_MS &&
          Date.parse(payout.periodEnd) >= dayStartMs(first),
      );
      const hashValues = await reader.getRepository(HashValueEntity).findBy({ date: Between(first, last) });
      const shares = new Map<Coin, Map<string, string>>();
      for (const row of await reader.getRepository(PoolAssignmentEntity).findBy({ facilityId }))
        shares.set(
          row.coin,
          (shares.get(row.coin) ?? new Map<string, string>()).set(row.pool, row.hashrateShare),
        );
      const { online } = rigTimeOfDays(await this.rigTime.sumsUpTo(facilityId, last, reader), days, nowMs);
      return {
        days,
        nowMs,
        payouts,
        hashValues: new Map(hashValues.map((row) => [`${row.coin}/${row.date}`, row.coinPerUnitPerDay])),
        poolShares: shares,
        online,
        tolerancePercent,
      };
    });
  }

  /** The months still open of every facility with a booking: where a variance may still appear. */
  async openMonths(manager?: EntityManager): Promise<{ facilityId: string; month: string }[]> {
    const read = (reader: EntityManager) => reader.getRepository(PeriodEntity).findBy({ status: 'open' });
    const rows = manager ? await read(manager) : await readCommitted(this.dataSource, read);
    return rows.map(({ facilityId, month }) => ({ facilityId, month }));
  }
}
