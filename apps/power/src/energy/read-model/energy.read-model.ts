import type { Tariff } from '@fleet/contracts';
import { Injectable } from '@nestjs/common';
import { selectRows } from '@fleet/event-sourcing';
import { Between, LessThan, type EntityManager } from 'typeorm';
import { businessNow } from '@fleet/service-kit';
import {
  energyOfInterval,
  tariffAt,
  type DatedTariff,
  type IntervalEnergy,
  type LoadChange,
} from '../domain/energy-intervals';
import { EnergyCostAccrualEntity, type EnergyCostAccrualRow } from './energy-cost-accrual.entity';
import { EnergyLoadChangeEntity } from './energy-load-change.entity';
import {
  EnergyMeterReadingEntity,
  energyMeterReadingsTable,
  type EnergyMeterReadingRow,
} from './energy-meter-reading.entity';
import { EnergyPriceEntity } from './energy-price.entity';
import { EnergyTariffEntity } from './energy-tariff.entity';

/** The longest reading or price interval: one that starts this long before a range may reach into it. */
const LONGEST_INTERVAL_MS = 60 * 60_000;

const iso = (ms: number) => new Date(ms).toISOString();

/** A facility that has a capacity record, and when its load was first recorded. */
export interface EnergyFacility {
  readonly facilityId: string;
  readonly sinceMs: number;
}

/** Reads of the energy tables, inside the caller's transaction (a command's, or a query's). */
@Injectable()
export class EnergyReadModel {
  /**
   * The energy of each interval `[boundaries[i], boundaries[i + 1])`: the readings, the estimate
   * from the load change points and the cost under the tariff in force.
   */
  async intervals(
    manager: EntityManager,
    facilityId: string,
    boundaries: readonly number[],
  ): Promise<{ tariff: Tariff | null; intervals: IntervalEnergy[] }> {
    const fromMs = boundaries[0];
    const toMs = boundaries[boundaries.length - 1];
    // One statement at a time: a transaction's connection runs one query at once.
    const changes = await this.loadChanges(manager, facilityId, fromMs, toMs);
    const readings = await manager.getRepository(EnergyMeterReadingEntity).find({
      where: { facilityId, intervalStart: Between(iso(fromMs), iso(toMs - 1)) },
      order: { intervalStart: 'ASC' },
    });
    const prices = await manager.getRepository(EnergyPriceEntity).find({
      where: { facilityId, start: Between(iso(fromMs - LONGEST_INTERVAL_MS), iso(toMs - 1)) },
      order: { start: 'ASC' },
    });
    const tariffs = await this.tariffs(manager, facilityId);
    const readingsOf = readings.map((row) => ({
      meterId: row.meterId,
      startMs: Date.parse(row.intervalStart),
      minutes: Number(row.intervalMinutes),
      kwh: row.kwh,
    }));
    const pricesOf = prices.map((row) => ({
      startMs: Date.parse(row.start),
      minutes: Number(row.minutes),
      usdPerMwh: row.usdPerMwh,
    }));
    const intervals: IntervalEnergy[] = [];
    for (let index = 0; index + 1 < boundaries.length; index++) {
      const [startMs, endMs] = [boundaries[index], boundaries[index + 1]];
      intervals.push(
        energyOfInterval(
          startMs,
          endMs,
          changes,
          readingsOf.filter((reading) => reading.startMs >= startMs && reading.startMs < endMs),
          tariffs,
          pricesOf.filter(
            (price) =>
              price.startMs < endMs && price.startMs + price.minutes * 60_000 > startMs - LONGEST_INTERVAL_MS,
          ),
        ),
      );
    }
    return { tariff: tariffAt(tariffs, businessNow().getTime()), intervals };
  }

  /** The facility's tariffs by `effectiveFrom` (a handful: a tariff changes with a contract). */
  async tariffs(manager: EntityManager, facilityId: string): Promise<DatedTariff[]> {
    const rows = await manager
      .getRepository(EnergyTariffEntity)
      .find({ where: { facilityId }, order: { since: 'ASC' } });
    return rows.map((row) => ({
      sinceMs: Date.parse(row.since),
      tariff:
        row.type === 'fixed' && row.usdPerKwh !== null
          ? { type: 'fixed', usdPerKwh: row.usdPerKwh }
          : { type: 'market' },
    }));
  }

  /** The change points in force over `[fromMs, toMs)`: the last one before it and those within. */
  async loadChanges(
    manager: EntityManager,
    facilityId: string,
    fromMs: number,
    toMs: number,
  ): Promise<LoadChange[]> {
    const repository = manager.getRepository(EnergyLoadChangeEntity);
    const before = await repository.findOne({
      where: { facilityId, at: LessThan(iso(fromMs)) },
      order: { at: 'DESC', seq: 'DESC' },
    });
    const within = await repository.find({
      where: { facilityId, at: Between(iso(fromMs), iso(toMs - 1)) },
      order: { seq: 'ASC' },
    });
    return [...(before ? [before] : []), ...within].map((row) => ({
      atMs: Date.parse(row.at),
      itWatts: Number(row.itWatts),
      pueMilli: Number(row.pueMilli),
    }));
  }

  /** Every facility with a capacity record (its first change point is its capacity's). */
  async facilities(manager: EntityManager): Promise<EnergyFacility[]> {
    const rows = await manager
      .getRepository(EnergyLoadChangeEntity)
      .createQueryBuilder('change')
      .select('change.facility_id', 'facilityId')
      .addSelect('MIN(change.at)', 'since')
      .groupBy('change.facility_id')
      .orderBy('change.facility_id')
      .getRawMany<{ facilityId: string; since: string }>();
    return rows.map((row) => ({ facilityId: row.facilityId, sinceMs: Date.parse(row.since) }));
  }

  /** Whether the facility has a capacity record (its first change point is its capacity's). */
  hasCapacity(manager: EntityManager, facilityId: string): Promise<boolean> {
    return manager.getRepository(EnergyLoadChangeEntity).existsBy({ facilityId });
  }

  async accruals(
    manager: EntityManager,
    facilityId: string,
    days: readonly string[],
  ): Promise<Map<string, EnergyCostAccrualRow>> {
    if (days.length === 0) return new Map();
    const rows = await manager
      .getRepository(EnergyCostAccrualEntity)
      .find({ where: { facilityId, day: Between(days[0], days[days.length - 1]) } });
    return new Map(rows.map((row) => [row.day, { ...row, revision: Number(row.revision) }]));
  }

  /** The readings recorded for these meters and interval starts, keyed `meterId intervalStart` (ISO). */
  async readingsAt(
    manager: EntityManager,
    facilityId: string,
    keys: readonly { meterId: string; intervalStart: string }[],
  ): Promise<Map<string, EnergyMeterReadingRow>> {
    const rows = await selectRows(
      manager,
      energyMeterReadingsTable,
      ['facilityId', 'meterId', 'intervalStart'],
      keys.map(({ meterId, intervalStart }) => ({ facilityId, meterId, intervalStart })),
    );
    return new Map(rows.map((row) => [readingKey(row.meterId, row.intervalStart), row]));
  }
}

/** A reading's key: its meter and its interval start as `toISOString` spells it. */
export function readingKey(meterId: string, intervalStart: string): string {
  return `${meterId} ${new Date(intervalStart).toISOString()}`;
}
