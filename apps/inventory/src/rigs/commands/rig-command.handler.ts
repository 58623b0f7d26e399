import { ConcurrencyError, handleCommand, type EventStore } from '@fleet/event-sourcing';
import { EVENT_STORE, eventMetadata, type RequestContext } from '@fleet/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { RigCommand } from '../domain/rig.commands';
import { rigDecider } from '../domain/rig.decider';
import { rigAlreadyRegistered } from '../domain/rig.errors';
import { RIG_STREAM_TYPE, rigStreamId } from '../domain/rig-id';
import { facilityOf } from '../domain/rig.state';
import { toRigView, type RigView } from '../read-model/rig.views';
import { RigsReadModel } from '../read-model/rigs.read-model';

/**
 * Runs a command on one rig and answers the rig's row as the same transaction left it, so the
 * answer is exactly what was committed.
 */
@Injectable()
export class RigCommandHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: RigsReadModel,
  ) {}

  /** `ifMatch`: the version the client last saw; the command is refused with 412 unless it is current. */
  async execute(command: RigCommand, context: RequestContext, ifMatch?: number): Promise<RigView> {
    const { rigId } = command.data;
    try {
      const { answer } = await handleCommand(this.store, rigDecider, command, {
        streamId: rigStreamId(rigId),
        streamType: RIG_STREAM_TYPE,
        metadata: (rig) => eventMetadata(context, facilityOf(rig)),
        ifMatchVersion: ifMatch,
        // The id follows from the serial, so registering a serial twice is a 409.
        mustCreate: command.type === 'RegisterRig',
        answer: async (_result, session) => {
          const row = await this.readModel.findById(rigId, session.manager);
          if (!row)
            throw new Error(`rig ${rigId} was appended but has no row: is RigsProjection registered?`);
          return toRigView(row);
        },
      });
      return answer;
    } catch (error) {
      // The receipt saga (or another request) registered the serial between our read and our write.
      if (command.type === 'RegisterRig' && error instanceof ConcurrencyError)
        throw rigAlreadyRegistered(command.data);
      throw error;
    }
  }
}
