import { Readable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import type { InjectOptions, Response as InjectResponse } from 'light-my-request';
import { DataSource } from 'typeorm';
import { WidgetsTestEnvironment } from './support/widgets-test-environment';

const OPERATIONS_KEY = 'operations-key-hostile-0123456789';
const REPORTS_KEY = 'reports-key-hostile-0123456789';
const MIB = 1024 * 1024;
/** Above the 1 MiB of ordinary routes, so that the two limits differ. */
const BODY_LIMIT_BYTES = 2 * MIB;
const PROBLEM = 'application/problem+json; charset=utf-8';

/**
 * A JSON body `{"items":[{},{},…` of `size` bytes, made as it is read, counting what was read.
 * It never closes the array: a server that parsed it would answer 400 (malformed), one that
 * refuses it first answers something else.
 */
class GeneratedBody extends Readable {
  bytesRead = 0;

  constructor(private readonly size: number) {
    super({ highWaterMark: 16 * 1024 });
  }

  override _read(wanted: number): void {
    if (this.bytesRead >= this.size) {
      this.push(null);
      return;
    }
    const head = this.bytesRead === 0 ? '{"items":[' : '';
    const chunk = Buffer.from(head + '{},'.repeat(Math.ceil(wanted / 3))).subarray(
      0,
      Math.min(wanted, this.size - this.bytesRead),
    );
    this.bytesRead += chunk.length;
    this.push(chunk);
  }
}

describe.each(TEST_DRIVERS)('hostile requests on %s', (driver) => {
  let environment: WidgetsTestEnvironment;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    environment = await WidgetsTestEnvironment.create(driver, 'hostile');
    app = await environment.createApp({
      FLEET_API_KEYS: `operations:${OPERATIONS_KEY},reports:${REPORTS_KEY}`,
      BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
    });
  });

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  function post(
    url: string,
    payload: InjectOptions['payload'],
    options: { key?: string; contentType?: string } = {},
  ): Promise<InjectResponse> {
    return app.inject({
      method: 'POST',
      url,
      payload,
      headers: {
        'content-type': options.contentType ?? 'application/json',
        ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      },
    });
  }

  async function widgetCount(): Promise<number> {
    const [row] = await app
      .get(DataSource)
      .query<{ count: number | string }[]>('SELECT COUNT(*) AS count FROM widgets');
    return Number(row.count);
  }

  function expectProblem(response: InjectResponse, status: number, code: string) {
    expect({ status: response.statusCode, code: response.json<{ code: string }>().code }).toEqual({
      status,
      code,
    });
    expect(response.headers['content-type']).toBe(PROBLEM);
  }

  describe('the API key is checked before the body is read', () => {
    it.each([
      ['roles on the method', '/widgets'],
      ['roles on the controller class', '/gadgets'],
      ['a large-body route', '/gadgets/bulk'],
    ])('malformed JSON without a key is a 401, not a 400 (%s)', async (_case, url) => {
      expectProblem(await post(url, '{"items": [1, 2'), 401, 'missing-api-key');
      expectProblem(
        await post(url, '{"items": [1, 2', { key: 'not-a-key-of-this-service' }),
        401,
        'invalid-api-key',
      );
      // With the key, the same body reaches the parser.
      expectProblem(await post(url, '{"items": [1, 2', { key: OPERATIONS_KEY }), 400, 'malformed-json');
    });

    it('a role the route does not admit is a 403 before the body is read', async () => {
      expectProblem(
        await post('/gadgets', '{"items": [1, 2', { key: REPORTS_KEY }),
        403,
        'role-not-admitted',
      );
    });

    it('a body larger than any limit, without a key, is a 401 (not a 413)', async () => {
      const body = `{"items":[${'{},'.repeat((4 * MIB) / 3)}{}]}`;
      expectProblem(await post('/gadgets/bulk', body), 401, 'missing-api-key');
      expectProblem(await post('/gadgets/bulk', body, { key: OPERATIONS_KEY }), 413, 'payload-too-large');
    });

    it('reads no more than a chunk or two of a streamed body sent without a key', async () => {
      const offered = 16 * MIB;
      const anonymous = new GeneratedBody(offered);
      expectProblem(await post('/gadgets/bulk', anonymous), 401, 'missing-api-key');
      expect(anonymous.bytesRead).toBeLessThanOrEqual(64 * 1024);

      // With a key, the same body is read up to the route's limit.
      expectProblem(
        await post('/gadgets/bulk', new GeneratedBody(4 * MIB), { key: OPERATIONS_KEY }),
        413,
        'payload-too-large',
      );
    });
  });

  it('answers a form body with 415, even one whose fields the route would take as JSON', async () => {
    const before = await widgetCount();
    const response = await post('/widgets', 'facilityId=site-1&name=from-a-form', {
      key: OPERATIONS_KEY,
      contentType: 'application/x-www-form-urlencoded',
    });
    expectProblem(response, 415, 'unsupported-media-type');
    expect(await widgetCount()).toBe(before);
  });

  describe('body limits', () => {
    /** `{"items":["xx…",…]}` of at least `bytes` bytes, in items of 1 KiB (few values). */
    const itemsOf = (bytes: number) => {
      const item = `"${'x'.repeat(1021)}"`;
      const count = Math.ceil(bytes / (item.length + 1));
      return { body: `{"items":[${Array.from({ length: count }, () => item).join(',')}]}`, count };
    };

    it('ordinary routes take 1 MiB, large-body routes BODY_LIMIT_BYTES; each 413 names its limit', async () => {
      const overMib = itemsOf(MIB + 16);
      const tooBig = await post('/gadgets', overMib.body, { key: OPERATIONS_KEY });
      expectProblem(tooBig, 413, 'payload-too-large');
      expect(tooBig.json<{ detail: string }>().detail).toBe(
        `the request body is larger than the limit of ${MIB} bytes`,
      );

      const taken = await post('/gadgets/bulk', overMib.body, { key: OPERATIONS_KEY });
      expect(taken.statusCode).toBe(200);
      expect(taken.json()).toEqual({ count: overMib.count });

      const overLimit = await post('/gadgets/bulk', itemsOf(BODY_LIMIT_BYTES + 16).body, {
        key: OPERATIONS_KEY,
      });
      expectProblem(overLimit, 413, 'payload-too-large');
      expect(overLimit.json<{ detail: string }>().detail).toBe(
        `the request body is larger than the limit of ${BODY_LIMIT_BYTES} bytes`,
      );
    });

    it('refuses a JSON body of more than 500,000 values with a 413, within the byte limit', async () => {
      // The body, its member `items` and 499,998 elements: 500,000 values.
      const atCap = `{"items":[${'0,'.repeat(499_997)}0]}`;
      expect((await post('/gadgets/bulk', atCap, { key: OPERATIONS_KEY })).json()).toEqual({
        count: 499_998,
      });

      const overCap = await post('/gadgets/bulk', `{"items":[${'{},'.repeat(500_000)}{}]}`, {
        key: OPERATIONS_KEY,
      });
      expectProblem(overCap, 413, 'json-too-many-values');
      expect(overCap.json<{ detail: string }>().detail).toContain('more than 500000 JSON values');
    });
  });

  it.each([
    ['a path that is not UTF-8 once decoded', '/widgets/%ED%A0%80', 400, 'malformed-url'],
    [
      'a path parameter longer than the router takes',
      `/widgets/${'x'.repeat(101)}`,
      414,
      'path-parameter-too-long',
    ],
  ])('answers %s, which the router refuses, with a problem', async (_case, url, status, code) => {
    const response = await app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${OPERATIONS_KEY}` },
    });
    expectProblem(response, status, code);
    expect(response.json()).toMatchObject({
      instance: url,
      correlationId: response.headers['x-correlation-id'],
    });
  });

  describe('text the database cannot store', () => {
    const widget = { facilityId: 'site-1', name: 'w' };

    it.each([
      [
        'NUL in a value',
        { ...widget, name: 'a\u0000b' },
        'name',
        'the NUL character (U+0000) at character 2',
      ],
      ['a lone high surrogate', { ...widget, name: 'x\ud800' }, 'name', 'unpaired UTF-16 surrogate (U+D800)'],
      ['a lone low surrogate', { ...widget, tags: ['ok', '\udc00y'] }, 'tags.1', 'U+DC00) at character 1'],
      ['NUL in a member name', { ...widget, ['bad\u0000key']: 1 }, 'bad\\u0000key', 'is a member name'],
    ])('answers %s with a 400 naming its path, and stores nothing', async (_case, body, path, message) => {
      const before = await widgetCount();
      const response = await post('/widgets', JSON.stringify(body), { key: OPERATIONS_KEY });
      expectProblem(response, 400, 'validation-failed');
      const problem = response.json<{ detail: string; errors: { path: string; message: string }[] }>();
      expect(problem.errors).toEqual([
        { path, message: expect.stringContaining(message), code: 'invalid_characters' },
      ]);
      expect(problem.detail).toMatch(/^the request body is invalid: /);
      expect(await widgetCount()).toBe(before);
    });

    it('takes text with characters outside the BMP (a valid surrogate pair)', async () => {
      const response = await post('/widgets', JSON.stringify({ ...widget, name: 'rig 😀 €' }), {
        key: OPERATIONS_KEY,
      });
      expect(response.statusCode).toBe(201);
    });

    it('refuses NUL in a path parameter and in a query string', async () => {
      const path = await app.inject({
        method: 'GET',
        url: '/widgets/a%00b',
        headers: { authorization: `Bearer ${OPERATIONS_KEY}` },
      });
      expectProblem(path, 400, 'validation-failed');
      expect(path.json()).toMatchObject({
        detail: expect.stringMatching(/^the path is invalid: id: holds the NUL/),
      });

      const query = await app.inject({
        method: 'GET',
        url: '/widgets?cursor=%00',
        headers: { authorization: `Bearer ${OPERATIONS_KEY}` },
      });
      expectProblem(query, 400, 'validation-failed');
      expect(query.json()).toMatchObject({ errors: [{ path: 'cursor' }] });
    });

    it('refuses NUL in a CSV body, naming its line and column', async () => {
      const response = await post('/widgets/import', 'serialNumber,rack,slot\nSN1,A\u0000,1\n', {
        key: OPERATIONS_KEY,
        contentType: 'text/csv',
      });
      expectProblem(response, 400, 'validation-failed');
      expect(response.json()).toMatchObject({
        errors: [{ path: '(root)', message: expect.stringContaining('at line 2, column 6') }],
      });
    });

    it.each([
      ['JSON', 'application/json', Buffer.from('{"facilityId":"site-1","name":"caf\xe9"}', 'latin1')],
      ['CSV', 'text/csv', Buffer.from('serialNumber,rack,slot\nSN\xff,A,1\n', 'latin1')],
      [
        'an encoded surrogate',
        'application/json',
        Buffer.from([...Buffer.from('{"name":"'), 0xed, 0xa0, 0x80, 0x22, 0x7d]),
      ],
    ])(
      'answers a %s body that is not UTF-8 with a 400, rather than storing U+FFFD',
      async (_case, type, bytes) => {
        const before = await widgetCount();
        const url = type === 'text/csv' ? '/widgets/import' : '/widgets';
        expectProblem(
          await post(url, bytes, { key: OPERATIONS_KEY, contentType: type }),
          400,
          'invalid-utf8',
        );
        expect(await widgetCount()).toBe(before);
      },
    );
  });
});
