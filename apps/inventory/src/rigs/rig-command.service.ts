import type { RegisterRigRequest } from '@fleet/contracts';
import {
  ConcurrencyError,
  conflictRetriesOf,
  DomainError,
  handleCommandInSession,
  retryOnConflict,
  type CommandOptions,
  type EventStore,
  type EventStoreSession,
} from '@fleet/event-sourcing';
import { EVENT_STORE, eventMetadata, type RequestContext } from '@fleet/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { RegisterRig, RigCommand } from './rig.commands';
import { rigDecider } from './rig.decider';
import { RIG_STREAM_TYPE, rigIdOf, rigStreamId } from './rig-id';
import { facilityOf, type RigState } from './rig.state';
import { toRigView, type RigView } from './rig.view';
import { RigsReadModel } from './rigs.read-model';

/**
 * Runs a command on one rig: load the stream, decide, append at the loaded version, all in one
 * transaction that also reads back the rig's row, so the answer is exactly what was committed.
 */
@Injectable()
export class RigCommandService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: RigsReadModel,
  ) {}

  /** Registers a rig by hand. The id follows from the serial, so a second registration is a 409. */
  async register(request: RegisterRigRequest, context: RequestContext): Promise<RigView> {
    const rigId = rigIdOf(request.serialNumber);
    const command: RegisterRig = {
      type: 'RegisterRig',
      data: {
        rigId,
        serialNumber: request.serialNumber,
        model: request.model,
        facilityId: request.facilityId,
        ...(request.macAddress ? { macAddress: request.macAddress } : {}),
        source: { kind: 'manual' },
      },
    };
    try {
      return await this.run(rigId, command, {
        streamId: rigStreamId(rigId),
        streamType: RIG_STREAM_TYPE,
        metadata: eventMetadata(context, request.facilityId),
        mustCreate: true,
      });
    } catch (error) {
      // The receipt saga (or another request) registered the serial between our read and our write.
      if (error instanceof ConcurrencyError)
        throw new DomainError(
          'conflict',
          'rig-already-registered',
          `serial number ${request.serialNumber} was registered as rig ${rigId} at the same time`,
          { rigId, serialNumber: request.serialNumber },
        );
      throw error;
    }
  }

  /** `ifMatch`: the version the client last saw; the command is refused with 412 unless it is current. */
  execute(
    rigId: string,
    command: Exclude<RigCommand, RegisterRig>,
    options: { readonly context: RequestContext; readonly ifMatch?: number },
  ): Promise<RigView> {
    return this.run(rigId, command, {
      streamId: rigStreamId(rigId),
      streamType: RIG_STREAM_TYPE,
      metadata: (rig) => eventMetadata(options.context, facilityOf(rig)),
      ifMatchVersion: options.ifMatch,
    });
  }

  private run(rigId: string, command: RigCommand, options: CommandOptions<RigState>): Promise<RigView> {
    return retryOnConflict(
      () =>
        this.store.transaction(async (session) => {
          await handleCommandInSession(session, rigDecider, command, options);
          return this.viewIn(session, rigId);
        }),
      conflictRetriesOf(options),
    );
  }

  private async viewIn(session: EventStoreSession, rigId: string): Promise<RigView> {
    const record = await this.readModel.findById(rigId, session.manager);
    if (!record) throw new Error(`rig ${rigId} was appended but has no row: is RigsProjection registered?`);
    return toRigView(record);
  }
}

export function rigNotFound(rigId: string): DomainError {
  return new DomainError('not_found', 'rig-not-found', `there is no rig ${rigId}`, { rigId });
}
