import { asyncApiDocument } from './asyncapi';
import { INVENTORY_EVENTS } from './inventory/events';
import { POWER_EVENTS } from './power/events';
import { PROCUREMENT_EVENTS } from './procurement/events';

describe('asyncApiDocument', () => {
  it('has a channel and a message for every event of the context, with its data schema', () => {
    const document = asyncApiDocument({
      title: 'procurement',
      version: '1',
      context: 'procurement',
      events: PROCUREMENT_EVENTS,
    });
    const channels = document['channels'] as Record<string, { subscribe: { message: { $ref: string } } }>;
    expect(Object.keys(channels).sort()).toEqual(
      PROCUREMENT_EVENTS.map((event) => `fleet.procurement.{facilityId}.${event.type}`).sort(),
    );
    const messages = (
      document['components'] as {
        messages: Record<string, { payload: { properties: Record<string, unknown> } }>;
      }
    ).messages;
    const received = messages['ShipmentUnitsReceived'].payload.properties;
    expect(received['type']).toEqual({ const: 'ShipmentUnitsReceived' });
    expect(received['data']).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['shipmentId', 'units']),
    });
    expect(received['eventId']).toMatchObject({ type: 'string' });
  });

  it('describes each context on its own', () => {
    const document = asyncApiDocument({
      title: 'inventory',
      version: '1',
      context: 'inventory',
      events: INVENTORY_EVENTS,
    });
    expect(Object.keys(document['channels'] as object)).toHaveLength(INVENTORY_EVENTS.length);
    expect(
      Object.keys(document['channels'] as object).every((channel) => channel.startsWith('fleet.inventory.')),
    ).toBe(true);
  });

  it('describes power: capacity, budgets, allocations, releases, rejections, curtailments and energy on fleet.power.*', () => {
    const document = asyncApiDocument({
      title: 'power',
      version: '1',
      context: 'power',
      events: POWER_EVENTS,
    });
    expect(Object.keys(document['channels'] as object).sort()).toEqual(
      [
        'CurtailmentEnded',
        'CurtailmentScheduled',
        'EnergyCostAccrued',
        'EnergyPricesPosted',
        'FacilityCapacityScheduled',
        'MeterReadingsRecorded',
        'PowerAllocated',
        'PowerReleased',
        'PowerRequestRejected',
        'PriceRuleSet',
        'RackBudgetSet',
        'RigsCurtailed',
        'TariffSet',
      ].map((type) => `fleet.power.{facilityId}.${type}`),
    );
  });
});
