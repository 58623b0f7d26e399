import type { EventStore } from '@fleet/event-sourcing';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { EVENT_STORE } from '@fleet/service-kit';
import type { Response } from 'light-my-request';
import { registerReceivedRigs } from '../src/rigs/commands/register-received-rigs/register-received-rigs';
import { rigIdOf } from '../src/rigs/domain/rig-id';
import { DataSource } from 'typeorm';
import { eventCount } from './event-count';
import { PROBLEM_JSON, startInventory, type CallOptions, type InventoryApp } from './inventory-app';
import { receiptEnvelope } from './receipt-envelope';

const facilityId = 'tx-bulk';

interface RowProblemBody {
  row: number;
  serialNumber: string | null;
  code: string;
  reason: string;
}

describe.each(TEST_DRIVERS)('POST /rigs/install (bulk) on %s', (driver) => {
  let inventory: InventoryApp;
  let store: EventStore;

  beforeAll(async () => {
    inventory = await startInventory(driver);
    store = inventory.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(() => inventory?.close());

  const call = (method: 'GET' | 'POST', url: string, options?: CallOptions) =>
    inventory.call(method, url, options);
  const csv = (text: string, options: CallOptions = {}) =>
    call('POST', '/rigs/install', {
      ...options,
      body: text,
      headers: { 'content-type': 'text/csv', ...options.headers },
    });
  const json = (body: unknown, options: CallOptions = {}) =>
    call('POST', '/rigs/install', { ...options, body });

  async function register(...serials: string[]) {
    for (const serialNumber of serials) {
      const response = await call('POST', '/rigs', {
        body: { serialNumber, model: 'asicminer-8-nano-pro', facilityId },
      });
      expect(response.statusCode).toBe(201);
    }
  }
  const rig = async (serial: string) =>
    (await call('GET', `/rigs/${rigIdOf(serial)}`)).json() as {
      status: string;
      rack?: string;
      slot?: number;
      version: number;
    };

  async function expectRejected(request: () => Promise<Response>, status: number) {
    const before = await eventCount(inventory.app.get(DataSource));
    const response = await request();
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toBe(PROBLEM_JSON);
    expect(await eventCount(inventory.app.get(DataSource))).toBe(before);
    return response.json() as {
      code: string;
      detail: string;
      details: { rows: RowProblemBody[]; totalRows: number; badRows: number };
    };
  }

  it('racks the placements of a JSON body', async () => {
    await register('J-1', 'J-2', 'J-3');
    const response = await json({
      placements: [
        { serialNumber: 'J-1', rack: 'J', slot: 1 },
        { serialNumber: 'J-2', rack: 'J', slot: 2 },
        { serialNumber: 'J-3', rack: 'K', slot: 1 },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ installed: 3 });
    expect(await rig('J-2')).toMatchObject({ status: 'installed', rack: 'J', slot: 2, version: 2 });
    expect(await rig('J-3')).toMatchObject({ status: 'installed', rack: 'K', slot: 1 });
  });

  it('racks the placements of a CSV body (CRLF, columns in any order, quoted fields)', async () => {
    await register('C-1', 'C-2');
    const response = await csv('\uFEFFrack,slot,serialNumber\r\nC,1,C-1\r\n"C",2,"C-2"\r\n');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ installed: 2 });
    expect(await rig('C-1')).toMatchObject({ status: 'installed', rack: 'C', slot: 1 });
    expect(await rig('C-2')).toMatchObject({ status: 'installed', rack: 'C', slot: 2 });
  });

  it('installs nothing when any row is bad, and lists every bad row with its reason', async () => {
    await register('E-OK', 'E-RACKED', 'E-TAKEN', 'E-TWIN-SLOT', 'E-MALFORMED', 'E-GONE');
    await call('POST', `/rigs/${rigIdOf('E-RACKED')}/install`, { body: { rack: 'X', slot: 1 } });
    await call('POST', `/rigs/${rigIdOf('E-GONE')}/decommission`, { body: { reason: 'sold' } });

    const problem = await expectRejected(
      () =>
        csv(
          [
            'serialNumber,rack,slot',
            'E-OK,Z,1', //           2: fine on its own
            'E-UNKNOWN,Z,2', //      3: no such rig
            'E-RACKED,Z,3', //       4: installed already
            'E-TAKEN,X,1', //        5: X/1 holds E-RACKED
            'E-TWIN-SLOT,Z,1', //    6: Z/1 is row 2's
            'E-OK,Z,9', //           7: E-OK is on row 2
            'E-MALFORMED,Z 1,1', //  8: a rack with a space
            'E-SHORT,Z', //          9: two fields
            'E-GONE,Z,4', //        10: decommissioned
          ].join('\n'),
        ),
      400,
    );
    expect(problem.code).toBe('bulk-install-rejected');
    expect(problem.details).toMatchObject({ totalRows: 9, badRows: 8 });
    expect(problem.details.rows.map(({ row, serialNumber, code }) => [row, serialNumber, code])).toEqual([
      [3, 'E-UNKNOWN', 'unknown-serial'],
      [4, 'E-RACKED', 'rig-status-forbids-install'],
      [5, 'E-TAKEN', 'slot-taken'],
      [6, 'E-TWIN-SLOT', 'slot-twice-in-file'],
      [7, 'E-OK', 'serial-twice-in-file'],
      [8, 'E-MALFORMED', 'malformed-row'],
      [9, 'E-SHORT', 'malformed-row'],
      [10, 'E-GONE', 'rig-status-forbids-install'],
    ]);
    const reasons = Object.fromEntries(problem.details.rows.map((row) => [row.row, row.reason]));
    expect(reasons[3]).toBe('no rig has serial number E-UNKNOWN');
    expect(reasons[4]).toContain("is 'installed' in X/1");
    expect(reasons[5]).toBe(`slot X/1 in facility ${facilityId} is taken by rig E-RACKED`);
    expect(reasons[6]).toBe(`slot Z/1 in facility ${facilityId} is also given to row 2`);
    expect(reasons[7]).toBe('serial E-OK is also on row 2');
    expect(reasons[8]).toContain('rack');
    expect(reasons[9]).toBe('expected 3 fields (serialNumber,rack,slot), found 2');
    expect(reasons[10]).toContain("is 'decommissioned'");
    expect(problem.detail).toMatch(/^8 of 9 rows cannot be installed, so none was: row 3 \(E-UNKNOWN\)/);
    expect(await rig('E-OK')).toMatchObject({ status: 'received', version: 1 });
  });

  it('answers with 409 when every bad row is a conflict with the registry, not a fault of the request', async () => {
    await register('S-1', 'S-2');
    await call('POST', `/rigs/${rigIdOf('S-1')}/install`, { body: { rack: 'S', slot: 1 } });
    const problem = await expectRejected(
      () => json({ placements: [{ serialNumber: 'S-2', rack: 'S', slot: 1 }] }),
      409,
    );
    expect(problem.details.rows).toEqual([
      {
        row: 1,
        serialNumber: 'S-2',
        code: 'slot-taken',
        reason: `slot S/1 in facility ${facilityId} is taken by rig S-1`,
      },
    ]);
  });

  it('numbers JSON rows by their position and names what is malformed', async () => {
    await register('P-1');
    const problem = await expectRejected(
      () =>
        json({
          placements: [
            { serialNumber: 'P-1', rack: 'P', slot: 1 },
            { serialNumber: 'P-2', rack: 'P', slot: 0 },
            'not a placement',
          ],
        }),
      400,
    );
    expect(problem.details.rows).toEqual([
      { row: 2, serialNumber: 'P-2', code: 'malformed-row', reason: expect.stringContaining('slot') },
      { row: 3, serialNumber: null, code: 'malformed-row', reason: expect.any(String) },
    ]);
  });

  it.each([
    ['a JSON body without placements', () => ({ body: { rows: [] } }), 'bulk-install-body-invalid'],
    ['an empty placements list', () => ({ body: { placements: [] } }), 'bulk-install-empty'],
    [
      'more than 20,000 placements',
      () => ({
        body: {
          placements: Array.from({ length: 20_001 }, (_, slot) => ({ serialNumber: 'X', rack: 'R', slot })),
        },
      }),
      'bulk-install-too-many',
    ],
    [
      'a CSV without the header',
      () => ({ body: 'J-1,J,1\n', headers: { 'content-type': 'text/csv' } }),
      'csv-header-invalid',
    ],
    ['an empty CSV', () => ({ body: '', headers: { 'content-type': 'text/csv' } }), 'csv-empty'],
    [
      'a CSV with a header only',
      () => ({ body: 'serialNumber,rack,slot\n', headers: { 'content-type': 'text/csv' } }),
      'csv-no-rows',
    ],
  ])('answers %s with a 400 problem and appends nothing', async (_case, request, code) => {
    const problem = await expectRejected(() => call('POST', '/rigs/install', request()), 400);
    expect(problem.code).toBe(code);
  });

  it('stops reading a CSV of 8 million lines at the first row past 20,000: a 400 naming the cap', async () => {
    // 16 MB, within BODY_LIMIT_BYTES: every line a malformed row, had the reader gone on.
    const problem = await expectRejected(
      () => csv(`serialNumber,rack,slot\n${'a\n'.repeat(8_000_000)}`),
      400,
    );
    expect(problem.code).toBe('bulk-install-too-many');
    expect(problem.detail).toBe(
      'at most 20000 placements per request, and this one has more: split the file',
    );
    expect(problem.details).toEqual({ maxPlacements: 20_000 });
  });

  it('takes a JSON body larger than the 1 MiB of other routes: 20,000 placements of the longest serials', async () => {
    const placements = Array.from({ length: 20_000 }, (_, index) => ({
      serialNumber: `L-${String(index).padStart(62, '0')}`,
      rack: 'R'.repeat(32),
      slot: index === 0 ? 0 : 1,
    }));
    expect(JSON.stringify({ placements }).length).toBeGreaterThan(2 * 1024 * 1024);
    // Read and checked row by row (not refused for its size): row 1's slot is out of range.
    const problem = await expectRejected(() => json({ placements }), 400);
    expect(problem.code).toBe('bulk-install-rejected');
    expect(problem.details.rows[0]).toMatchObject({ row: 1, code: 'malformed-row' });
  });

  it('answers a body that is neither JSON nor CSV with 415', async () => {
    await expectRejected(
      () => call('POST', '/rigs/install', { body: 'J-1 J 1', headers: { 'content-type': 'text/plain' } }),
      415,
    );
  });

  it('admits operations and admin only', async () => {
    await expectRejected(
      () => json({ placements: [{ serialNumber: 'J-1', rack: 'Q', slot: 1 }] }, { as: 'reports' }),
      403,
    );
  });

  it('replays the answer to a repeated Idempotency-Key instead of installing twice', async () => {
    await register('IDEM-1');
    const request = () =>
      json(
        { placements: [{ serialNumber: 'IDEM-1', rack: 'ID', slot: 1 }] },
        { headers: { 'idempotency-key': 'bulk-idem-1' } },
      );
    const first = await request();
    const before = await eventCount(inventory.app.get(DataSource));
    const second = await request();
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(second.json()).toEqual(first.json());
    expect(await eventCount(inventory.app.get(DataSource))).toBe(before);
  });

  it('racks 6,000 rigs from one CSV in one request', async () => {
    for (let part = 0; part < 6; part++) {
      const envelope = receiptEnvelope(1000, { facilityId, prefix: 'MANY', first: part * 1000 });
      await store.transaction((session) => registerReceivedRigs(session, envelope));
    }
    const lines = ['serialNumber,rack,slot'];
    for (let index = 0; index < 6000; index++)
      lines.push(`MANY-${String(index).padStart(6, '0')},M-${Math.floor(index / 100)},${(index % 100) + 1}`);
    const started = performance.now();
    const response = await csv(lines.join('\n'));
    const elapsed = performance.now() - started;
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ installed: 6000 });
    process.stdout.write(
      `[inventory] ${driver}: bulk install of 6,000 rigs from CSV in ${elapsed.toFixed(0)} ms\n`,
    );
    const summary = (await call('GET', `/facilities/${facilityId}/summary`)).json() as {
      byStatus: Record<string, number>;
    };
    expect(summary.byStatus['installed']).toBeGreaterThanOrEqual(6000);
    expect(await rig('MANY-005999')).toMatchObject({ rack: 'M-59', slot: 100 });
  });
});
