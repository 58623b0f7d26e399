import { findRigModel } from '@fleet/contracts';
import { loadAggregate, type EventStoreSession } from '@fleet/event-sourcing';
import { Injectable } from '@nestjs/common';
import { facilityDecider, facilitySnapshots } from '../../facilities/domain/facility.decider';
import { facilityStreamId } from '../../facilities/domain/facility-id';
import type { Arrival, FacilityCapacity } from '../domain/capacity-forecast';
import { inTransitLines, pendingOrderLines } from './forecast.sql';

/** The forecast's inputs, read in one transaction: the facility's capacity and load, and what is coming. */
@Injectable()
export class ForecastReadModel {
  /** Null when the facility has no events (no capacity record). */
  async capacity(session: EventStoreSession, facilityId: string): Promise<FacilityCapacity | null> {
    const { state } = await loadAggregate(
      session,
      facilityDecider,
      facilityStreamId(facilityId),
      facilitySnapshots,
    );
    if (state.facilityId === null) return null;
    return {
      schedule: state.schedule,
      reserveWatts: state.reserveWatts,
      pueMilli: state.pueMilli,
      allocatedItWatts: state.itWatts,
    };
  }

  /** Units ordered and not dispatched (by expected delivery) and in transit (by ETA). */
  async arrivals(session: EventStoreSession, facilityId: string): Promise<Arrival[]> {
    const unitWatts = (model: string) => findRigModel(model)?.powerWatts ?? 0;
    const ordered = (await pendingOrderLines(session.manager, facilityId)).map((line): Arrival => ({
      date: line.expectedDelivery,
      orderId: line.orderId,
      shipmentId: null,
      model: line.model,
      units: Number(line.units),
      unitWatts: unitWatts(line.model),
    }));
    const inTransit = (await inTransitLines(session.manager, facilityId)).map((line): Arrival => ({
      date: line.eta,
      orderId: line.orderId,
      shipmentId: line.shipmentId,
      model: line.model,
      units: Number(line.units),
      unitWatts: unitWatts(line.model),
    }));
    return [...ordered, ...inTransit];
  }
}
