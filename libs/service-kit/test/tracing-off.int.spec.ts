import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { trace } from '@opentelemetry/api';
import type { EventPage } from '@fleet/contracts';
import { WidgetsTestEnvironment } from './support/widgets-test-environment';

const ADMIN_KEY = 'admin-key-0123456789abcdef';

// Its own file: the tracing test registers an SDK for its process, this one must find none.
describe('tracing, with no OTEL setting', () => {
  let environment: WidgetsTestEnvironment;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    environment = await WidgetsTestEnvironment.create('sqlite', 'kitnotrace');
    app = await environment.createApp({ FLEET_API_KEYS: `admin:${ADMIN_KEY}`, LOG_LEVEL: 'silent' });
  });

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('records nothing and stores no trace context with events, even for a caller that sends one', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/widgets',
      headers: {
        authorization: `Bearer ${ADMIN_KEY}`,
        'content-type': 'application/json',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
      payload: JSON.stringify({ facilityId: 'site-1', name: 'untraced' }),
    });
    expect(created.statusCode).toBe(201);
    const feed = await app.inject({
      method: 'GET',
      url: '/events',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const [event] = feed.json<EventPage>().items;
    expect(event).toMatchObject({ type: 'WidgetCreated' });
    expect(event).not.toHaveProperty('traceparent');
    expect(event).not.toHaveProperty('tracestate');

    // No provider was registered: whatever asks for a tracer gets the API's no-op one.
    const span = trace.getTracer('probe').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    span.end();
  });
});
