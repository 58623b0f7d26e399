import type { CurtailmentEnding, CurtailmentTrigger, NotRestoredRig } from '@fleet/contracts';
import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

export type CurtailmentStatus = 'scheduled' | 'active' | 'ended';

/**
 * A row of `power_curtailments`: one curtailment as `GET …/curtailments/:id` answers it, and the
 * durable schedule's to-do list (what starts or ends when). Instants are ISO strings in UTC
 * (`toISOString`), so they compare as text on both databases.
 */
export interface CurtailmentRow {
  id: string;
  facilityId: string;
  trigger: CurtailmentTrigger;
  status: CurtailmentStatus;
  reason: string;
  reduceByWatts: number | null;
  targetLoadWatts: number | null;
  startsAt: string;
  endsAt: string;
  /** The load it holds the facility to, once started. */
  holdLoadWatts: number | null;
  rigsCurtailed: number;
  itWattsShed: number;
  rigsRestored: number;
  notRestored: NotRestoredRig[];
  /** Rigs another active curtailment kept off when this one ended: they passed to it. */
  rigsHandedOver: number;
  handedOverTo: string | null;
  ending: CurtailmentEnding | null;
  endedAt: string | null;
}

export const CurtailmentEntity = new EntitySchema<CurtailmentRow>({
  name: 'CurtailmentEntity',
  tableName: 'power_curtailments',
  columns: {
    id: { type: 'varchar', length: 36, primary: true, primaryKeyConstraintName: 'pk_power_curtailments' },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    trigger: { type: 'varchar', length: 16 },
    status: { type: 'varchar', length: 16 },
    reason: { type: 'varchar', length: 500 },
    reduceByWatts: { name: 'reduce_by_watts', type: 'integer', nullable: true },
    targetLoadWatts: { name: 'target_load_watts', type: 'integer', nullable: true },
    startsAt: { name: 'starts_at', type: 'varchar', length: 30 },
    endsAt: { name: 'ends_at', type: 'varchar', length: 30 },
    holdLoadWatts: { name: 'hold_load_watts', type: 'integer', nullable: true },
    rigsCurtailed: { name: 'rigs_curtailed', type: 'integer' },
    itWattsShed: { name: 'it_watts_shed', type: 'integer' },
    rigsRestored: { name: 'rigs_restored', type: 'integer' },
    notRestored: { name: 'not_restored', type: 'simple-json' },
    rigsHandedOver: { name: 'rigs_handed_over', type: 'integer' },
    handedOverTo: { name: 'handed_over_to', type: 'varchar', length: 36, nullable: true },
    ending: { type: 'varchar', length: 16, nullable: true },
    endedAt: { name: 'ended_at', type: 'varchar', length: 30, nullable: true },
  },
  // The schedule asks for what is due: scheduled by start, active by end.
  indices: [{ name: 'ix_power_curtailments_due', columns: ['status', 'startsAt', 'endsAt'] }],
});

export const curtailmentsTable = tableOf(CurtailmentEntity);
