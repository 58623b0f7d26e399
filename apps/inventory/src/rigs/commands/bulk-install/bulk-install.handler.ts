import {
  handleCommands,
  type DecidedCommand,
  type EventStore,
  type EventStoreSession,
  type RejectedCommand,
  type StreamCommand,
} from '@fleet/event-sourcing';
import { businessNow, EVENT_STORE, eventMetadata, type RequestContext } from '@fleet/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { RigCommand } from '../../domain/rig.commands';
import { rigDecider } from '../../domain/rig.decider';
import { describeSlot, occupantName } from '../../domain/rig.errors';
import { RIG_STREAM_TYPE, rigStreamId } from '../../domain/rig-id';
import { facilityOf, slotKeyOf, type RigState, type SlotKey } from '../../domain/rig.state';
import { rigStateOf } from '../../read-model/rig.entity';
import { findSlotOccupants } from '../../read-model/rig-slots.sql';
import { RigsReadModel } from '../../read-model/rigs.read-model';
import { BulkInstallRejectedError } from './bulk-install-rejected.error';
import type { RawPlacementRow, RowProblem } from './placement-row';
import { assertRowCount, validateRows, type PlacementRow } from './placement-rows';

export interface BulkInstallResult {
  readonly installed: number;
}

/** A row whose rig exists, with the slot it asks for in the rig's facility. */
interface FoundRow extends PlacementRow {
  readonly slot: SlotKey;
}

/** What one attempt read: the rows' commands, keyed back to their rows by stream, and the unknown serials. */
interface Attempt {
  readonly commands: StreamCommand<RigCommand, RigState>[];
  readonly found: Map<string, FoundRow>;
  readonly unknown: RowProblem[];
}

/**
 * Racks many rigs at once, all or nothing, in one transaction: every row is checked (form,
 * duplicates within the request, the rig's existence and status, the slot's occupant) and if any
 * fails, the error lists every failing row and nothing is appended. The rigs' rows stand in for
 * their streams (see `rigStateOf`); each append expects the row's version, so a rig changed
 * meanwhile makes the whole request run again.
 */
@Injectable()
export class BulkInstallHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: RigsReadModel,
  ) {}

  async install(rows: readonly RawPlacementRow[], context: RequestContext): Promise<BulkInstallResult> {
    assertRowCount(rows);
    const { valid, problems: inputProblems } = validateRows(rows);
    const distinct = rejectRepeatedSerials(valid, inputProblems);
    const now = businessNow();
    // Each attempt reads afresh (a conflict runs the batch again), and its checks use what it read.
    let attempt = noAttempt();

    const { results } = await handleCommands(
      this.store,
      rigDecider,
      async (session) => {
        attempt = await this.attemptOf(session, distinct);
        return attempt.commands;
      },
      {
        streamType: RIG_STREAM_TYPE,
        metadata: (rig) => eventMetadata(context, facilityOf(rig), null, now),
        rejections: 'collect',
        beforeAppend: async (decided, rejected, session) => {
          const { found, unknown } = attempt;
          const problems = [
            ...inputProblems,
            ...unknown,
            ...refusalsOf(rejected, found),
            ...(await slotProblemsOf(session, decided, found)),
          ];
          if (problems.length > 0) throw new BulkInstallRejectedError(problems, rows.length);
        },
      },
    );
    return { installed: results.length };
  }

  /** An install per row whose serial names a rig, to be decided on the rig's row; the others are unknown. */
  private async attemptOf(session: EventStoreSession, rows: readonly PlacementRow[]): Promise<Attempt> {
    const rigs = await this.readModel.findBySerialNumbers(
      session.manager,
      rows.map(({ placement }) => placement.serialNumber),
    );
    const bySerial = new Map(rigs.map((rig) => [rig.serialNumber, rig]));
    const attempt = noAttempt();
    for (const row of rows) {
      const { serialNumber, rack, slot } = row.placement;
      const rig = bySerial.get(serialNumber);
      if (!rig) {
        attempt.unknown.push({
          row: row.row,
          serialNumber,
          code: 'unknown-serial',
          reason: `no rig has serial number ${serialNumber}`,
        });
        continue;
      }
      const streamId = rigStreamId(rig.id);
      attempt.found.set(streamId, { ...row, slot: { facilityId: rig.facilityId, rack, slot } });
      attempt.commands.push({
        streamId,
        command: { type: 'InstallRig', data: { rigId: rig.id, rack, slot } },
        loaded: { state: rigStateOf(rig), version: rig.version },
      });
    }
    return attempt;
  }
}

function noAttempt(): Attempt {
  return { commands: [], found: new Map(), unknown: [] };
}

type Decided = DecidedCommand<RigCommand, RigState>;
type Rejected = RejectedCommand<RigCommand, RigState>;

/** Rows the decider refused: their slot is moot, the rig cannot be installed anywhere. */
function refusalsOf(rejected: readonly Rejected[], found: ReadonlyMap<string, FoundRow>): RowProblem[] {
  return rejected.map(({ command, error }) => {
    const { row, placement } = rowOf(found, command.streamId);
    return {
      row,
      serialNumber: placement.serialNumber,
      code: 'rig-status-forbids-install',
      reason: error.message,
    };
  });
}

/** A slot given to two rows (the later ones are refused), or held by a rig already. */
async function slotProblemsOf(
  session: EventStoreSession,
  decided: readonly Decided[],
  found: ReadonlyMap<string, FoundRow>,
): Promise<RowProblem[]> {
  const problems: RowProblem[] = [];
  const claimedBy = new Map<string, number>();
  const claims: FoundRow[] = [];
  for (const { command } of decided) {
    const claim = rowOf(found, command.streamId);
    const first = claimedBy.get(slotKeyOf(claim.slot));
    if (first !== undefined) {
      problems.push({
        row: claim.row,
        serialNumber: claim.placement.serialNumber,
        code: 'slot-twice-in-file',
        reason: `${describeSlot(claim.slot)} is also given to row ${first}`,
      });
      continue;
    }
    claimedBy.set(slotKeyOf(claim.slot), claim.row);
    claims.push(claim);
  }

  const occupants = await findSlotOccupants(
    session.manager,
    claims.map((claim) => claim.slot),
  );
  const occupantOf = new Map(occupants.map((occupant) => [slotKeyOf(occupant), occupant]));
  for (const claim of claims) {
    const occupant = occupantOf.get(slotKeyOf(claim.slot));
    if (occupant)
      problems.push({
        row: claim.row,
        serialNumber: claim.placement.serialNumber,
        code: 'slot-taken',
        reason: `${describeSlot(claim.slot)} is taken by ${occupantName(occupant)}`,
      });
  }
  return problems;
}

function rowOf(found: ReadonlyMap<string, FoundRow>, streamId: string): FoundRow {
  const row = found.get(streamId);
  if (!row) throw new Error(`bulk install: stream ${streamId} has no row of the request`);
  return row;
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
