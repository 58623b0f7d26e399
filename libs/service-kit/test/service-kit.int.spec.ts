import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { tmpdir } from 'node:os';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventPage } from '@fleet/contracts';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { MessagingNames, NatsUnavailableError } from '@fleet/messaging';
import type { InjectOptions, Response as InjectResponse } from 'light-my-request';
import { DataSource } from 'typeorm';
import type { EventStore, RecordedEvent } from '@fleet/event-sourcing';
import {
  ConfigError,
  EVENT_STORE,
  MessagingLifecycle,
  NATS_CONNECTION,
  createServiceApp,
  keyIdOf,
} from '../src';
import { IdempotencyStore } from '../src/idempotency/idempotency.store';
import { NATS_URL, WidgetsTestEnvironment } from './support/widgets-test-environment';
import { Gate, Received, SERVICE, WidgetsModule } from './widgets.module';
import { waitFor } from './widgets-app';

const KEYS = {
  admin: 'admin-key-0123456789abcdef',
  operations: 'operations-key-0123456789abcdef',
  reports: 'reports-key-0123456789abcdef',
} as const;
const FLEET_API_KEYS = Object.entries(KEYS)
  .map(([role, key]) => `${role}:${key}`)
  .join(',');
const BODY_LIMIT_BYTES = 64 * 1024;
const PROBLEM = 'application/problem+json; charset=utf-8';

