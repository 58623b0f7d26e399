import { RIG_STATUSES, type RigStatus } from '@fleet/contracts';
import { readCommitted, selectRows } from '@fleet/event-sourcing';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RigEntity, rigsTable, type RigRow } from './rig.entity';
import { selectRigPage, type RigPageFilter } from './rigs.sql';

export interface RigFilter extends RigPageFilter {
  readonly limit: number;
}

export interface FacilitySummary {
  readonly facilityId: string;
  readonly total: number;
  readonly byStatus: Record<RigStatus, number>;
  readonly byModel: Record<string, number>;
}

/**
 * Reads of the `rigs` table. Outside a transaction they take the database lock, which on SQLite
 * (one connection for the process) keeps a read from seeing another request's uncommitted rows;
 * inside one, callers pass the session's manager.
 */
@Injectable()
export class RigsReadModel {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, manager?: EntityManager): Promise<RigRow | null> {
    // A plain statement, not a repository's query builder: this is the hottest read.
    return this.read(manager, async (reader) => (await selectRigPage(reader, { id }, 1))[0] ?? null);
  }

  /** Inside the caller's transaction: thousands at a time for a bulk install. */
  findBySerialNumbers(manager: EntityManager, serialNumbers: readonly string[]): Promise<RigRow[]> {
    return selectRows(
      manager,
      rigsTable,
      ['serialNumber'],
      serialNumbers.map((serialNumber) => ({ serialNumber })),
    );
  }

  /** One page in id order, plus whether more follow. */
  list(filter: RigFilter): Promise<{ rows: RigRow[]; hasMore: boolean }> {
    return this.read(undefined, async (reader) => {
      const { limit, ...where } = filter;
      const rows = await selectRigPage(reader, where, limit + 1);
      return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
    });
  }

  summary(facilityId: string): Promise<FacilitySummary> {
    return this.read(undefined, async (reader) => {
      const rows: { status: RigStatus; model: string; count: string | number }[] = await reader
        .getRepository(RigEntity)
        .createQueryBuilder('rig')
        .select('rig.status', 'status')
        .addSelect('rig.model', 'model')
        .addSelect('COUNT(*)', 'count')
        .where('rig.facilityId = :facilityId', { facilityId })
        .groupBy('rig.status')
        .addGroupBy('rig.model')
        .getRawMany();
      const byStatus = Object.fromEntries(RIG_STATUSES.map((status) => [status, 0])) as Record<
        RigStatus,
        number
      >;
      const byModel: Record<string, number> = {};
      let total = 0;
      for (const row of rows) {
        // PostgreSQL returns COUNT as a bigint string.
        const count = Number(row.count);
        total += count;
        byStatus[row.status] += count;
        byModel[row.model] = (byModel[row.model] ?? 0) + count;
      }
      return { facilityId, total, byStatus, byModel };
    });
  }

  private read<T>(
    manager: EntityManager | undefined,
    work: (reader: EntityManager) => Promise<T>,
  ): Promise<T> {
    if (manager) return work(manager);
    return readCommitted(this.dataSource, work);
  }
}
