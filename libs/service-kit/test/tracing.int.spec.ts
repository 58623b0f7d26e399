import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-node';
import type { EventPage } from '@fleet/contracts';
import { LogCapture } from './support/log-capture';
import { WidgetsTestEnvironment } from './support/widgets-test-environment';
import { waitFor } from './widgets-app';
import { Received } from './widgets.module';

const ADMIN_KEY = 'admin-key-0123456789abcdef';
/** A caller's span, as its own tracing would send it. */
const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

interface LogLine {
  readonly msg: string;
  readonly correlationId?: string;
  readonly trace_id?: string;
  readonly span_id?: string;
}

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

// The SDK is registered for this test file's process (a Jest worker's module context), as
// `bootstrapService` registers it for a service; the app itself is told tracing is on by its setting.
describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const { lines, destination } = new LogCapture<LogLine>();
  let environment: WidgetsTestEnvironment;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    provider.register({ propagator: new W3CTraceContextPropagator() });
    environment = await WidgetsTestEnvironment.create('sqlite', 'kittrace');
    app = await environment.createApp(
      { FLEET_API_KEYS: `admin:${ADMIN_KEY}`, LOG_LEVEL: 'info', OTEL_TRACES_EXPORTER: 'console' },
      destination,
    );
  });

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
    await provider.shutdown();
    trace.disable();
  });

  beforeEach(() => exporter.reset());

  it("makes a write and the event's publish and consumption one trace, continuing the caller's", async () => {
    // Over a socket, with a body of many chunks: they arrive on the socket's callbacks, outside the
    // context the request's span was entered in (the schema drops the padding).
    await app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`${await app.getUrl()}/widgets`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ADMIN_KEY}`,
        'content-type': 'application/json',
        traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`,
      },
      body: JSON.stringify({ facilityId: 'site-1', name: 'traced', padding: 'x'.repeat(512 * 1024) }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await waitFor(
      () => app.get(Received).envelopes.find((received) => received.streamId === `widget-${id}`),
      'the widget event consumed',
    );
    const spans = await waitFor(() => {
      const finished = exporter.getFinishedSpans();
      return finished.some((span) => span.kind === SpanKind.CONSUMER) ? finished : undefined;
    }, 'the consumer span');

    const http = spans.find((span) => span.name === 'POST /widgets');
    const append = spans.find((span) => span.name === 'widget append');
    const publish = spans.find((span) => span.kind === SpanKind.PRODUCER);
    const consume = spans.find((span) => span.kind === SpanKind.CONSUMER);
    expect(http).toBeDefined();
    expect(append).toBeDefined();
    expect(publish).toBeDefined();
    expect(consume).toBeDefined();
    if (!http || !append || !publish || !consume) return;

    for (const span of [http, append, publish, consume])
      expect(span.spanContext().traceId).toBe(CALLER_TRACE_ID);
    expect(parentOf(http)).toBe(CALLER_SPAN_ID);
    expect(parentOf(append)).toBe(http.spanContext().spanId);
    expect(parentOf(publish)).toBe(append.spanContext().spanId);
    expect(parentOf(consume)).toBe(publish.spanContext().spanId);

    expect(http.kind).toBe(SpanKind.SERVER);
    expect(http.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/widgets',
      'http.response.status_code': 201,
    });
    expect(append.attributes).toMatchObject({
      'fleet.event_store.kind': 'sqlite',
      'fleet.stream.ids': [`widget-${id}`],
      'fleet.event.count': 1,
      'fleet.event.types': ['WidgetCreated'],
    });
    expect(publish.name).toMatch(/^publish .*\.site-1\.WidgetCreated$/);
    expect(publish.attributes['messaging.message.id']).toBe(
      app.get(Received).envelopes.find((received) => received.streamId === `widget-${id}`)?.eventId,
    );
    expect(consume.attributes).toMatchObject({
      'messaging.destination.name': 'fleet.inventory.site-1.WidgetCreated',
      'fleet.nats.redelivery_count': 0,
      'fleet.consumer.outcome': 'handled',
    });
    expect(consume.attributes['messaging.consumer.group.name']).toEqual(expect.any(String));
    expect(consume.attributes['fleet.nats.stream_sequence']).toEqual(expect.any(Number));

    // The event feed hands the append's trace context to readers that do not use NATS.
    const feed = await app.inject({
      method: 'GET',
      url: '/events?limit=1000',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const item = feed.json<EventPage>().items.find((event) => event.streamId === `widget-${id}`);
    expect(item?.traceparent).toBe(`00-${CALLER_TRACE_ID}-${append.spanContext().spanId}-01`);
  });

  it('names a span by its route, not its URL, and marks a 500 with its error; log lines carry the ids', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/boom?x=1',
      headers: { 'x-correlation-id': 'trace-boom' },
    });
    expect(response.statusCode).toBe(500);
    const span = exporter
      .getFinishedSpans()
      .find((one) => one.attributes['fleet.correlation_id'] === 'trace-boom');
    expect(span?.name).toBe('GET /boom');
    expect(span?.attributes['url.path']).toBe('/boom');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.events.map((event) => event.name)).toEqual(['exception']);
    const logged = lines.find(
      (line) => line.correlationId === 'trace-boom' && line.msg.startsWith('unexpected error'),
    );
    expect(logged?.trace_id).toBe(span?.spanContext().traceId);
    expect(logged?.span_id).toBe(span?.spanContext().spanId);
  });

  it('does not mark a refused request as failed, and leaves probes and scrapes untraced', async () => {
    const refused = await app.inject({
      method: 'GET',
      url: '/widgets',
      headers: { 'x-correlation-id': 'trace-401' },
    });
    expect(refused.statusCode).toBe(401);
    await app.inject({ method: 'GET', url: '/health/live' });
    await app.inject({ method: 'GET', url: '/metrics' });
    const spans = exporter.getFinishedSpans();
    const span = spans.find((one) => one.attributes['fleet.correlation_id'] === 'trace-401');
    expect(span?.attributes['http.response.status_code']).toBe(401);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(spans.map((one) => one.name)).toEqual(['GET /widgets']);
  });
});