describe.each(TEST_DRIVERS)('service-kit on %s', (driver) => {
  let environment: WidgetsTestEnvironment;
  let names: MessagingNames;
  let app: NestFastifyApplication;
  let closed = false;

  function call(
    method: InjectOptions['method'],
    url: string,
    options: { key?: keyof typeof KEYS; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<InjectResponse> {
    return app.inject({
      method,
      url,
      headers: {
        ...(options.key ? { authorization: `Bearer ${KEYS[options.key]}` } : {}),
        ...options.headers,
      },
      ...(options.body === undefined
        ? {}
        : typeof options.body === 'string'
          ? { payload: options.body }
          : {
              payload: JSON.stringify(options.body),
              headers: {
                'content-type': 'application/json',
                ...(options.key ? { authorization: `Bearer ${KEYS[options.key]}` } : {}),
                ...options.headers,
              },
            }),
    });
  }

  /** Read from the store itself: GET /events only lists what the PostgreSQL horizon lets through. */
  async function eventsOf(widgetId: string): Promise<readonly RecordedEvent[]> {
    return (await app.get<EventStore>(EVENT_STORE).readStream(`widget-${widgetId}`)).events;
  }

  async function widgetsNamed(name: string): Promise<number> {
    const [row] = await app.get(DataSource).manager.sql<
      readonly { n: number | string }[]
    >`SELECT count(*) AS n FROM widgets WHERE name = ${name}`;
    return Number(row.n);
  }

  function createWidget(
    body: unknown = { facilityId: 'site-1', name: 'w' },
    headers: Record<string, string> = {},
  ) {
    return call('POST', '/widgets', { key: 'operations', body, headers });
  }

  beforeAll(async () => {
    environment = await WidgetsTestEnvironment.create(driver, 'kit');
    names = environment.names;
    app = await environment.createApp({
      FLEET_API_KEYS,
      BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
    });
  });

  afterAll(async () => {
    if (app && !closed) await app.close();
    await environment?.dispose();
  });

  describe('health', () => {
    it('is live and ready without a key', async () => {
      const live = await call('GET', '/health/live');
      expect(live.statusCode).toBe(200);
      expect(live.json()).toMatchObject({ status: 'ok' });
      const ready = await call('GET', '/health/ready');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, nats: { status: 'up' }, relay: { status: 'up' } },
      });
    });
  });

  describe('auth', () => {
    it('answers a missing key with a 401 problem and a bearer challenge', async () => {
      const response = await call('GET', '/widgets');
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toBe(PROBLEM);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="fleet"');
      expect(response.json()).toMatchObject({ status: 401, code: 'missing-api-key', instance: '/widgets' });
    });

    it('answers an unknown key with a 401 problem', async () => {
      const response = await call('GET', '/widgets', {
        headers: { authorization: 'Bearer not-a-key-of-this-service' },
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'invalid-api-key' });
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it('answers a role the route does not admit with a 403 problem', async () => {
      const response = await createWidget(
        { facilityId: 'site-1', name: 'w' },
        { authorization: `Bearer ${KEYS.reports}` },
      );
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ status: 403, code: 'role-not-admitted' });
      expect(response.json().detail).toContain('reports');
    });

    it('admits admin everywhere and nobody else on a route without @Roles', async () => {
      expect((await call('GET', '/admin-only', { key: 'admin' })).statusCode).toBe(200);
      expect((await call('GET', '/admin-only', { key: 'operations' })).statusCode).toBe(403);
      expect(
        (
          await createWidget(
            { facilityId: 'site-1', name: 'by admin' },
            { authorization: `Bearer ${KEYS.admin}` },
          )
        ).statusCode,
      ).toBe(201);
    });

    it('records the actor as role and key id, never the key', async () => {
      const created = await createWidget({ facilityId: 'site-1', name: 'actor' });
      const { id } = created.json<{ id: string }>();
      const [event] = await eventsOf(id);
      expect(event.metadata.actor).toBe(`operations:${keyIdOf(KEYS.operations)}`);
      expect(JSON.stringify(event.metadata)).not.toContain(KEYS.operations);
    });
  });

  describe('problem+json', () => {
    it('answers malformed JSON with a 400', async () => {
      const response = await call('POST', '/widgets', {
        key: 'operations',
        body: '{"facilityId": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe(PROBLEM);
      expect(response.json()).toMatchObject({
        code: 'malformed-json',
        type: 'urn:fleet:problem:malformed-json',
      });
    });

    it.each([
      ['without', {}],
      ['with', { 'idempotency-key': 'key-deep-json' }],
    ])('answers JSON nested too deep with a 400, %s an Idempotency-Key', async (_, headers) => {
      const response = await call('POST', '/widgets', {
        key: 'operations',
        // Valid JSON within BODY_LIMIT_BYTES, deep enough to overflow the stack of a recursive walk.
        body: `${'['.repeat(BODY_LIMIT_BYTES / 2 - 512)}${']'.repeat(BODY_LIMIT_BYTES / 2 - 512)}`,
        headers: { 'content-type': 'application/json', ...headers },
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe(PROBLEM);
      expect(response.json()).toMatchObject({ code: 'json-too-deep' });
    });

    it('still takes a deep body that is within the limit', async () => {
      const response = await createWidget({
        facilityId: 'site-1',
        name: 'deep',
        extra: JSON.parse(`${'['.repeat(60)}${']'.repeat(60)}`) as unknown,
      });
      expect(response.statusCode).toBe(201);
    });

    it('answers an invalid body with a 400 listing each issue with its path', async () => {
      const response = await createWidget({ facilityId: 'Site 1', tags: ['ok', ''] });
      expect(response.statusCode).toBe(400);
      const problem = response.json();
      expect(problem).toMatchObject({ status: 400, code: 'validation-failed', title: 'Invalid request' });
      expect(problem.errors.map((error: { path: string }) => error.path)).toEqual([
        'facilityId',
        'name',
        'tags.1',
      ]);
      expect(problem.detail).toMatch(/^the request body is invalid: facilityId: /);
    });

    it(`answers a body over BODY_LIMIT_BYTES with a 413`, async () => {
      const response = await createWidget({ facilityId: 'site-1', name: 'x'.repeat(BODY_LIMIT_BYTES) });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({
        code: 'payload-too-large',
        detail: `the request body is larger than the limit of ${BODY_LIMIT_BYTES} bytes`,
      });
    });

    it('answers an unknown route with a 404 problem', async () => {
      const response = await call('GET', '/nowhere', { key: 'admin' });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toBe(PROBLEM);
      expect(response.json()).toMatchObject({ code: 'not-found', instance: '/nowhere' });
    });

    it('answers a domain error with its kind and code', async () => {
      const response = await call('POST', '/widgets/00000000-0000-4000-8000-000000000000/rename', {
        key: 'operations',
        body: { name: 'x' },
      });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({
        code: 'widget-not-found',
        type: 'urn:fleet:problem:widget-not-found',
      });
    });

    it('answers an unexpected error with a 500 that leaks nothing, quoting the correlation id', async () => {
      const response = await call('GET', '/boom', { headers: { 'x-correlation-id': 'trace-boom-1' } });
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain('hunter2');
      expect(response.json()).toMatchObject({ code: 'internal-error', correlationId: 'trace-boom-1' });
      expect(response.headers['x-correlation-id']).toBe('trace-boom-1');
    });

    it('refuses a garbage cursor with a 400', async () => {
      const response = await call('GET', '/widgets?cursor=garbage!', { key: 'reports' });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'invalid-cursor' });
    });
  });

  describe('correlation id', () => {
    it("echoes the caller's id, or makes one", async () => {
      const given = await call('GET', '/ping', { headers: { 'x-correlation-id': 'abc-123' } });
      expect(given.headers['x-correlation-id']).toBe('abc-123');
      const made = await call('GET', '/ping', { headers: { 'x-correlation-id': 'has spaces, and more' } });
      expect(made.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('records it on the events the request caused', async () => {
      const created = await createWidget(
        { facilityId: 'site-1', name: 'traced' },
        { 'x-correlation-id': 'trace-42' },
      );
      const { id } = created.json<{ id: string }>();
      const [event] = await eventsOf(id);
      expect(event.metadata.correlationId).toBe('trace-42');
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response for the same request, appending nothing more', async () => {
      const body = { facilityId: 'site-1', name: 'once', tags: ['a'] };
      const first = await createWidget(body, { 'idempotency-key': 'key-replay-1' });
      expect(first.statusCode).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();

      // The same body with its keys in another order is the same request.
      const again = await createWidget(
        { tags: ['a'], name: 'once', facilityId: 'site-1' },
        { 'idempotency-key': 'key-replay-1' },
      );
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
      expect(again.headers['etag']).toBe(first.headers['etag']);
      expect(again.headers['location']).toBe(first.headers['location']);
      expect(again.headers['content-type']).toBe(first.headers['content-type']);
      // Nothing ran twice: the widget exists once, created by one event.
      expect(await eventsOf(again.json<{ id: string }>().id)).toHaveLength(1);
      const widgets = await app.get(DataSource).manager.sql<
        { n: number | string }[]
      >`SELECT COUNT(*) AS n FROM widgets WHERE name = 'once'`;
      expect(Number(widgets[0].n)).toBe(1);
    });

    it('refuses the same key with another body with a 422', async () => {
      expect(
        (await createWidget({ facilityId: 'site-1', name: 'a' }, { 'idempotency-key': 'key-reuse' }))
          .statusCode,
      ).toBe(201);
      const reused = await createWidget(
        { facilityId: 'site-1', name: 'b' },
        { 'idempotency-key': 'key-reuse' },
      );
      expect(reused.statusCode).toBe(422);
      expect(reused.headers['content-type']).toBe(PROBLEM);
      expect(reused.json()).toMatchObject({ code: 'idempotency-key-reused' });
    });

    it('scopes keys to the caller', async () => {
      const body = { facilityId: 'site-1', name: 'mine' };
      const mine = await createWidget(body, { 'idempotency-key': 'key-scoped' });
      const theirs = await createWidget(body, {
        'idempotency-key': 'key-scoped',
        authorization: `Bearer ${KEYS.admin}`,
      });
      expect(theirs.statusCode).toBe(201);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect(theirs.json().id).not.toBe(mine.json().id);
    });

    it('makes a retry wait for the first request in flight, then replays its answer', async () => {
      const gate = app.get(Gate);
      gate.close();
      const body = { facilityId: 'site-1', name: 'slow' };
      const first = createWidget(body, { 'idempotency-key': 'key-in-flight' });
      let duplicate: Promise<InjectResponse> | undefined;
      try {
        await gate.entered;
        duplicate = createWidget(body, { 'idempotency-key': 'key-in-flight' });
        const settled = await Promise.race([
          duplicate.then(() => 'answered'),
          new Promise((resolve) => setTimeout(() => resolve('waiting'), 300)),
        ]);
        expect(settled).toBe('waiting');
      } finally {
        gate.open();
      }
      const [answered, replayed] = await Promise.all([first, duplicate]);
      expect(answered.statusCode).toBe(201);
      expect(replayed?.statusCode).toBe(201);
      expect(replayed?.headers['idempotent-replayed']).toBe('true');
      expect(replayed?.json()).toEqual(answered.json());
      expect(await widgetsNamed('slow')).toBe(1);
    });

    it('replays the answer of a command whose COMMIT acknowledgement was lost', async () => {
      const store = app.get<EventStore>(EVENT_STORE);
      const transaction = store.transaction.bind(store);
      store.transaction = async (work) => {
        await transaction(work);
        throw new Error('connection reset after COMMIT');
      };
      const body = { facilityId: 'site-1', name: 'lost-ack' };
      try {
        expect((await createWidget(body, { 'idempotency-key': 'key-lost-ack' })).statusCode).toBe(500);
      } finally {
        store.transaction = transaction;
      }
      const retry = await createWidget(body, { 'idempotency-key': 'key-lost-ack' });
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.headers.location).toBe(`/widgets/${retry.json().id}`);
      expect(await eventsOf(retry.json().id)).toHaveLength(1);
      expect(await widgetsNamed('lost-ack')).toBe(1);
    });

    it('rolls the command back when its answer cannot be recorded, so that a retry runs it once', async () => {
      const keys = app.get(IdempotencyStore);
      const complete = keys.complete.bind(keys);
      keys.complete = () => Promise.reject(new Error('disk full'));
      const body = { facilityId: 'site-1', name: 'unrecorded' };
      try {
        expect((await createWidget(body, { 'idempotency-key': 'key-unrecorded' })).statusCode).toBe(500);
      } finally {
        keys.complete = complete;
      }
      expect(await widgetsNamed('unrecorded')).toBe(0);
      const retry = await createWidget(body, { 'idempotency-key': 'key-unrecorded' });
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      expect(await widgetsNamed('unrecorded')).toBe(1);
    });

    it('frees the key of a failed request, so that a corrected retry runs', async () => {
      const invalid = await createWidget({ facilityId: 'site-1' }, { 'idempotency-key': 'key-after-400' });
      expect(invalid.statusCode).toBe(400);
      const fixed = await createWidget(
        { facilityId: 'site-1', name: 'fixed' },
        { 'idempotency-key': 'key-after-400' },
      );
      expect(fixed.statusCode).toBe(201);
    });

    it('refuses a malformed key', async () => {
      const response = await createWidget(
        { facilityId: 'site-1', name: 'x' },
        { 'idempotency-key': 'k'.repeat(300) },
      );
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'invalid-idempotency-key' });
    });
  });

  describe('ETag and If-Match', () => {
    it('serves the version as ETag and refuses a stale If-Match with a 412', async () => {
      const created = await createWidget({ facilityId: 'site-1', name: 'v1' });
      expect(created.headers['etag']).toBe('"1"');
      const { id } = created.json<{ id: string }>();

      const renamed = await call('POST', `/widgets/${id}/rename`, {
        key: 'operations',
        body: { name: 'v2' },
        headers: { 'if-match': '"1"' },
      });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.headers['etag']).toBe('"2"');

      const stale = await call('POST', `/widgets/${id}/rename`, {
        key: 'operations',
        body: { name: 'v3' },
        headers: { 'if-match': 'W/"1"' },
      });
      expect(stale.statusCode).toBe(412);
      expect(stale.json()).toMatchObject({
        code: 'version-mismatch',
        details: { expectedVersion: 1, actualVersion: 2 },
      });

      const read = await call('GET', `/widgets/${id}`, { key: 'reports' });
      expect(read.headers['etag']).toBe('"2"');
      expect(read.json()).toEqual({ id, name: 'v2' });
    });

    it('refuses a malformed If-Match with a 400', async () => {
      const response = await call('POST', '/widgets/00000000-0000-4000-8000-000000000000/rename', {
        key: 'operations',
        body: { name: 'x' },
        headers: { 'if-match': 'version 7' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'invalid-if-match' });
    });
  });

  describe("the app's own parts", () => {
    it("runs the app's migrations and Nest-instantiated projections in the append transaction", async () => {
      const { id } = (await createWidget({ facilityId: 'site-1', name: 'projected' })).json<{ id: string }>();
      const rows = await app.get(DataSource).manager.sql<
        { name: string }[]
      >`SELECT name FROM widgets WHERE id = ${id}`;
      expect(rows).toEqual([{ name: 'projected' }]);
    });

    it('pages a list by cursor', async () => {
      const first = (await call('GET', '/widgets?limit=2', { key: 'reports' })).json<{
        items: { id: string }[];
        nextCursor: string;
      }>();
      expect(first.items).toHaveLength(2);
      const second = (
        await call('GET', `/widgets?limit=2&cursor=${first.nextCursor}`, { key: 'reports' })
      ).json<{ items: { id: string }[] }>();
      expect(second.items[0].id > first.items[1].id).toBe(true);
    });

    it('takes a text/csv body as a string', async () => {
      const response = await call('POST', '/widgets/import', {
        key: 'operations',
        body: 'serialNumber,rack,slot\nSN1,A-1,1\nSN2,A-1,2\n',
        headers: { 'content-type': 'text/csv' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ rows: 2 });
    });

    it("publishes appended events through the relay to the app's @EventPattern handler", async () => {
      const { id } = (await createWidget({ facilityId: 'site-9', name: 'published' })).json<{ id: string }>();
      const envelope = await waitFor(
        () => app.get(Received).envelopes.find((received) => received.streamId === `widget-${id}`),
        'the handler to receive WidgetCreated',
      );
      expect(envelope).toMatchObject({
        type: 'WidgetCreated',
        facilityId: 'site-9',
        data: { name: 'published' },
      });
    });
  });

  describe('event handler errors', () => {
    it('reach the transport as they are: a poison message is dead-lettered at once', async () => {
      await createWidget({ facilityId: 'site-1', name: 'poison' });
      await waitFor(async () => {
        const metrics = (await call('GET', '/metrics')).body;
        return /fleet_dead_letters_total\{[^}]*consumer="widgets-WidgetCreated"[^}]*reason="poison"[^}]*\} 1/.test(
          metrics,
        )
          ? true
          : undefined;
      }, 'the poison message to be dead-lettered');
      const observer = await connect({ servers: NATS_URL });
      try {
        const info = await (await jetstreamManager(observer)).streams.info(names.deadLetterStream);
        expect(info.state.messages).toBe(1);
      } finally {
        await observer.close();
      }
    });
  });

  describe('GET /events', () => {
    it('serves the events in commit order by position', async () => {
      const all = EventPage.parse((await call('GET', '/events?limit=1000', { key: 'reports' })).json());
      expect(all.items.length).toBeGreaterThan(3);
      const positions = all.items.map((item) => BigInt(item.position));
      expect([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(positions);

      const first = EventPage.parse((await call('GET', '/events?limit=2', { key: 'operations' })).json());
      expect(first.items).toEqual(all.items.slice(0, 2));
      expect(first.nextAfter).toBe(all.items[1].position);
      const second = EventPage.parse(
        (await call('GET', `/events?after=${first.nextAfter}&limit=2`, { key: 'reports' })).json(),
      );
      expect(second.items).toEqual(all.items.slice(2, 4));

      const end = EventPage.parse(
        (await call('GET', `/events?after=${all.items.at(-1)?.position}`, { key: 'reports' })).json(),
      );
      expect(end).toEqual({ items: [], nextAfter: null });
    });

    it('refuses a limit over 1000 and a position that is not one', async () => {
      expect((await call('GET', '/events?limit=1001', { key: 'reports' })).statusCode).toBe(400);
      for (const after of ['-1', 'abc', '1.5', '9223372036854775808', '1'.repeat(40)]) {
        const bad = await call('GET', `/events?after=${after}`, { key: 'reports' });
        expect([after, bad.statusCode]).toEqual([after, 400]);
        expect(bad.json().errors[0].path).toBe('after');
      }
      // The largest bigint passes validation and reaches the store, which knows no such position.
      const largest = await call('GET', '/events?after=9223372036854775807', { key: 'reports' });
      expect([largest.statusCode, largest.json().code]).toEqual([404, 'position-not-found']);
    });
  });

  describe('metrics and docs', () => {
    it('exposes the named metrics without a key', async () => {
      await call('GET', '/ping');
      const response = await call('GET', '/metrics');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/plain');
      const text = response.body;
      expect(text).toMatch(
        /http_request_duration_seconds_count\{[^}]*method="GET"[^}]*route="\/ping"[^}]*status_code="200"/,
      );
      expect(text).toMatch(/fleet_events_appended_total\{[^}]*type="WidgetCreated"[^}]*\} [1-9]/);
      expect(text).toMatch(/fleet_relay_lag_events\{[^}]*stream="KIT_/);
      expect(text).toMatch(/fleet_events_published_total\{[^}]*\} [1-9]/);
      expect(text).toContain('# TYPE fleet_consumer_lag_messages gauge');
      expect(text).toContain('# TYPE fleet_dead_letters_total counter');
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).toContain(`service="${SERVICE}"`);
    });

    it('serves the AsyncAPI document of its events at /docs/asyncapi.json, without a key', async () => {
      const response = await call('GET', '/docs/asyncapi.json');
      expect(response.statusCode).toBe(200);
      const document = response.json();
      expect(document.asyncapi).toBe('2.6.0');
      expect(Object.keys(document.channels).sort()).toEqual([
        'fleet.inventory.{facilityId}.WidgetCreated',
        'fleet.inventory.{facilityId}.WidgetRenamed',
      ]);
    });

    it("serves Fleet's whole AsyncAPI document, every context's events, at /docs/fleet-asyncapi.json", async () => {
      const response = await call('GET', '/docs/fleet-asyncapi.json');
      expect(response.statusCode).toBe(200);
      const channels = Object.keys(response.json().channels);
      for (const context of ['procurement', 'inventory', 'power', 'revenue'])
        expect(channels.some((channel) => channel.startsWith(`fleet.${context}.`))).toBe(true);
    });

    it('serves AsyncAPI documents the AsyncAPI parser finds no error in', async () => {
      for (const url of ['/docs/asyncapi.json', '/docs/fleet-asyncapi.json']) {
        const { diagnostics } = await new Parser().parse((await call('GET', url)).body);
        const errors = diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error);
        expect([url, errors.map((error) => error.message)]).toEqual([url, []]);
      }
    }, 60_000);

    it('serves a valid OpenAPI document at /docs-json and the UI at /docs, without a key', async () => {
      const response = await call('GET', '/docs-json');
      expect(response.statusCode).toBe(200);
      const document = response.json();
      expect(document.openapi).toMatch(/^3\.0\./);
      expect(document.info.title).toBe(`Fleet ${SERVICE}`);
      expect(document.components.securitySchemes.bearer).toEqual(
        expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      );

      const create = document.paths['/widgets'].post;
      expect(create.security).toEqual([{ bearer: [] }]);
      expect(create['x-fleet-roles']).toEqual(['admin', 'operations']);
      expect(create.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]),
      );
      const bodySchema = create.requestBody.content['application/json'].schema;
      expect(bodySchema).toMatchObject({ type: 'object', required: ['facilityId', 'name'] });
      expect(bodySchema.properties.tags).toMatchObject({ type: 'array', default: [] });

      const rename = document.paths['/widgets/{id}/rename'].post;
      // Declared with @Route: tag, summary, status, answer schema, roles and error answers.
      expect(rename).toMatchObject({ tags: ['widgets'], summary: 'Rename a widget' });
      expect(rename['x-fleet-roles']).toEqual(['admin', 'operations']);
      expect(rename.responses['200'].content['application/json'].schema).toMatchObject({
        type: 'object',
        required: ['name'],
      });
      expect(Object.keys(rename.responses).sort()).toEqual(['200', '401', '403', '404', '412']);
      expect(rename.parameters).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'If-Match', in: 'header' }),
          expect.objectContaining({ name: 'id', in: 'path', required: true }),
        ]),
      );
      expect(
        document.paths['/events'].get.parameters.map((parameter: { name: string }) => parameter.name).sort(),
      ).toEqual(['after', 'limit']);
      expect(document.paths['/health/ready'].get.security).toBeUndefined();

      // Every reference resolves inside the document.
      const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((match) => match[1]);
      for (const ref of refs) {
        const target = ref
          .split('/')
          .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], document);
        expect({ ref, resolved: target !== undefined }).toEqual({ ref, resolved: true });
      }

      const ui = await call('GET', '/docs');
      expect(ui.statusCode).toBe(200);
      expect(ui.headers['content-type']).toContain('text/html');
    });
  });

  describe('shutdown', () => {
    it('flushes the relay, then closes the transport, NATS and the database', async () => {
      const nats = app.get<NatsConnection>(NATS_CONNECTION);
      const dataSource = app.get(DataSource);
      const relay = app.get(MessagingLifecycle).relay;
      const { id } = (await createWidget({ facilityId: 'site-1', name: 'last' })).json<{ id: string }>();
      // On PostgreSQL an event becomes readable (to the relay too) once no older transaction in the
      // cluster is still open; wait for that, so that what follows tests the flush, not the horizon.
      await waitFor(async () => {
        const page = (await call('GET', '/events?limit=1000', { key: 'reports' })).json<EventPage>();
        return page.items.some((item) => item.streamId === `widget-${id}`) ? true : undefined;
      }, 'the event to be readable');

      closed = true;
      await app.close();

      expect(relay?.state).toBe('stopped');
      expect(nats.isClosed()).toBe(true);
      expect(dataSource.isInitialized).toBe(false);
      // The event appended just before the close reached JetStream.
      const observer = await connect({ servers: NATS_URL });
      try {
        const jsm = await jetstreamManager(observer);
        const stream = names.streamOf('inventory');
        const last = await jsm.streams.getMessage(stream, {
          last_by_subj: names.subjectOf('inventory', 'site-1', 'WidgetCreated'),
        });
        expect(last?.json<{ streamId: string }>().streamId).toBe(`widget-${id}`);
      } finally {
        await observer.close();
      }
    });
  });
});

describe('start-up failures', () => {
  it('names the wrong setting', async () => {
    await expect(
      createServiceApp({
        service: SERVICE,
        module: WidgetsModule,
        config: { FLEET_API_KEYS, PORT: 'eighty' },
      }),
    ).rejects.toThrow(ConfigError);
  });

  it('says in one line that NATS is not reachable and how to start it', async () => {
    const attempt = createServiceApp({
      service: SERVICE,
      module: WidgetsModule,
      config: { FLEET_API_KEYS, NATS_URL: 'nats://127.0.0.1:1', DATA_DIR: tmpdir() },
    });
    await expect(attempt).rejects.toThrow(NatsUnavailableError);
    await expect(attempt).rejects.toThrow(
      /^NATS is not reachable at nats:\/\/127\.0\.0\.1:1 .*nats-server -js/,
    );
  });
});
