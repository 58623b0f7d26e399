import type { PowerEvent } from '@fleet/contracts';
import type { EventMetadata } from '@fleet/event-sourcing';
import {
  handleCommand,
  inCommandTransaction,
  type EventStore,
  type EventStoreSession,
  type LoadedAggregate,
} from '@fleet/event-sourcing';
import { EVENT_STORE } from '@fleet/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { facilityNotFound } from '../domain/energy.errors';
import { EnergyReadModel } from '../read-model/energy.read-model';
import type { EnergyCommand } from '../domain/energy.commands';
import { energyDecider, energySnapshots } from '../domain/energy.decider';
import { ENERGY_STREAM_TYPE, energyStreamId } from '../domain/energy-id';
import type { EnergyState } from '../domain/energy.state';

/** What a use case answers: its view and the energy stream's version after it (the ETag). */
export interface EnergyAnswer<View> {
  readonly view: View;
  readonly version: number;
}

/** What a command left: the facility's energy state and its stream's version (the ETag). */
export interface EnergyOutcome {
  readonly state: EnergyState;
  readonly version: number;
  /** The events appended: none when the command changed nothing. */
  readonly events: readonly PowerEvent[];
}

/**
 * The energy aggregate's one command path, on a session the caller holds: several commands (the
 * readings, then the days they correct) commit together. The append expects the version loaded,
 * so a concurrent writer makes the caller's transaction retry from a fresh read.
 */
@Injectable()
export class EnergyCommandHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: EnergyReadModel,
  ) {}

  /**
   * A use case's transaction: the facility must have a capacity record; retried on a conflict with
   * another writer (never with the client's If-Match, which must fail as a 412).
   */
  inFacilityTransaction<T>(
    facilityId: string,
    ifMatch: number | undefined,
    maxRetries: number,
    work: (session: EventStoreSession) => Promise<T>,
  ): Promise<T> {
    return inCommandTransaction(this.store, ifMatch === undefined ? maxRetries : 0, async (session) => {
      if (!(await this.readModel.hasCapacity(session.manager, facilityId)))
        throw facilityNotFound(facilityId);
      return work(session);
    });
  }

  async execute(
    session: EventStoreSession,
    command: EnergyCommand,
    metadata: EventMetadata,
    options: { readonly ifMatchVersion?: number; readonly loaded?: LoadedAggregate<EnergyState> } = {},
  ): Promise<EnergyOutcome> {
    const result = await handleCommand(session, energyDecider, command, {
      streamId: energyStreamId(command.data.facilityId),
      streamType: ENERGY_STREAM_TYPE,
      metadata,
      snapshots: energySnapshots,
      ...options,
    });
    return {
      state: result.state,
      version: result.version,
      events: result.events.map((event) => ({ type: event.type, data: event.data }) as PowerEvent),
    };
  }
}
