import { readCommitted } from '@fleet/event-sourcing';
import { Injectable } from '@nestjs/common';
import { DataSource, LessThanOrEqual, type EntityManager } from 'typeorm';
import type { RigTimeChange } from '../domain/rig-time-change';
import type { RigTimeSum } from '../domain/rig-time-of-days';
import { RigTimeSumEntity } from './rig-time-sum.entity';

/** Revenue's view of rig time: sums of changes per facility, day, measure and model. */
@Injectable()
export class RigTimeReadModel {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Adds each change to its row (creating it at zero), one upsert each: the consumers of the
   * different event types may add to the same row side by side, in any order.
   */
  async add(manager: EntityManager, changes: readonly RigTimeChange[]): Promise<void> {
    for (const change of changes)
      await manager.sql`
        INSERT INTO rig_time_sums (facility_id, day, measure, model, net_rigs, offset_ms)
        VALUES (${change.facilityId}, ${change.day}, ${change.measure}, ${change.model}, ${change.netRigs}, ${change.offsetMs})
        ON CONFLICT (facility_id, day, measure, model) DO UPDATE SET
          net_rigs = rig_time_sums.net_rigs + excluded.net_rigs,
          offset_ms = rig_time_sums.offset_ms + excluded.offset_ms`;
  }

  /** Whether any rig of the facility was ever installed or powered, as far as revenue heard. */
  hasRigTime(facilityId: string): Promise<boolean> {
    return readCommitted(this.dataSource, (reader) =>
      reader.getRepository(RigTimeSumEntity).existsBy({ facilityId }),
    );
  }

  /** Every sum of the facility up to `lastDay` (the rigs counting at a day's start are the net of all before it). */
  sumsUpTo(facilityId: string, lastDay: string, manager?: EntityManager): Promise<RigTimeSum[]> {
    const read = async (reader: EntityManager) => {
      const rows = await reader
        .getRepository(RigTimeSumEntity)
        .find({ where: { facilityId, day: LessThanOrEqual(lastDay) }, order: { day: 'ASC' } });
      return rows.map(({ day, measure, model, netRigs, offsetMs }) => ({
        day,
        measure,
        model,
        netRigs: Number(netRigs),
        offsetMs: Number(offsetMs),
      }));
    };
    return manager ? read(manager) : readCommitted(this.dataSource, read);
  }
}
