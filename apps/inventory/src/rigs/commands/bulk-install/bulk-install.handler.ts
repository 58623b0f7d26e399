import {
  DomainError,
  retryOnConflict,
  type EventStore,
  type EventStoreSession,
  type StreamAppend,
} from '@fleet/event-sourcing';
import { EVENT_STORE, eventMetadata, type RequestContext } from '@fleet/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { rigDecider } from '../../rig.decider';
import { RIG_STREAM_TYPE, rigStreamId } from '../../rig-id';
import { rigStateOf, type RigRecord } from '../../rig.record';
import { findSlotOccupants, slotKeyOf, type SlotKey } from '../../rig-slots.sql';
import { RigsReadModel } from '../../rigs.read-model';
import { describeSlot } from '../../slot-taken.error';
import { BulkInstallRejectedError } from './bulk-install-rejected.error';
import type { RawPlacementRow, RowProblem } from './placement-row';
import { assertRowCount, validateRows, type PlacementRow } from './placement-rows';

const MAX_CONFLICT_RETRIES = 3;

export interface BulkInstallResult {
  readonly installed: number;
}

interface CheckedRow extends PlacementRow {
  readonly rig: RigRecord;
  readonly slot: SlotKey;
}

/**
 * Racks many rigs at once, all or nothing, in one transaction: every row is checked (form,
 * duplicates within the request, the rig's existence and status, the slot's occupant) and if any
 * fails, the error lists every failing row and nothing is appended. The rigs' rows stand in for
 * their streams (see `rigStateOf`); each append expects the row's version, so a rig changed
 * meanwhile makes the whole request retry.
 */
@Injectable()
export class BulkInstallHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: RigsReadModel,
  ) {}

  async install(rows: readonly RawPlacementRow[], context: RequestContext): Promise<BulkInstallResult> {
    assertRowCount(rows);
    const { valid, problems } = validateRows(rows);
    const distinct = rejectRepeatedSerials(valid, problems);
    return retryOnConflict(
      () =>
        this.store.transaction((session) =>
          this.installIn(session, distinct, problems, rows.length, context),
        ),
      MAX_CONFLICT_RETRIES,
    );
  }

  private async installIn(
    session: EventStoreSession,
    rows: readonly PlacementRow[],
    inputProblems: readonly RowProblem[],
    totalRows: number,
    context: RequestContext,
  ): Promise<BulkInstallResult> {
    const problems = [...inputProblems];
    const records = await this.readModel.findBySerialNumbers(
      session.manager,
      rows.map(({ placement }) => placement.serialNumber),
    );
    const bySerial = new Map(records.map((record) => [record.serialNumber, record]));

    const checked: CheckedRow[] = [];
    const claimedBy = new Map<string, number>();
    for (const row of rows) {
      const { serialNumber, rack, slot } = row.placement;
      const rig = bySerial.get(serialNumber);
      if (!rig) {
        problems.push({
          row: row.row,
          serialNumber,
          code: 'unknown-serial',
          reason: `no rig has serial number ${serialNumber}`,
        });
        continue;
      }
      const state = rigStateOf(rig);
      try {
        rigDecider.decide({ type: 'InstallRig', data: { rack, slot } }, state);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problems.push({
          row: row.row,
          serialNumber,
          code: 'rig-status-forbids-install',
          reason: error.message,
        });
        // Its slot is moot: the rig cannot be installed anywhere.
        continue;
      }
      // A slot is a slot of the rig's facility; the same rack and slot elsewhere is another slot.
      const key: SlotKey = { facilityId: rig.facilityId, rack, slot };
      const first = claimedBy.get(slotKeyOf(key));
      if (first !== undefined) {
        problems.push({
          row: row.row,
          serialNumber,
          code: 'slot-twice-in-file',
          reason: `${describeSlot(key)} is also given to row ${first}`,
        });
        continue;
      }
      claimedBy.set(slotKeyOf(key), row.row);
      checked.push({ ...row, rig, slot: key });
    }

    const occupants = await findSlotOccupants(
      session.manager,
      checked.map((row) => row.slot),
    );
    const occupantOf = new Map(occupants.map((occupant) => [slotKeyOf(occupant), occupant]));
    for (const row of checked) {
      const occupant = occupantOf.get(slotKeyOf(row.slot));
      if (occupant) {
        problems.push({
          row: row.row,
          serialNumber: row.placement.serialNumber,
          code: 'slot-taken',
          reason: `${describeSlot(row.slot)} is taken by rig ${occupant.serialNumber ?? occupant.rigId}`,
        });
      }
    }
    if (problems.length > 0) throw new BulkInstallRejectedError(problems, totalRows);

    // One append per facility: an event's metadata names its facility.
    const byFacility = new Map<string, StreamAppend[]>();
    for (const row of checked) {
      const { rack, slot } = row.placement;
      const append: StreamAppend = {
        streamId: rigStreamId(row.rig.id),
        streamType: RIG_STREAM_TYPE,
        expectedVersion: Number(row.rig.version),
        events: rigDecider.decide({ type: 'InstallRig', data: { rack, slot } }, rigStateOf(row.rig)),
      };
      const appends = byFacility.get(row.rig.facilityId) ?? [];
      appends.push(append);
      byFacility.set(row.rig.facilityId, appends);
    }
    for (const [facilityId, appends] of byFacility)
      await session.append(appends, eventMetadata(context, facilityId));
    return { installed: checked.length };
  }
}

/** A serial on two rows: the later rows are refused, naming the first. */
function rejectRepeatedSerials(rows: readonly PlacementRow[], problems: RowProblem[]): PlacementRow[] {
  const firstRow = new Map<string, number>();
  const distinct: PlacementRow[] = [];
  for (const row of rows) {
    const { serialNumber } = row.placement;
    const first = firstRow.get(serialNumber);
    if (first !== undefined) {
      problems.push({
        row: row.row,
        serialNumber,
        code: 'serial-twice-in-file',
        reason: `serial ${serialNumber} is also on row ${first}`,
      });
      continue;
    }
    firstRow.set(serialNumber, row.row);
    distinct.push(row);
  }
  return distinct;
}
