import { call, eventually, type Driver } from './support/fleet';
import { REVENUE_KEYS, RevenueRun } from './support/revenue-run';

interface StatementView {
  status: string;
  revenueByCoin: { coin: string; amount: string; usd: string }[];
  revenueUsd: string;
  energy: { kwh: string; usd: string; byBasis: { basis: string; kwh: string; usd: string }[] };
  grossMarginUsd: string;
  priorPeriodAdjustments: { usd: string; months: string[] };
}

const november = Array.from({ length: 30 }, (_, index) => `2026-11-${String(index + 1).padStart(2, '0')}`);
/** 1,300 rigs × 2.1 kW × PUE 1.05 × 24 h. */
const KWH_PER_DAY = '68796';

/**
 * The seed's facility over November: 1,300 rigs' energy from power (as events on JetStream), a
 * month of BTC and ZEC payouts from two pools worth more than 3.5 M USD (a pool statement in CSV),
 * the fixings, the close, and a late payout and a late meter correction that land in December
 * while November's statement and journal stay byte for byte the same, across a restart.
 */
describe.each<Driver>(['sqlite', 'postgres'])(
  'revenue: a month of payouts and energy, closed (%s)',
  (driver) => {
    let run: RevenueRun;
    const facilityId = `e2e-rev-${driver}-${Date.now().toString(36)}`;
    const finance = { key: REVENUE_KEYS.finance };

    beforeAll(async () => {
      run = await RevenueRun.start(driver);
    });
    afterAll(async () => {
      await run?.dispose();
    });

    const get = <T>(url: string) =>
      call<T>(run.revenue, 'GET', url, undefined, { key: REVENUE_KEYS.reports });
    const statementUrl = `/facilities/${facilityId}/statements/2026-11`;

    async function getText(url: string, accept: string): Promise<string> {
      const response = await fetch(`${run.revenue.baseUrl}${url}`, {
        headers: { authorization: `Bearer ${REVENUE_KEYS.reports}`, accept },
      });
      expect(response.status).toBe(200);
      return response.text();
    }

    it('books the month, refuses to close it early, closes it, and keeps it closed', async () => {
      // Fixings of every day but the last: its payouts wait in coin.
      const fixings = november.slice(0, -1).flatMap((day, index) => [
        { coin: 'BTC', date: day, usd: `${91_000 + index * 37}.25` },
        { coin: 'ZEC', date: day, usd: `${41 + index}.37` },
      ]);
      expect((await call(run.revenue, 'POST', '/prices', { fixings }, finance)).status).toBe(200);

      const header = 'facilityId,pool,coin,amount,paidAt,periodStart,periodEnd,txid';
      const lines = november.flatMap((day, index) => [
        `${facilityId},Foundry,BTC,1.3${String(index).padStart(7, '0')},${day}T02:00:00Z,${day}T00:00:00Z,${day}T00:00:00Z,btc${index}`,
        `${facilityId},F2Pool,ZEC,250.5,${day}T03:00:00Z,${day}T00:00:00Z,${day}T00:00:00Z,zec${index}`,
      ]);
      const imported = await fetch(`${run.revenue.baseUrl}/payouts/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${REVENUE_KEYS.finance}`, 'content-type': 'text/csv' },
        body: [header, ...lines].join('\n'),
      });
      expect(imported.status).toBe(200);
      expect(await imported.json()).toMatchObject({ recorded: 60, repeated: 0 });

      for (const day of november)
        await run.publishEnergyCost(facilityId, {
          day,
          kwh: KWH_PER_DAY,
          usd: '4815.72',
          basis: 'estimated',
          revision: 1,
        });
      // The meter reading of the 15th replaces the estimate.
      await run.publishEnergyCost(facilityId, {
        day: '2026-11-15',
        kwh: '69002.5',
        usd: '4830.175',
        basis: 'measured',
        revision: 2,
      });
      await eventually(
        async () => {
          const { body } = await get<StatementView>(statementUrl);
          return body.energy.byBasis.find((basis) => basis.basis === 'measured')?.kwh === '69002.5'
            ? body
            : undefined;
        },
        30_000,
        () => 'the energy of November booked',
      );

      const early = await call<{ code: string; details: { missing: { payoutsWithoutFixing: unknown[] } } }>(
        run.revenue,
        'POST',
        `/facilities/${facilityId}/periods/2026-11/close`,
        undefined,
        finance,
      );
      expect(early.status).toBe(409);
      expect(early.body.details.missing.payoutsWithoutFixing).toEqual([
        { pool: 'Foundry', txid: 'btc29', coin: 'BTC', day: '2026-11-30' },
        { pool: 'F2Pool', txid: 'zec29', coin: 'ZEC', day: '2026-11-30' },
      ]);

      const last = await call<{ valuedPayouts: number }>(
        run.revenue,
        'POST',
        '/prices',
        {
          fixings: [
            { coin: 'BTC', date: '2026-11-30', usd: '92111.11' },
            { coin: 'ZEC', date: '2026-11-30', usd: '70.01' },
          ],
        },
        finance,
      );
      expect(last.body.valuedPayouts).toBe(2);
      const closed = await call(
        run.revenue,
        'POST',
        `/facilities/${facilityId}/periods/2026-11/close`,
        undefined,
        finance,
      );
      expect(closed.status).toBe(200);

      const statement = await getText(statementUrl, 'application/json');
      const figures = JSON.parse(statement) as StatementView;
      expect(figures.status).toBe('closed');
      expect(Number(figures.revenueUsd)).toBeGreaterThan(3_500_000);
      expect(figures.revenueByCoin.map((coin) => coin.amount)).toEqual(['39.00000435', '7515.00000000']);
      expect(figures.energy).toEqual({
        kwh: '2064086.5',
        usd: '144486.06',
        byBasis: [
          { basis: 'measured', kwh: '69002.5', usd: '4830.18' },
          { basis: 'estimated', kwh: '1995084', usd: '139655.88' },
        ],
      });
      const journalUrl = `/facilities/${facilityId}/journal?month=2026-11`;
      const journalJson = await getText(journalUrl, 'application/json');
      const journalCsv = await getText(journalUrl, 'text/csv');

      // A payout of the 30th that the pool reports late, and a corrected reading of the 16th.
      const late = await call<{ period: string; lateFor: string }>(
        run.revenue,
        'POST',
        '/payouts',
        {
          facilityId,
          pool: 'Foundry',
          coin: 'BTC',
          amount: '0.25',
          paidAt: '2026-11-30T23:59:00Z',
          periodStart: '2026-11-30T00:00:00Z',
          periodEnd: '2026-11-30T23:00:00Z',
          txid: 'btclate',
        },
        finance,
      );
      expect(late.status).toBe(201);
      expect(late.body).toMatchObject({ period: '2026-12', lateFor: '2026-11', usd: '23027.78' });
      await run.publishEnergyCost(facilityId, {
        day: '2026-11-16',
        kwh: '70000',
        usd: '4900',
        basis: 'measured',
        revision: 2,
      });
      const december = await eventually(
        async () => {
          const { body } = await get<StatementView>(`/facilities/${facilityId}/statements/2026-12`);
          return body.priorPeriodAdjustments.months.length > 0 &&
            body.priorPeriodAdjustments.usd !== '23027.78'
            ? body
            : undefined;
        },
        30_000,
        () => 'the late correction booked in December',
      );
      // 23,027.78 of late revenue less 84.28 more energy for the 16th.
      expect(december.priorPeriodAdjustments).toEqual({ usd: '22943.50', months: ['2026-11'] });
      expect(december.revenueUsd).toBe('0.00');

      expect(await getText(statementUrl, 'application/json')).toBe(statement);
      expect(await getText(journalUrl, 'application/json')).toBe(journalJson);
      expect(await getText(journalUrl, 'text/csv')).toBe(journalCsv);

      // The read models are the database's: a restart answers the same.
      await run.revenue.stop();
      await run.revenue.start();
      expect(await getText(statementUrl, 'application/json')).toBe(statement);
      const balance = await get<{ balanced: boolean }>(
        `/facilities/${facilityId}/trial-balance?asOf=2026-12-31`,
      );
      expect(balance.body.balanced).toBe(true);
    });
  },
);
