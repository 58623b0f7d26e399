import { EnergyCostAccrued, roundUsd, type EventEnvelope } from '@fleet/contracts';
import { handleCommand, type EventStoreSession } from '@fleet/event-sourcing';
import { metadataCausedBy, PoisonMessageError } from '@fleet/messaging';
import { businessNow } from '@fleet/service-kit';
import { bookingPeriod } from '../../domain/booking-period';
import { monthOf } from '../../domain/calendar';
import { PERIOD_STREAM_TYPE, periodStreamId } from '../../domain/period-id';
import { periodDecider } from '../../domain/period.decider';
import type { PeriodsReadModel } from '../../read-model/periods.read-model';

export const REVENUE_ACTOR = 'service:revenue';

/** The envelope is not an `EnergyCostAccrued` this code can read: retrying will not help. */
export class UnreadableEnergyCostError extends PoisonMessageError {
  constructor(envelope: Pick<EventEnvelope, 'eventId' | 'type' | 'schemaVersion'>, why: string) {
    super(
      `cannot book the energy cost of event ${envelope.eventId} (${envelope.type} v${envelope.schemaVersion}): ${why}`,
    );
    this.name = 'UnreadableEnergyCostError';
  }
}

export type EnergyBooking = 'booked' | 'ignored';

/**
 * Books power's figure for a facility's day in the consumer's transaction: in the day's month, or in
 * the first open month after it when that one is closed (a late entry). A correction reverses the
 * figure booked before (whichever month holds it); a redelivery or an older revision books nothing.
 */
export async function bookEnergyCost(
  session: EventStoreSession,
  readModel: PeriodsReadModel,
  envelope: EventEnvelope,
  now: () => Date = businessNow,
): Promise<EnergyBooking> {
  if (envelope.type !== EnergyCostAccrued.type || envelope.schemaVersion !== EnergyCostAccrued.version)
    throw new UnreadableEnergyCostError(
      envelope,
      `expected ${EnergyCostAccrued.type} v${EnergyCostAccrued.version}`,
    );
  const parsed = EnergyCostAccrued.schema.safeParse(envelope.data);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new UnreadableEnergyCostError(envelope, issues.join('; '));
  }
  const { facilityId, day, kwh, usd, basis, revision } = parsed.data;
  const { manager } = session;
  const booked = await readModel.findEnergyDay(manager, facilityId, day);
  if (booked && booked.revision >= revision) return 'ignored';
  const period = bookingPeriod(monthOf(day), await readModel.closedMonths(facilityId, manager));
  const { events } = await handleCommand(
    session,
    periodDecider,
    {
      type: 'BookEnergyCost',
      data: {
        facilityId,
        period,
        day,
        kwh,
        usd: roundUsd(usd),
        basis,
        revision,
        sourceEventId: envelope.eventId,
        previous: booked
          ? { kwh: booked.kwh, usd: booked.usd, basis: booked.basis, revision: booked.revision }
          : null,
      },
    },
    {
      streamId: periodStreamId(facilityId, period),
      streamType: PERIOD_STREAM_TYPE,
      metadata: { ...metadataCausedBy(envelope, REVENUE_ACTOR, now()), facilityId },
    },
  );
  return events.length > 0 ? 'booked' : 'ignored';
}
