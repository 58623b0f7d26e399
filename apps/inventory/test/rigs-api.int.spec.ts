import { RIG_MODELS, RIG_STATUSES } from '@fleet/contracts';
import type { EventStore } from '@fleet/event-sourcing';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { EVENT_STORE, encodeCursor } from '@fleet/service-kit';
import type { Response } from 'light-my-request';
import { rigIdOf } from '../src/rigs/domain/rig-id';
import { RigView } from '../src/rigs/read-model/rig.views';
import { DataSource } from 'typeorm';
import { eventCount } from './event-count';
import { PROBLEM_JSON, startInventory, type CallOptions, type InventoryApp } from './inventory-app';

const facilityId = 'tx-api';

describe.each(TEST_DRIVERS)('inventory HTTP API on %s', (driver) => {
  let inventory: InventoryApp;
  let store: EventStore;

  beforeAll(async () => {
    inventory = await startInventory(driver);
    store = inventory.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(() => inventory?.close());

  const call = (method: 'GET' | 'POST', url: string, options?: CallOptions) =>
    inventory.call(method, url, options);

  async function register(serialNumber: string, overrides: Record<string, unknown> = {}): Promise<RigView> {
    const response = await call('POST', '/rigs', {
      body: { serialNumber, model: 'asicminer-8-nano-pro', facilityId, ...overrides },
    });
    expect(response.statusCode).toBe(201);
    return RigView.parse(response.json());
  }

  /** Runs `request` and checks it was refused with a problem of `status` and appended no event. */
  async function expectRefused(request: () => Promise<Response>, status: number, code?: string) {
    const before = await eventCount(inventory.app.get(DataSource));
    const response = await request();
    expect({ status: response.statusCode, body: response.json() }).toMatchObject({
      status,
      body: { status, ...(code ? { code } : {}) },
    });
    expect(response.headers['content-type']).toBe(PROBLEM_JSON);
    expect(await eventCount(inventory.app.get(DataSource))).toBe(before);
    return response.json() as { detail: string; code: string; details?: Record<string, unknown> };
  }

  describe('GET /models', () => {
    it('returns the catalogue to every reading role', async () => {
      for (const role of ['reports', 'finance', 'procurement', 'operations', 'admin'] as const) {
        const response = await call('GET', '/models', { as: role });
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ items: RIG_MODELS });
      }
      const models = (await call('GET', '/models')).json() as {
        items: { id: string; hashrateUnit: string }[];
      };
      expect(models.items.find((model) => model.id === 'asicminer-8-nano-pro')).toMatchObject({
        vendor: 'ASICminer',
        coin: 'BTC',
        algorithm: 'SHA-256',
        hashrateUnit: 'TH/s',
      });
    });

    it('wants an API key', async () => {
      const response = await call('GET', '/models', { as: null });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toBe(PROBLEM_JSON);
    });
  });

  describe('POST /rigs', () => {
    it('registers a rig by hand: 201, the rig, its version as ETag and its location', async () => {
      const response = await call('POST', '/rigs', {
        body: {
          serialNumber: 'HAND-1',
          model: 'bitmain-antminer-s19-pro',
          facilityId,
          macAddress: '00:1A:2B:3C:4D:5E',
        },
      });
      expect(response.statusCode).toBe(201);
      expect(response.headers.etag).toBe('"1"');
      expect(response.headers.location).toBe(`/rigs/${rigIdOf('HAND-1')}`);
      expect(response.json()).toEqual({
        id: rigIdOf('HAND-1'),
        serialNumber: 'HAND-1',
        model: 'bitmain-antminer-s19-pro',
        facilityId,
        status: 'received',
        macAddress: '00:1A:2B:3C:4D:5E',
        version: 1,
        registeredAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const [event] = (await store.readStream(`rig-${rigIdOf('HAND-1')}`)).events;
      expect(event.metadata.actor).toMatch(/^operations:/);
      expect(event.data).toMatchObject({ source: { kind: 'manual' } });
    });

    it('refuses a serial registered before with a 409 and appends nothing', async () => {
      await register('HAND-2');
      const problem = await expectRefused(
        () =>
          call('POST', '/rigs', {
            body: { serialNumber: 'HAND-2', model: 'asicminer-8-nano', facilityId: 'tx-other' },
          }),
        409,
        'rig-already-registered',
      );
      expect(problem.detail).toContain('HAND-2');
    });

    it.each([
      ['no body', undefined],
      ['an empty object', {}],
      ['a model outside the catalogue', { serialNumber: 'BAD-1', model: 'antminer-x99', facilityId }],
      ['a facility id with a dot', { serialNumber: 'BAD-1', model: 'asicminer-8-nano', facilityId: 'tx.01' }],
      ['a serial with spaces', { serialNumber: 'BAD 1', model: 'asicminer-8-nano', facilityId }],
      [
        'a malformed MAC address',
        { serialNumber: 'BAD-1', model: 'asicminer-8-nano', facilityId, macAddress: 'nope' },
      ],
      ['a number for the serial', { serialNumber: 42, model: 'asicminer-8-nano', facilityId }],
    ])('answers %s with a 400 problem and appends nothing', async (_case, body) => {
      await expectRefused(() => call('POST', '/rigs', body === undefined ? {} : { body }), 400);
    });

    it('answers malformed JSON with a 400 problem', async () => {
      await expectRefused(
        () =>
          call('POST', '/rigs', {
            body: '{"serialNumber":',
            headers: { 'content-type': 'application/json' },
          }),
        400,
        'malformed-json',
      );
    });

    it('admits operations and admin only', async () => {
      for (const role of ['reports', 'finance', 'procurement'] as const) {
        await expectRefused(
          () =>
            call('POST', '/rigs', {
              as: role,
              body: { serialNumber: 'ROLE-1', model: 'asicminer-8-nano', facilityId },
            }),
          403,
        );
      }
      expect(
        (
          await call('POST', '/rigs', {
            as: 'admin',
            body: { serialNumber: 'ROLE-1', model: 'asicminer-8-nano', facilityId },
          })
        ).statusCode,
      ).toBe(201);
    });
  });

  describe('GET /rigs/:id', () => {
    it('returns the rig with its version as ETag', async () => {
      const rig = await register('GET-1');
      const response = await call('GET', `/rigs/${rig.id}`, { as: 'reports' });
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe('"1"');
      expect(response.json()).toEqual(rig);
    });

    it('answers an unknown id with 404 and a malformed one with 400', async () => {
      const missing = await call('GET', `/rigs/${rigIdOf('NEVER-REGISTERED')}`);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ code: 'rig-not-found' });
      const malformed = await call('GET', '/rigs/not-a-uuid');
      expect(malformed.statusCode).toBe(400);
      expect(malformed.headers['content-type']).toBe(PROBLEM_JSON);
    });
  });

  describe('GET /rigs/:id/history', () => {
    it("returns the rig's events, oldest first", async () => {
      const rig = await register('HIST-1');
      await call('POST', `/rigs/${rig.id}/install`, { body: { rack: 'H-1', slot: 1 } });
      await call('POST', `/rigs/${rig.id}/repair`, { body: { reason: 'fan' } });
      const response = await call('GET', `/rigs/${rig.id}/history`, { as: 'finance' });
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe('"3"');
      const { items } = response.json() as {
        items: { type: string; streamVersion: number; data: unknown }[];
      };
      expect(items.map((event) => [event.type, event.streamVersion])).toEqual([
        ['RigRegistered', 1],
        ['RigInstalled', 2],
        ['RigSentToRepair', 3],
      ]);
      expect(items[2]).toMatchObject({
        streamId: `rig-${rig.id}`,
        facilityId,
        actor: expect.stringMatching(/^operations:/),
        data: { reason: 'fan', vacated: { rack: 'H-1', slot: 1 } },
      });
    });

    it('answers an unknown rig with 404', async () => {
      expect((await call('GET', `/rigs/${rigIdOf('NO-HISTORY')}/history`)).statusCode).toBe(404);
    });
  });

  describe('GET /rigs', () => {
    beforeAll(async () => {
      for (let index = 0; index < 25; index++) {
        await register(`LIST-${String(index).padStart(2, '0')}`, {
          facilityId: 'tx-list',
          model: index % 5 === 0 ? 'bitmain-antminer-z15' : 'asicminer-8-nano-pro',
        });
      }
      await register('LIST-ELSEWHERE', { facilityId: 'ca-list' });
      await call('POST', `/rigs/${rigIdOf('LIST-03')}/install`, { body: { rack: 'L-1', slot: 1 } });
    });

    it('pages through a facility in id order with cursors, each rig once', async () => {
      const seen: RigView[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query = `/rigs?facilityId=tx-list&limit=10${cursor ? `&cursor=${cursor}` : ''}`;
        const response = await call('GET', query, { as: 'reports' });
        expect(response.statusCode).toBe(200);
        const page = response.json() as { items: RigView[]; nextCursor: string | null };
        seen.push(...page.items);
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(25);
      expect(seen.map((rig) => rig.id)).toEqual(seen.map((rig) => rig.id).sort());
      expect(new Set(seen.map((rig) => rig.serialNumber)).size).toBe(25);
      expect(seen.every((rig) => rig.facilityId === 'tx-list')).toBe(true);
    });

    it('refuses a cursor it did not issue with a 400, before the database sees it', async () => {
      for (const after of ['not-a-uuid', '9999999999999999999', 'ZZZZZZZZ-ZZZZ-4ZZZ-8ZZZ-ZZZZZZZZZZZZ'])
        for (const cursor of [
          encodeCursor({ after }),
          encodeCursor({ after: rigIdOf('LIST-01'), extra: 1 }),
        ]) {
          const response = await call('GET', `/rigs?facilityId=tx-list&cursor=${cursor}`, { as: 'reports' });
          expect([after, response.statusCode]).toEqual([after, 400]);
          expect(response.json()).toMatchObject({ code: 'invalid-cursor' });
        }
    });

    it('filters by status, model and serial number', async () => {
      const installed = (await call('GET', '/rigs?facilityId=tx-list&status=installed')).json() as {
        items: RigView[];
      };
      expect(installed.items.map((rig) => rig.serialNumber)).toEqual(['LIST-03']);
      expect(installed.items[0]).toMatchObject({ rack: 'L-1', slot: 1 });

      const z15 = (await call('GET', '/rigs?facilityId=tx-list&model=bitmain-antminer-z15')).json() as {
        items: RigView[];
      };
      expect(z15.items.map((rig) => rig.serialNumber).sort()).toEqual([
        'LIST-00',
        'LIST-05',
        'LIST-10',
        'LIST-15',
        'LIST-20',
      ]);

      const bySerial = (await call('GET', '/rigs?serialNumber=LIST-ELSEWHERE')).json() as {
        items: RigView[];
        nextCursor: string | null;
      };
      expect(bySerial).toEqual({
        items: [expect.objectContaining({ facilityId: 'ca-list' })],
        nextCursor: null,
      });
    });

    it('answers an empty page, not an error, when nothing matches', async () => {
      expect((await call('GET', '/rigs?facilityId=nowhere')).json()).toEqual({ items: [], nextCursor: null });
    });

    it.each([
      ['an unknown status', 'status=broken'],
      ['an unknown model', 'model=antminer-x99'],
      ['a limit of 0', 'limit=0'],
      ['a limit over 1000', 'limit=1001'],
      ['a limit that is not a number', 'limit=ten'],
      ['a misspelt filter', 'facility=tx-list'],
      ['a cursor this API never issued', 'cursor=garbage!'],
      ['a well-formed cursor of another shape', `cursor=${Buffer.from('{"page":2}').toString('base64url')}`],
    ])('answers %s with a 400 problem', async (_case, query) => {
      const response = await call('GET', `/rigs?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe(PROBLEM_JSON);
    });
  });

  describe('POST /rigs/:id/install', () => {
    it('racks a received rig and answers the rig with its new ETag', async () => {
      const rig = await register('INST-1');
      const response = await call('POST', `/rigs/${rig.id}/install`, { body: { rack: 'I-1', slot: 4 } });
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe('"2"');
      expect(response.json()).toMatchObject({
        id: rig.id,
        status: 'installed',
        rack: 'I-1',
        slot: 4,
        version: 2,
      });
    });

    it('refuses a taken slot with a 409 naming the slot and its occupant', async () => {
      const first = await register('INST-2');
      const second = await register('INST-3');
      await call('POST', `/rigs/${first.id}/install`, { body: { rack: 'I-2', slot: 1 } });
      const problem = await expectRefused(
        () => call('POST', `/rigs/${second.id}/install`, { body: { rack: 'I-2', slot: 1 } }),
        409,
        'slot-taken',
      );
      expect(problem.detail).toBe(`slot I-2/1 in facility ${facilityId} is taken by rig INST-2`);
      expect(problem.details).toEqual({
        slots: [{ facilityId, rack: 'I-2', slot: 1, occupant: { rigId: first.id, serialNumber: 'INST-2' } }],
      });
    });

    it('refuses a rig that is not received with a 409 saying why', async () => {
      const rig = await register('INST-4');
      await call('POST', `/rigs/${rig.id}/install`, { body: { rack: 'I-3', slot: 1 } });
      const problem = await expectRefused(
        () => call('POST', `/rigs/${rig.id}/install`, { body: { rack: 'I-3', slot: 2 } }),
        409,
        'rig-status-forbids-install',
      );
      expect(problem.detail).toContain("is 'installed' in I-3/1");
      expect(problem.detail).toContain('can be sent to repair, decommissioned or powered on');
      expect(problem.details).toMatchObject({
        status: 'installed',
        allowedActions: ['send-to-repair', 'decommission', 'power-on'],
      });
    });

    it.each([
      ['no body', undefined],
      ['slot 0', { rack: 'I-4', slot: 0 }],
      ['slot 1001', { rack: 'I-4', slot: 1001 }],
      ['a fractional slot', { rack: 'I-4', slot: 1.5 }],
      ['a slot as text', { rack: 'I-4', slot: '1' }],
      ['a rack with a space', { rack: 'I 4', slot: 1 }],
      ['no rack', { slot: 1 }],
    ])('answers %s with a 400 problem and appends nothing', async (_case, body) => {
      const rig = await register(`INST-BAD-${_case.replaceAll(' ', '-')}`);
      await expectRefused(
        () => call('POST', `/rigs/${rig.id}/install`, body === undefined ? {} : { body }),
        400,
      );
    });

    it('answers an unknown rig with 404 and appends nothing', async () => {
      await expectRefused(
        () => call('POST', `/rigs/${rigIdOf('NOT-THERE')}/install`, { body: { rack: 'I-5', slot: 1 } }),
        404,
        'rig-not-found',
      );
    });

    it('honours If-Match: the current version passes, a stale one is a 412, a malformed one a 400', async () => {
      const rig = await register('INST-5');
      await expectRefused(
        () =>
          call('POST', `/rigs/${rig.id}/install`, {
            body: { rack: 'I-6', slot: 1 },
            headers: { 'if-match': '"7"' },
          }),
        412,
        'version-mismatch',
      );
      await expectRefused(
        () =>
          call('POST', `/rigs/${rig.id}/install`, {
            body: { rack: 'I-6', slot: 1 },
            headers: { 'if-match': 'seven' },
          }),
        400,
        'invalid-if-match',
      );
      const response = await call('POST', `/rigs/${rig.id}/install`, {
        body: { rack: 'I-6', slot: 1 },
        headers: { 'if-match': '"1"' },
      });
      expect(response.statusCode).toBe(200);
    });

    it('admits operations and admin only', async () => {
      const rig = await register('INST-6');
      await expectRefused(
        () => call('POST', `/rigs/${rig.id}/install`, { as: 'reports', body: { rack: 'I-7', slot: 1 } }),
        403,
      );
    });
  });

  describe('POST /rigs/:id/repair, /return and /decommission', () => {
    it('takes a rig through repair and back, freeing its slot for another rig', async () => {
      const rig = await register('LIFE-1');
      const other = await register('LIFE-2');
      await call('POST', `/rigs/${rig.id}/install`, { body: { rack: 'R-1', slot: 1 } });

      const repaired = await call('POST', `/rigs/${rig.id}/repair`, { body: { reason: 'hashboard 2 dead' } });
      expect(repaired.statusCode).toBe(200);
      expect(repaired.headers.etag).toBe('"3"');
      expect(repaired.json()).toMatchObject({ status: 'in_repair', version: 3 });
      expect(repaired.json()).not.toHaveProperty('rack');

      expect(
        (await call('POST', `/rigs/${other.id}/install`, { body: { rack: 'R-1', slot: 1 } })).statusCode,
      ).toBe(200);

      const back = await call('POST', `/rigs/${rig.id}/return`);
      expect(back.statusCode).toBe(200);
      expect(back.json()).toMatchObject({ status: 'received', version: 4 });
    });

    it('refuses repair of a rig in repair, and return of a rig that is not, each with a 409 saying why', async () => {
      const rig = await register('LIFE-3');
      const notInRepair = await expectRefused(
        () => call('POST', `/rigs/${rig.id}/return`),
        409,
        'rig-status-forbids-return-from-repair',
      );
      expect(notInRepair.detail).toContain("is 'received'");
      await call('POST', `/rigs/${rig.id}/repair`, { body: { reason: 'fan' } });
      const twice = await expectRefused(
        () => call('POST', `/rigs/${rig.id}/repair`, { body: { reason: 'fan again' } }),
        409,
        'rig-status-forbids-send-to-repair',
      );
      expect(twice.detail).toContain('can be returned from repair or decommissioned');
    });

    it('decommissions a racked rig, frees its slot, and refuses to do it twice', async () => {
      const rig = await register('LIFE-4');
      await call('POST', `/rigs/${rig.id}/install`, { body: { rack: 'R-2', slot: 1 } });
      const response = await call('POST', `/rigs/${rig.id}/decommission`, {
        body: { reason: 'end of life' },
        headers: { 'if-match': '"2"' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ status: 'decommissioned', version: 3 });
      const again = await expectRefused(
        () => call('POST', `/rigs/${rig.id}/decommission`, { body: { reason: 'again' } }),
        409,
        'rig-status-forbids-decommission',
      );
      expect(again.detail).toContain('allows no further action');
      const next = await register('LIFE-5');
      expect(
        (await call('POST', `/rigs/${next.id}/install`, { body: { rack: 'R-2', slot: 1 } })).statusCode,
      ).toBe(200);
    });

    it.each([
      ['repair', 'no body', undefined],
      ['repair', 'an empty reason', { reason: '' }],
      ['repair', 'a reason of 501 characters', { reason: 'x'.repeat(501) }],
      ['decommission', 'no body', undefined],
      ['decommission', 'a reason that is not text', { reason: 7 }],
    ])('answers %s with %s with a 400 problem and appends nothing', async (action, _case, body) => {
      const rig = await register(`BAD-${action}-${_case.replaceAll(' ', '-')}`);
      await expectRefused(
        () => call('POST', `/rigs/${rig.id}/${action}`, body === undefined ? {} : { body }),
        400,
      );
    });

    it.each(['repair', 'return', 'decommission'])(
      'answers %s of an unknown or malformed rig id with 404 / 400',
      async (action) => {
        const body = action === 'return' ? undefined : { reason: 'x' };
        await expectRefused(
          () => call('POST', `/rigs/${rigIdOf('GHOST')}/${action}`, { body }),
          404,
          'rig-not-found',
        );
        await expectRefused(() => call('POST', `/rigs/ghost/${action}`, { body }), 400);
      },
    );

    it.each(['repair', 'return', 'decommission'])(
      'answers %s with a stale If-Match with 412',
      async (action) => {
        const rig = await register(`STALE-${action}`);
        const body = action === 'return' ? undefined : { reason: 'x' };
        await expectRefused(
          () => call('POST', `/rigs/${rig.id}/${action}`, { body, headers: { 'if-match': '"2"' } }),
          412,
          'version-mismatch',
        );
      },
    );
  });

  describe('GET /facilities/:facilityId/summary', () => {
    it('counts by every status (zeros included) and by model', async () => {
      const summaryFacility = 'tx-summary';
      const rigs = [];
      for (const [index, model] of [
        'asicminer-8-nano-pro',
        'asicminer-8-nano-pro',
        'bitmain-antminer-z15',
        'asicminer-8-nano',
      ].entries()) {
        rigs.push(await register(`SUM-${index}`, { facilityId: summaryFacility, model }));
      }
      await call('POST', `/rigs/${rigs[0].id}/install`, { body: { rack: 'S-1', slot: 1 } });
      await call('POST', `/rigs/${rigs[1].id}/repair`, { body: { reason: 'dead on arrival' } });
      await call('POST', `/rigs/${rigs[2].id}/decommission`, { body: { reason: 'sold' } });

      const response = await call('GET', `/facilities/${summaryFacility}/summary`, { as: 'reports' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        facilityId: summaryFacility,
        total: 4,
        byStatus: {
          ...Object.fromEntries(RIG_STATUSES.map((status) => [status, 0])),
          installed: 1,
          in_repair: 1,
          decommissioned: 1,
          received: 1,
        },
        byModel: { 'asicminer-8-nano-pro': 2, 'bitmain-antminer-z15': 1, 'asicminer-8-nano': 1 },
      });
    });

    it('answers a facility without rigs with zeros and a malformed facility id with 400', async () => {
      expect((await call('GET', '/facilities/empty-site/summary')).json()).toMatchObject({
        total: 0,
        byStatus: { received: 0 },
        byModel: {},
      });
      expect((await call('GET', '/facilities/Not_A_Facility/summary')).statusCode).toBe(400);
    });
  });

  describe('events', () => {
    it('serves its own events by position', async () => {
      // On PostgreSQL the feed waits for every older transaction on the server to end (that keeps
      // it gap-free), so another test's open transaction may hold it back for a moment.
      let response = await call('GET', '/events?limit=5', { as: 'reports' });
      for (
        let attempt = 0;
        attempt < 200 && (response.json() as { items: unknown[] }).items.length === 0;
        attempt++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        response = await call('GET', '/events?limit=5', { as: 'reports' });
      }
      expect(response.statusCode).toBe(200);
      expect((response.json() as { items: { type: string }[] }).items[0]).toMatchObject({
        type: 'RigRegistered',
      });
    });
  });
});
