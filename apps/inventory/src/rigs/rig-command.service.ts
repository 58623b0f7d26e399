import type { RegisterRigRequest } from '@fleet/contracts';
import {
  ConcurrencyError,
  DomainError,
  loadAggregate,
  VersionMismatchError,
  type EventStore,
  type EventStoreSession,
} from '@fleet/event-sourcing';
import { EVENT_STORE, eventMetadata, type RequestContext } from '@fleet/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { RegisterRig, RigCommand } from './rig.commands';
import { rigDecider } from './rig.decider';
import { RIG_STREAM_TYPE, rigIdOf, rigStreamId } from './rig-id';
import { toRigView, type RigView } from './rig.view';
import { RigsReadModel } from './rigs.read-model';

/** Another writer's append between our read and our write: retried this many times, then 409. */
const MAX_CONFLICT_RETRIES = 3;

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
      return await this.store.transaction(async (session) => {
        const { state } = await loadAggregate(session, rigDecider, rigStreamId(rigId));
        const events = rigDecider.decide(command, state);
        await session.append(
          [
            {
              streamId: rigStreamId(rigId),
              streamType: RIG_STREAM_TYPE,
              expectedVersion: 'no_stream',
              events,
            },
          ],
          eventMetadata(context, request.facilityId),
        );
        return this.viewIn(session, rigId);
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
  async execute(
    rigId: string,
    command: Exclude<RigCommand, RegisterRig>,
    options: { readonly context: RequestContext; readonly ifMatch?: number },
  ): Promise<RigView> {
    const streamId = rigStreamId(rigId);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.store.transaction(async (session) => {
          const { state, version } = await loadAggregate(session, rigDecider, streamId);
          if (state.status === 'unregistered') throw rigNotFound(rigId);
          if (options.ifMatch !== undefined && options.ifMatch !== version)
            throw new VersionMismatchError(streamId, options.ifMatch, version);
          const events = rigDecider.decide(command, state);
          await session.append(
            [{ streamId, streamType: RIG_STREAM_TYPE, expectedVersion: version, events }],
            eventMetadata(options.context, state.facilityId),
          );
          return this.viewIn(session, rigId);
        });
      } catch (error) {
        const retry =
          error instanceof ConcurrencyError &&
          options.ifMatch === undefined &&
          attempt < MAX_CONFLICT_RETRIES;
        if (!retry) throw error;
      }
    }
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
