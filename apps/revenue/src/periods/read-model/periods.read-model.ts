import { readCommitted, selectRows } from '@fleet/event-sourcing';
import { Injectable } from '@nestjs/common';
import { DataSource, LessThanOrEqual, type EntityManager } from 'typeorm';
import { EnergyDayEntity, energyDayIdOf, type EnergyDayRow } from './energy-day.entity';
import { JournalLineEntity, type JournalLineRow } from './journal-line.entity';
import { payoutsTable, type PayoutRow } from './payout.entity';
import { PeriodEntity, periodRowIdOf, type PeriodRow } from './period.entity';

/**
 * Reads of revenue's facility months. Outside a transaction they take the database lock (SQLite has
 * one connection for the process); inside one, callers pass the session's manager.
 */
@Injectable()
export class PeriodsReadModel {
  constructor(private readonly dataSource: DataSource) {}

  /** The facility's closed months: where nothing may be booked any more. */
  closedMonths(facilityId: string, manager?: EntityManager): Promise<Set<string>> {
    return this.read(manager, async (reader) => {
      const rows = await reader.getRepository(PeriodEntity).findBy({ facilityId, status: 'closed' });
      return new Set(rows.map((row) => row.month));
    });
  }

  /** Whether anything was ever booked for the facility (any month). */
  hasBookings(facilityId: string): Promise<boolean> {
    return this.read(undefined, (reader) => reader.getRepository(PeriodEntity).existsBy({ facilityId }));
  }

  findPeriod(facilityId: string, month: string, manager?: EntityManager): Promise<PeriodRow | null> {
    return this.read(manager, (reader) =>
      reader.getRepository(PeriodEntity).findOneBy({ id: periodRowIdOf(facilityId, month) }),
    );
  }

  findPayouts(manager: EntityManager, ids: readonly string[]): Promise<PayoutRow[]> {
    return selectRows(
      manager,
      payoutsTable,
      ['id'],
      ids.map((id) => ({ id })),
    );
  }

  findEnergyDay(manager: EntityManager, facilityId: string, day: string): Promise<EnergyDayRow | null> {
    return manager.getRepository(EnergyDayEntity).findOneBy({ id: energyDayIdOf(facilityId, day) });
  }

  /** The lines booked in a month, in booking order. */
  journalOf(facilityId: string, month: string): Promise<JournalLineRow[]> {
    return this.read(undefined, (reader) =>
      reader.getRepository(JournalLineEntity).find({
        where: { facilityId, period: month },
        order: { entryVersion: 'ASC', lineNo: 'ASC' },
      }),
    );
  }

  /** Every line of the facility dated up to `asOf` (inclusive). */
  linesUpTo(facilityId: string, asOf: string): Promise<JournalLineRow[]> {
    return this.read(undefined, (reader) =>
      reader.getRepository(JournalLineEntity).findBy({ facilityId, date: LessThanOrEqual(asOf) }),
    );
  }

  private read<T>(
    manager: EntityManager | undefined,
    work: (reader: EntityManager) => Promise<T>,
  ): Promise<T> {
    if (manager) return work(manager);
    return readCommitted(this.dataSource, work);
  }
}
