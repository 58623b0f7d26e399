import { jetstreamManager } from '@nats-io/jetstream';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import type { Response } from 'light-my-request';
import { DataSource } from 'typeorm';
import { daysOf } from '../src/periods/domain/calendar';
import { eventCount } from './event-count';
import { energyEnvelope } from './energy-envelope';
import { PROBLEM_JSON, startRevenue, waitFor, type CallOptions, type RevenueApp } from './revenue-app';

const facilityId = 'us-tx-api';

const payout = {
  facilityId,
  pool: 'Foundry',
  coin: 'BTC',
  amount: '0.50000000',
  paidAt: '2026-11-03T01:00:00Z',
  periodStart: '2026-11-02T00:00:00Z',
  periodEnd: '2026-11-03T00:00:00Z',
  txid: 'aa01',
};

describe.each(TEST_DRIVERS)('revenue HTTP API and energy consumer on %s', (driver) => {
  let revenue: RevenueApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    revenue = await startRevenue(driver);
    dataSource = revenue.app.get(DataSource);
  });
  afterAll(() => revenue?.close());

  const call = (method: 'GET' | 'POST', url: string, options?: CallOptions) =>
    revenue.call(method, url, options);

  async function expectRefused(request: () => Promise<Response>, status: number, code?: string) {
    const before = await eventCount(dataSource);
    const response = await request();
    expect({ status: response.statusCode, body: response.json() }).toMatchObject({
      status,
      body: { status, ...(code ? { code } : {}) },
    });
    expect(response.headers['content-type']).toBe(PROBLEM_JSON);
    expect(await eventCount(dataSource)).toBe(before);
    return response.json() as { detail: string; details?: Record<string, unknown> };
  }

  async function energyDays(): Promise<number> {
    const [row] = (await dataSource.query('SELECT COUNT(*) AS count FROM energy_days')) as {
      count: string;
    }[];
    return Number(row.count);
  }

  async function bookedEnergyEvents(): Promise<number> {
    const [row] = (await dataSource.query(
      "SELECT COUNT(*) AS count FROM events WHERE type = 'EnergyCostBooked'",
    )) as { count: string }[];
    return Number(row.count);
  }

  it('books a payout once per (pool, txid): 201, then 200 with the first payout', async () => {
    const first = await call('POST', '/payouts', { body: payout });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      period: '2026-11',
      amount: '0.50000000',
      day: '2026-11-03',
      usd: null,
      fixingUsd: null,
      lateFor: null,
    });
    const again = await call('POST', '/payouts', { body: { ...payout, amount: '9.00000000' } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
  });

  it('values the payouts waiting for a fixing when it arrives, and takes the same fixing again as a no-op', async () => {
    const posted = await call('POST', '/prices', {
      body: { fixings: [{ coin: 'BTC', date: '2026-11-03', usd: '91234.56' }] },
    });
    expect(posted.statusCode).toBe(200);
    expect(posted.json()).toEqual({
      fixings: [{ coin: 'BTC', date: '2026-11-03', usd: '91234.56' }],
      fixed: 1,
      valuedPayouts: 1,
    });
    const again = await call('POST', '/prices', {
      body: { fixings: [{ coin: 'BTC', date: '2026-11-03', usd: '91234.560' }] },
    });
    expect(again.json()).toMatchObject({ fixed: 0, valuedPayouts: 0 });
    const answered = await call('POST', '/payouts', { body: payout });
    expect(answered.json()).toMatchObject({ usd: '45617.28', fixingUsd: '91234.56' });
    // A payout of a day with a fixing is valued at once.
    const valued = await call('POST', '/payouts', {
      body: { ...payout, txid: 'aa02', amount: '0.00000001' },
    });
    expect(valued.json()).toMatchObject({ usd: '0.00', fixingUsd: '91234.56' });
  });

  it('refuses bad writes with problem+json and appends nothing', async () => {
    await expectRefused(
      () => call('POST', '/payouts', { body: { ...payout, txid: 'bad1', amount: '0.123456789' } }),
      400,
      'invalid-coin-amount',
    );
    await expectRefused(() => call('POST', '/payouts', { body: { ...payout, coin: 'DOGE' } }), 400);
    await expectRefused(() => call('POST', '/payouts', { body: { ...payout, facilityId: 'global' } }), 400);
    await expectRefused(() => call('POST', '/payouts', { body: payout, as: 'reports' }), 403);
    await expectRefused(
      () => call('POST', '/prices', { body: { fixings: [{ coin: 'BTC', date: '2026-11-03', usd: '1' }] } }),
      409,
      'price-already-fixed',
    );
    await expectRefused(
      () =>
        call('POST', '/prices', {
          body: {
            fixings: [
              { coin: 'ZEC', date: '2026-11-04', usd: '40' },
              { coin: 'ZEC', date: '2026-11-04', usd: '41' },
            ],
          },
        }),
      400,
      'fixing-twice-in-request',
    );
    await expectRefused(() => call('POST', `/facilities/${facilityId}/periods/2026-13/close`), 400);
  });

  it('imports a pool statement all or nothing, naming every bad line', async () => {
    const header = 'facilityId,pool,coin,amount,paidAt,periodStart,periodEnd,txid';
    const line = (txid: string, amount: string) =>
      `${facilityId},F2Pool,ZEC,${amount},2026-11-05T02:00:00Z,2026-11-04T00:00:00Z,2026-11-05T00:00:00Z,${txid}`;
    const csv = (...lines: string[]) => ({
      body: [header, ...lines].join('\n') + '\n',
      headers: { 'content-type': 'text/csv' },
    });
    const problem = await expectRefused(
      () =>
        call(
          'POST',
          '/payouts/import',
          csv(line('z1', '12.5'), line('z2', '1.000000001'), line('z3', 'x'), line('z4', '3')),
        ),
      400,
      'payout-import-rejected',
    );
    expect(problem.details).toMatchObject({
      totalLines: 4,
      badLines: 2,
      lines: [
        { line: 3, txid: 'z2', reason: expect.stringContaining('has 9 decimals; ZEC has 8') },
        { line: 4, txid: 'z3', reason: expect.stringContaining('amount') },
      ],
    });
    const imported = await call(
      'POST',
      '/payouts/import',
      csv(
        line('z1', '12.5'),
        line('z4', '3'),
        `${facilityId},Foundry,BTC,0.5,2026-11-03T01:00:00Z,2026-11-02T00:00:00Z,2026-11-03T00:00:00Z,aa01`,
      ),
    );
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toMatchObject({
      recorded: 2,
      repeated: 1,
      payouts: [
        { txid: 'z1', amount: '12.50000000', usd: null },
        { txid: 'z4' },
        { txid: 'aa01', usd: '45617.28' },
      ],
    });
    await expectRefused(
      () => call('POST', '/payouts/import', { body: { not: 'csv' } }),
      415,
      'unsupported-media-type',
    );
  });

  it('books power’s energy costs once each, however often they are delivered', async () => {
    const november = daysOf('2026-11');
    for (const day of november) {
      const envelope = energyEnvelope({
        facilityId,
        day,
        kwh: '68880',
        usd: '4821.6049',
        basis: 'estimated',
      });
      await revenue.publishPowerEvent(envelope);
      // The same event again under another message id: past JetStream's de-duplication, the inbox drops it.
      if (day === '2026-11-01') await revenue.publishPowerEvent(envelope, `${envelope.eventId}-again`);
    }
    await waitFor(
      async () => ((await energyDays()) === november.length ? true : undefined),
      '30 energy days',
    );
    // A later message of the stream is processed after the duplicate: once it is booked, the duplicate was seen.
    const marker = energyEnvelope({
      facilityId: 'us-tx-marker',
      day: '2026-11-01',
      kwh: '1',
      usd: '1',
      basis: 'measured',
    });
    await revenue.publishPowerEvent(marker);
    await waitFor(
      async () => ((await energyDays()) === november.length + 1 ? true : undefined),
      'the marker',
    );
    expect(await bookedEnergyEvents()).toBe(november.length + 1);
  });

  it('dead-letters an unreadable energy cost and goes on with the next', async () => {
    const broken = energyEnvelope({
      facilityId: 'us-tx-poison',
      day: '2026-11-01',
      kwh: '1',
      usd: '1',
      basis: 'measured',
    });
    await revenue.publishPowerEvent({ ...broken, data: { ...broken.data, kwh: -5 } });
    const next = energyEnvelope({
      facilityId: 'us-tx-poison',
      day: '2026-11-02',
      kwh: '1',
      usd: '1',
      basis: 'measured',
    });
    await revenue.publishPowerEvent(next);
    await waitFor(async () => ((await energyDays()) === 32 ? true : undefined), 'the event after the poison');
    const jsm = await jetstreamManager(revenue.nats);
    const deadLetters = await waitFor(async () => {
      const info = await jsm.streams.info(revenue.names.deadLetterStream);
      return info.state.messages > 0 ? info.state.messages : undefined;
    }, 'a dead letter');
    expect(deadLetters).toBe(1);
  });

  it('books one payout when the same (pool, txid) arrives at once for different months', async () => {
    const received = async () => {
      const [row] = (await dataSource.query(
        "SELECT COUNT(*) AS count FROM events WHERE type = 'PayoutReceived'",
      )) as {
        count: string;
      }[];
      return Number(row.count);
    };
    const before = await received();
    const months = ['2026-11-20', '2026-12-03', '2027-01-07', '2027-02-11', '2027-03-15'];
    const answers = await Promise.all(
      months.map((day) =>
        call('POST', '/payouts', {
          body: { ...payout, facilityId: 'us-tx-race', txid: 'race1', paidAt: `${day}T10:00:00Z` },
        }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 200, 200, 200, 201]);
    const first = answers.find((answer) => answer.statusCode === 201)?.json() as { period: string };
    for (const answer of answers) expect(answer.json()).toEqual(first);
    expect(await received()).toBe(before + 1);
  });

  it('refuses to close a month while payouts lack a fixing, listing them', async () => {
    const problem = await expectRefused(
      () => call('POST', `/facilities/${facilityId}/periods/2026-11/close`),
      409,
      'period-not-ready',
    );
    expect(problem.details).toMatchObject({
      missing: {
        payoutsWithoutFixing: [
          { pool: 'F2Pool', txid: 'z1', coin: 'ZEC', day: '2026-11-05' },
          { pool: 'F2Pool', txid: 'z4', coin: 'ZEC', day: '2026-11-05' },
        ],
        daysWithoutEnergyCost: [],
      },
    });
    const missingDays = await expectRefused(
      () => call('POST', `/facilities/${facilityId}/periods/2026-12/close`),
      409,
      'period-not-ready',
    );
    expect(
      (missingDays.details?.['missing'] as { daysWithoutEnergyCost: string[] }).daysWithoutEnergyCost,
    ).toHaveLength(31);
  });

  it('closes the month, after which its statement and journal never change; late facts land in the next month', async () => {
    await call('POST', '/prices', { body: { fixings: [{ coin: 'ZEC', date: '2026-11-05', usd: '41.37' }] } });
    const closed = await call('POST', `/facilities/${facilityId}/periods/2026-11/close`);
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ facilityId, month: '2026-11', status: 'closed' });

    const statementUrl = `/facilities/${facilityId}/statements/2026-11`;
    const journalUrl = `/facilities/${facilityId}/journal?month=2026-11`;
    const statement = await call('GET', statementUrl, { as: 'reports' });
    expect(statement.statusCode).toBe(200);
    expect(statement.json()).toEqual({
      facilityId,
      month: '2026-11',
      status: 'closed',
      closedAt: expect.any(String),
      revenueByCoin: [
        { coin: 'BTC', amount: '0.50000001', usd: '45617.28' },
        // 15.5 ZEC × 41.37 = 517.125 + 124.11 → 12.5 × 41.37 = 517.125 → 517.12 (half-even), 3 × 41.37 = 124.11
        { coin: 'ZEC', amount: '15.50000000', usd: '641.23' },
      ],
      revenueUsd: '46258.51',
      energy: {
        kwh: '2066400',
        usd: '144648.00',
        byBasis: [
          { basis: 'measured', kwh: '0', usd: '0.00' },
          { basis: 'estimated', kwh: '2066400', usd: '144648.00' },
        ],
      },
      grossMarginUsd: '-98389.49',
      costPerKwhUsd: '0.070000',
      priorPeriodAdjustments: { usd: '0.00', months: [] },
      // No rig of the facility was ever installed or powered: no rig time, no uptime.
      rigHours: '0.000',
      uptime: null,
      revenuePerThPerDayUsd: null,
      hashrate: [
        {
          algorithm: 'SHA-256',
          unit: 'TH/s',
          coin: 'BTC',
          onlineRigHours: '0.000',
          hashrateUnitDays: '0.000000',
          revenuePerUnitPerDayUsd: null,
        },
        {
          algorithm: 'Equihash',
          unit: 'kSol/s',
          coin: 'ZEC',
          onlineRigHours: '0.000',
          hashrateUnitDays: '0.000000',
          revenuePerUnitPerDayUsd: null,
        },
      ],
    });
    const journal = await call('GET', journalUrl, { as: 'admin' });
    const csv = await call('GET', journalUrl, { headers: { accept: 'text/csv' } });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.split('\r\n')[0]).toBe(
      'entry_id,date,late_for,memo,account,coin,debit_usd,credit_usd,debit_amount,credit_amount,kwh,basis',
    );
    // 2 payout entries + 2 of the import + 3 valuations, 30 energy entries: 2 lines each.
    expect(csv.body.split('\r\n').filter(Boolean)).toHaveLength(1 + 2 * (4 + 3 + 30));

    // A late payout and a corrected meter reading of November.
    const late = await call('POST', '/payouts', {
      body: { ...payout, txid: 'late1', paidAt: '2026-11-30T23:00:00Z' },
    });
    expect(late.statusCode).toBe(201);
    expect(late.json()).toMatchObject({ period: '2026-12', lateFor: '2026-11', day: '2026-11-30' });
    await revenue.publishPowerEvent(
      energyEnvelope({
        facilityId,
        day: '2026-11-30',
        kwh: '70000',
        usd: '4900',
        basis: 'measured',
        revision: 2,
      }),
    );
    await waitFor(
      async () => ((await bookedEnergyEvents()) === 33 ? true : undefined),
      'the correction of 2026-11-30',
    );

    const after = await call('GET', statementUrl);
    expect(after.body).toBe(statement.body);
    expect((await call('GET', journalUrl, { as: 'admin' })).body).toBe(journal.body);
    expect((await call('GET', journalUrl, { headers: { accept: 'text/csv' } })).body).toBe(csv.body);

    const december = (await call('GET', `/facilities/${facilityId}/statements/2026-12`)).json() as {
      status: string;
      revenueUsd: string;
      priorPeriodAdjustments: { usd: string; months: string[] };
    };
    expect(december).toMatchObject({
      status: 'open',
      revenueUsd: '0.00',
      // the late payout is not valued yet (no fixing of 2026-11-30); the correction costs 78.40 more
      priorPeriodAdjustments: { usd: '-78.40', months: ['2026-11'] },
    });
    const decemberJournal = (await call('GET', `/facilities/${facilityId}/journal?month=2026-12`)).json() as {
      entries: { lateFor: string | null }[];
    };
    expect(decemberJournal.entries.map((entry) => entry.lateFor)).toEqual(['2026-11', '2026-11']);
  });

  it('keeps the trial balance balanced in USD and per coin', async () => {
    const response = await call('GET', `/facilities/${facilityId}/trial-balance?asOf=2026-12-31`, {
      as: 'reports',
    });
    expect(response.statusCode).toBe(200);
    const balance = response.json() as {
      balanced: boolean;
      totals: {
        debitUsd: string;
        creditUsd: string;
        byCoin: { coin: string; debitAmount: string; creditAmount: string }[];
      };
    };
    expect(balance.balanced).toBe(true);
    expect(balance.totals.debitUsd).toBe(balance.totals.creditUsd);
    expect(balance.totals.byCoin).toEqual([
      { coin: 'BTC', debitAmount: '1.00000001', creditAmount: '1.00000001' },
      { coin: 'ZEC', debitAmount: '15.50000000', creditAmount: '15.50000000' },
    ]);
    const early = (await call('GET', `/facilities/${facilityId}/trial-balance?asOf=2026-11-02`)).json() as {
      accounts: unknown[];
    };
    expect(early.accounts.length).toBeGreaterThan(0);
    await expectRefused(() => call('GET', `/facilities/${facilityId}/trial-balance?asOf=yesterday`), 400);
  });
  it('books payouts racing the close either in the month, before it closed, or late in the next', async () => {
    const raceFacility = 'us-tx-close-race';
    for (const day of daysOf('2026-09'))
      await revenue.publishPowerEvent(
        energyEnvelope({ facilityId: raceFacility, day, kwh: '10', usd: '0.70', basis: 'measured' }),
      );
    await waitFor(async () => {
      const statement = await call('GET', `/facilities/${raceFacility}/statements/2026-09`);
      return (statement.json() as { energy: { kwh: string } }).energy.kwh === '300' ? true : undefined;
    }, 'September’s energy');
    await call('POST', '/prices', { body: { fixings: [{ coin: 'BTC', date: '2026-09-10', usd: '60000' }] } });

    const payouts = Array.from({ length: 8 }, (_, index) =>
      call('POST', '/payouts', {
        body: { ...payout, facilityId: raceFacility, txid: `cr${index}`, paidAt: '2026-09-10T12:00:00Z' },
      }),
    );
    const close = call('POST', `/facilities/${raceFacility}/periods/2026-09/close`);
    const [closed, ...booked] = await Promise.all([close, ...payouts]);
    expect(closed.statusCode).toBe(200);
    expect(booked.map((answer) => answer.statusCode)).toEqual(Array(8).fill(201));
    const views = booked.map((answer) => answer.json() as { period: string; lateFor: string | null });
    for (const view of views)
      expect(
        view.period === '2026-09'
          ? view.lateFor === null
          : view.period === '2026-10' && view.lateFor === '2026-09',
      ).toBe(true);
    const inSeptember = views.filter((view) => view.period === '2026-09').length;
    const september = (await call('GET', `/facilities/${raceFacility}/statements/2026-09`)).json() as {
      revenueByCoin: { coin: string; amount: string }[];
    };
    expect(september.revenueByCoin[0].amount).toBe(`${(inSeptember * 0.5).toFixed(8)}`);
  });
});
