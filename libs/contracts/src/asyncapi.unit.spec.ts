import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { asyncApiDocument, fleetAsyncApiDocument } from './asyncapi';
import { CONTEXT_EVENTS } from './context-events';
import type { AnyEventDefinition } from './event-definition';
import * as contracts from './index';
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

/**
 * Warnings the documents keep on purpose: Fleet publishes no contact (a name, a URL and an e-mail
 * address the parser wants) rather than an invented one.
 */
const ACCEPTED_WARNINGS = ['asyncapi-info-contact'];

/** What the maintained AsyncAPI parser finds wrong with a document: its errors and warnings. */
async function problemsOf(document: object): Promise<string[]> {
  const { document: parsed, diagnostics } = await new Parser().parse(JSON.stringify(document));
  const problems = diagnostics
    .filter(
      (diagnostic) =>
        diagnostic.severity === DiagnosticSeverity.Error ||
        (diagnostic.severity === DiagnosticSeverity.Warning &&
          !ACCEPTED_WARNINGS.includes(String(diagnostic.code))),
    )
    .map((diagnostic) => `${diagnostic.code} at ${diagnostic.path.join('.')}: ${diagnostic.message}`);
  if (!parsed) problems.push('the parser returned no document');
  return problems;
}

/** Every event definition the contracts export, found by its shape rather than by a list. */
function exportedEventDefinitions(): AnyEventDefinition[] {
  const isDefinition = (value: unknown): value is AnyEventDefinition =>
    typeof value === 'object' &&
    value !== null &&
    'context' in value &&
    'type' in value &&
    'version' in value &&
    'schema' in value;
  return (Object.values(contracts) as unknown[]).filter(isDefinition);
}

describe('the AsyncAPI documents, checked by @asyncapi/parser', () => {
  it.each(contracts.BOUNDED_CONTEXTS)(
    "%s's document (its service's /docs/asyncapi.json) has no errors or warnings",
    async (context) => {
      const document = asyncApiDocument({
        title: `Fleet ${context} events`,
        version: '1',
        context,
        events: CONTEXT_EVENTS[context],
      });
      expect(await problemsOf(document)).toEqual([]);
    },
    60_000,
  );

  it("Fleet's whole document has no errors or warnings", async () => {
    expect(await problemsOf(fleetAsyncApiDocument())).toEqual([]);
  }, 60_000);

  it('reports a broken document (the check can fail)', async () => {
    const document = fleetAsyncApiDocument() as Record<string, unknown>;
    expect(await problemsOf({ ...document, channels: 'none' })).not.toEqual([]);
  }, 60_000);

  it('describes every event type the contracts define, in its own context, with its data schema', () => {
    const definitions = exportedEventDefinitions();
    expect(definitions.length).toBeGreaterThan(30);
    const document = fleetAsyncApiDocument();
    const channels = Object.keys(document['channels'] as object);
    const messages = (
      document['components'] as {
        messages: Record<string, { payload: { properties: Record<string, unknown> } }>;
      }
    ).messages;
    for (const definition of definitions) {
      expect(channels).toContain(`fleet.${definition.context}.{facilityId}.${definition.type}`);
      expect(CONTEXT_EVENTS[definition.context]).toContain(definition);
      expect(messages[definition.type]?.payload.properties['schemaVersion']).toEqual({
        const: definition.version,
      });
    }
    expect(channels).toHaveLength(new Set(definitions).size);
  });

  it('refuses two events of one type: their messages would collide', () => {
    const [first] = contracts.PROCUREMENT_EVENTS;
    expect(() =>
      asyncApiDocument({ title: 't', version: '1', context: 'procurement', events: [first, first] }),
    ).toThrow(/defined twice/);
  });
});
