import type { PowerEvent } from '@fleet/contracts';
import {
  handleCommands,
  type EventStore,
  type EventStoreSession,
  type StreamResult,
} from '@fleet/event-sourcing';
import { EVENT_STORE, eventMetadata, type RequestContext } from '@fleet/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { FacilityCommand } from '../domain/facility.commands';
import { facilityDecider, facilitySnapshots } from '../domain/facility.decider';
import { FACILITY_STREAM_TYPE, facilityStreamId } from '../domain/facility-id';
import type { FacilityState } from '../domain/facility.state';
import { RecentFacilityStates } from '../read-model/recent-facility-states';
import { lockFacility } from './advisory-locks';

/** Builds the command inside the transaction, after the facility's lock (what it reads cannot change). */
export type FacilityCommandBuilder = (session: EventStoreSession) => Promise<FacilityCommand>;

/** What a command decided: its events (appended, or not on a dry run) and where the facility stands. */
export interface FacilityOutcome {
  readonly events: readonly PowerEvent[];
  readonly state: FacilityState;
  readonly version: number;
}

/** The lock keeps a facility's writers apart on PostgreSQL; a conflict all the same (a stale recent state) is retried. */
const MAX_RETRIES = 10;

/**
 * Every facility use case runs its command the same way: the facility's lock, the command built
 * from what the transaction reads, its stream with snapshots, the request's metadata.
 */
@Injectable()
export class FacilityCommandHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly recent: RecentFacilityStates,
  ) {}

  async execute(
    facilityId: string,
    context: RequestContext,
    build: FacilityCommandBuilder,
    ifMatch?: number,
  ): Promise<FacilityOutcome> {
    const streamId = facilityStreamId(facilityId);
    const { results } = await handleCommands(
      this.store,
      facilityDecider,
      async (session) => {
        await lockFacility(session.manager, facilityId);
        const command = await build(session);
        return [
          { streamId, command, ifMatchVersion: ifMatch, loaded: await this.recent.load(session, streamId) },
        ];
      },
      {
        streamType: FACILITY_STREAM_TYPE,
        metadata: eventMetadata(context, facilityId),
        snapshots: facilitySnapshots,
        maxRetries: ifMatch === undefined ? MAX_RETRIES : 0,
      },
    );
    const [result] = results;
    this.recent.remember(streamId, { state: result.state, version: result.version }, result.events);
    return outcomeOf(result);
  }

  /** Decides as `execute` would, at the facility's current version, and appends nothing. */
  dryRun(facilityId: string, build: FacilityCommandBuilder): Promise<FacilityOutcome> {
    return this.store.transaction(async (session) => {
      const command = await build(session);
      const loaded = await this.recent.load(session, facilityStreamId(facilityId));
      const events = facilityDecider.decide(command, loaded.state);
      return { events, state: events.reduce(facilityDecider.evolve, loaded.state), version: loaded.version };
    });
  }
}

function outcomeOf(result: StreamResult<FacilityCommand, FacilityState>): FacilityOutcome {
  return {
    events: result.events.map((event) => ({ type: event.type, data: event.data }) as PowerEvent),
    state: result.state,
    version: result.version,
  };
}
