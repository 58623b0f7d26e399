import type { CurtailmentEnded, CurtailmentScheduled, RigsCurtailed } from '@fleet/contracts';
import { rowProjection, type RecordedEvent } from '@fleet/event-sourcing';
import { curtailmentsTable, type CurtailmentRow } from './curtailment.entity';

type CurtailmentEvent = CurtailmentScheduled | RigsCurtailed | CurtailmentEnded;

function scheduledRow({ data }: RecordedEvent<CurtailmentScheduled>): CurtailmentRow {
  return {
    id: data.curtailmentId,
    facilityId: data.facilityId,
    trigger: data.trigger,
    status: 'scheduled',
    reason: data.reason,
    reduceByWatts: data.reduceByWatts,
    targetLoadWatts: data.targetLoadWatts,
    startsAt: new Date(data.startsAt).toISOString(),
    endsAt: new Date(data.endsAt).toISOString(),
    holdLoadWatts: null,
    rigsCurtailed: 0,
    itWattsShed: 0,
    rigsRestored: 0,
    notRestored: [],
    rigsHandedOver: 0,
    handedOverTo: null,
    ending: null,
    endedAt: null,
  };
}

/** A curtailment's row after one of its events; the parts of a start or an end add up. */
function curtailmentRowAfter(
  row: CurtailmentRow | null,
  event: RecordedEvent<CurtailmentEvent>,
): CurtailmentRow {
  if (event.type === 'CurtailmentScheduled') return scheduledRow(event);
  if (!row) throw new Error(`curtailments projection: no row for curtailment ${event.data.curtailmentId}`);
  if (event.type === 'RigsCurtailed')
    return {
      ...row,
      status: 'active',
      holdLoadWatts: event.data.targetLoadWatts,
      rigsCurtailed: row.rigsCurtailed + event.data.rigs.length,
      itWattsShed: row.itWattsShed + event.data.rigs.reduce((sum, rig) => sum + rig.itWatts, 0),
    };
  return {
    ...row,
    status: 'ended',
    ending: event.data.ending,
    endedAt: event.metadata.occurredAt,
    rigsRestored: row.rigsRestored + event.data.restored.length,
    notRestored: [...row.notRestored, ...event.data.notRestored],
    rigsHandedOver: row.rigsHandedOver + event.data.handedOver.length,
    handedOverTo: event.data.handedOverTo ?? row.handedOverTo,
  };
}

/** `power_curtailments`, one row per curtailment, folded from its facility's events that name it. */
export const CurtailmentsProjection = rowProjection({
  name: 'power_curtailments',
  table: curtailmentsTable,
  handles: ['CurtailmentScheduled', 'RigsCurtailed', 'CurtailmentEnded'],
  rowIdOf: (event: RecordedEvent<CurtailmentEvent>) => event.data.curtailmentId,
  createdBy: ['CurtailmentScheduled'],
  evolve: curtailmentRowAfter,
});
