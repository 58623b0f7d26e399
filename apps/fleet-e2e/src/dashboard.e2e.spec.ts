import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { API_KEYS, call, eventually, Fleet } from './support/fleet';
import { placeOrder, shipOrder, untilPowerKnows } from './support/seed-rigs';
import { serials } from './support/serials';
import type { ServiceProcess } from './support/service-process';

/** Debian's chromium (`.ci/run` installs it when missing); `CHROMIUM_PATH` points elsewhere. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const MODEL = 'asicminer-8-nano';
const FINANCE_KEY = 'e2e-finance-key-0123456789';

interface FleetReport {
  rigs: number;
  installed: number;
  online: number;
  byStatus: Record<string, number>;
  byModel: { model: string; rigs: number; online: number }[];
}
interface PowerReport {
  facilities: {
    facilityId: string;
    capacityKw: number | null;
    loadKw: number;
    rigsOn: number;
    curtailedKw: number | null;
    forecastShortfallKw: number | null;
  }[];
}
interface PipelineLine {
  orderId: string;
  model: string;
  ordered: number;
  notDispatched: number;
  inTransit: number;
  received: number;
  damaged: number;
}
interface ProcurementReport {
  pipeline: PipelineLine[];
}
interface PnlReport {
  months: {
    facilityId: string;
    month: string;
    revenueUsd: string;
    energyKwh: string;
    energyUsd: string;
    marginUsd: string;
    flags: string[];
  }[];
}

/** The page's test ids for data (a model, an order): lower case, anything else as `-`. */
const idPart = (value: string) =>
  value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** A figure as the page shows it, back to the API's form: "USD 3,500,000.00" → "3500000.00". */
const figureOf = (text: string) => text.replace(/[^0-9.-]/g, '');

describe('the dashboard in a real browser (sqlite)', () => {
  let fleet: Fleet;
  let revenue: ServiceProcess;
  let reporting: ServiceProcess;
  let browser: BrowserContext;
  let userDataDir: string;
  const facilityId = `e2e-dash-${Date.now().toString(36)}`;
  const procurement = { key: API_KEYS.procurement };
  const operations = { key: API_KEYS.operations };

  beforeAll(async () => {
    // Finance's key too: revenue's writes need it.
    fleet = await Fleet.start('sqlite', {
      FLEET_API_KEYS: [...Object.entries(API_KEYS), ['finance', FINANCE_KEY]]
        .map(([role, key]) => `${role}:${key}`)
        .join(','),
    });
    // Reporting's consumers wait for every context's stream: revenue creates the last one.
    revenue = await fleet.startService('revenue');
    reporting = await fleet.startService('reporting');
    userDataDir = mkdtempSync(path.join(tmpdir(), 'fleet-e2e-chromium-'));
    // A fresh profile per run, deleted afterwards.
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await fleet?.dispose();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  const report = async <T>(name: string): Promise<T> => {
    const answer = await call<T>(reporting, 'GET', `/reports/${name}`, undefined, { key: API_KEYS.reports });
    expect(answer.status).toBe(200);
    return answer.body;
  };

  const text = (page: Page, testId: string) => page.getByTestId(testId).innerText();

  it('shows the API’s figures, follows a new event without a reload, and loads nothing from elsewhere', async () => {
    // A facility of 3 MW; 40 rigs ordered, shipped, received (2 damaged), 30 racked, 20 powered.
    const capacity = await call(fleet.power, 'PUT', `/facilities/${facilityId}/capacity`, {
      schedule: [{ effectiveFrom: '2026-01-01', capacityKw: 3000 }],
      reserveKw: 100,
      pue: 1.05,
    });
    expect(capacity.status).toBe(200);
    const orderId = await placeOrder(fleet, facilityId, [{ model: MODEL, quantity: 50 }], {
      expectedDelivery: '2027-03-01',
    });
    // A second facility with an order of its own: the facility selector tells them apart.
    await placeOrder(fleet, `${facilityId}-b`, [{ model: MODEL, quantity: 5 }]);
    const shipmentId = await shipOrder(fleet, orderId, [{ model: MODEL, quantity: 40 }]);
    const units = serials(`${facilityId}-rig`, 40);
    const receipt = await call(
      fleet.procurement,
      'POST',
      `/shipments/${shipmentId}/receive`,
      {
        units: units.slice(0, 38).map((serialNumber) => ({ serialNumber, model: MODEL })),
        damaged: units
          .slice(38)
          .map((serialNumber) => ({ serialNumber, model: MODEL, reason: 'cracked hash board' })),
      },
      procurement,
    );
    expect([200, 201]).toContain(receipt.status);
    await eventually(
      async () => ((await report<FleetReport>('fleet')).rigs === 38 ? true : undefined),
      60_000,
      () => 'reporting counting the 38 received rigs',
    );
    const placements = units
      .slice(0, 30)
      .map((serialNumber, index) => ({ serialNumber, rack: 'A01', slot: index + 1 }));
    expect((await call(fleet.inventory, 'POST', '/rigs/install', { placements }, operations)).status).toBe(
      200,
    );
    await untilPowerKnows(fleet, facilityId, { all: true }, 30);
    const rackA01 = units.slice(0, 20);
    const rigIds = await rigIdsOf(fleet, rackA01);
    expect(
      (await call(fleet.power, 'POST', `/facilities/${facilityId}/power-on`, { rigIds }, operations)).status,
    ).toBe(200);
    // A pool payout with no price fixing: the P&L month carries a reconciliation flag.
    const payout = await call(
      revenue,
      'POST',
      '/payouts',
      {
        facilityId,
        pool: 'Foundry',
        coin: 'BTC',
        amount: '0.5',
        paidAt: '2026-11-02T10:00:00Z',
        periodStart: '2026-11-01T00:00:00Z',
        periodEnd: '2026-11-01T23:59:59Z',
        txid: `${facilityId.replace(/[^A-Za-z0-9]/g, '')}btc1`,
      },
      { key: FINANCE_KEY },
    );
    expect({ status: payout.status, body: payout.body }).toMatchObject({ status: 201 });
    await eventually(
      async () => {
        const [fleetReport, pnl] = [await report<FleetReport>('fleet'), await report<PnlReport>('pnl')];
        const orders = (await report<ProcurementReport>('procurement')).pipeline.length;
        return fleetReport.online === 20 &&
          orders === 2 &&
          pnl.months.some((month) => month.facilityId === facilityId)
          ? true
          : undefined;
      },
      60_000,
      () => 'reporting showing the 20 online rigs, both orders and the payout',
    );

    // The page, as a person opens it: asked for a key once, then the reports.
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${reporting.baseUrl}/`);
    await page.getByTestId('api-key').fill(API_KEYS.reports);
    await page.getByTestId('api-key-submit').click();
    await expectText(page, 'live-status', 'live');
    await expectText(page, 'fleet-rigs', '38');

    // Every figure shown equals the API's.
    const fleetReport = await report<FleetReport>('fleet');
    expect(figureOf(await text(page, 'fleet-rigs'))).toBe(String(fleetReport.rigs));
    expect(figureOf(await text(page, 'fleet-installed'))).toBe(String(fleetReport.installed));
    expect(figureOf(await text(page, 'fleet-online'))).toBe(String(fleetReport.online));
    for (const [status, rigs] of Object.entries(fleetReport.byStatus)) {
      expect(figureOf(await text(page, `fleet-status-${idPart(status)}`))).toBe(String(rigs));
    }
    for (const line of fleetReport.byModel) {
      expect(figureOf(await text(page, `fleet-model-${idPart(line.model)}-rigs`))).toBe(String(line.rigs));
      expect(figureOf(await text(page, `fleet-model-${idPart(line.model)}-online`))).toBe(
        String(line.online),
      );
    }

    const power = (await report<PowerReport>('power')).facilities.find(
      (line) => line.facilityId === facilityId,
    );
    if (!power) throw new Error('no power figures for the facility');
    const powerId = (field: string) => `power-${idPart(facilityId)}-${field}`;
    expect(Number(figureOf(await text(page, powerId('capacity'))))).toBeCloseTo(power.capacityKw ?? NaN, 1);
    expect(Number(figureOf(await text(page, powerId('load'))))).toBeCloseTo(power.loadKw, 1);
    expect(figureOf(await text(page, powerId('rigs-on')))).toBe(String(power.rigsOn));
    // A figure the report does not have (null) is "not available", never 0.
    for (const [field, value] of [
      ['curtailed', power.curtailedKw],
      ['forecast-shortfall', power.forecastShortfallKw],
    ] as const) {
      const shown = await text(page, powerId(field));
      if (value === null) expect(shown).toBe('not available');
      else expect(Number(figureOf(shown))).toBeCloseTo(value, 1);
    }
    await expect(page.getByTestId(powerId('chart')).isVisible()).resolves.toBe(true);

    const pipeline = (await report<ProcurementReport>('procurement')).pipeline;
    const sum = (field: keyof Omit<PipelineLine, 'orderId' | 'model'>) =>
      String(pipeline.reduce((total, line) => total + line[field], 0));
    expect(figureOf(await text(page, 'procurement-ordered'))).toBe(sum('ordered'));
    expect(figureOf(await text(page, 'procurement-not-dispatched'))).toBe(sum('notDispatched'));
    expect(figureOf(await text(page, 'procurement-in-transit'))).toBe(sum('inTransit'));
    expect(figureOf(await text(page, 'procurement-received'))).toBe(sum('received'));
    expect(figureOf(await text(page, 'procurement-damaged'))).toBe(sum('damaged'));
    const ours = pipeline.find((line) => line.orderId === orderId);
    expect(ours).toMatchObject({ ordered: 50, notDispatched: 10, received: 38, damaged: 2 });
    const lineId = (field: string) => `procurement-${idPart(orderId)}-${idPart(MODEL)}-${field}`;
    expect(figureOf(await text(page, lineId('received')))).toBe('38');

    const pnl = await report<PnlReport>('pnl');
    for (const month of pnl.months) {
      const id = (field: string) => `pnl-${idPart(month.facilityId)}-${idPart(month.month)}-${field}`;
      expect(figureOf(await text(page, id('revenue')))).toBe(month.revenueUsd);
      expect(figureOf(await text(page, id('energy-kwh')))).toBe(month.energyKwh);
      expect(figureOf(await text(page, id('energy-usd')))).toBe(month.energyUsd);
      expect(figureOf(await text(page, id('margin')))).toBe(month.marginUsd);
    }
    const flags = pnl.months.flatMap((month) => month.flags.map((flag) => ({ ...month, flag })));
    expect(flags.map((flag) => flag.flag)).toContain('payouts-without-fixing');
    expect(await text(page, 'reconciliation-flag-count')).toBe(String(flags.length));
    for (const flag of flags) {
      const id = `flag-${idPart(flag.facilityId)}-${idPart(flag.month)}-${idPart(flag.flag)}`;
      await expect(page.getByTestId(id).isVisible()).resolves.toBe(true);
    }

    // A new event: the 8 rigs left are racked. The page follows without a reload.
    await page.evaluate(() => {
      (globalThis as { notReloaded?: boolean }).notReloaded = true;
    });
    const more = units
      .slice(30, 38)
      .map((serialNumber, index) => ({ serialNumber, rack: 'A02', slot: index + 1 }));
    expect(
      (await call(fleet.inventory, 'POST', '/rigs/install', { placements: more }, operations)).status,
    ).toBe(200);
    await expectText(page, 'fleet-installed', '38');
    await expectText(page, 'fleet-status-received', '0');
    expect(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(figureOf(await text(page, 'fleet-installed'))).toBe(
      String((await report<FleetReport>('fleet')).installed),
    );

    // Reporting restarts (its open stream ended at shutdown): the page reconnects by itself and
    // follows the changes made meanwhile and after.
    const problemsBeforeRestart = problems.length;
    await reporting.stop();
    await expectText(page, 'live-status', 'reconnecting');
    const fiveMore = await rigIdsOf(fleet, units.slice(20, 25));
    const powerOn = await call(
      fleet.power,
      'POST',
      `/facilities/${facilityId}/power-on`,
      { rigIds: fiveMore },
      operations,
    );
    expect(powerOn.status).toBe(200);
    await reporting.start();
    await expectText(page, 'live-status', 'live');
    // Chromium logs each refused reconnection while reporting was down, and a 503 when the page
    // reconnected to the stopping instance (`shutting-down`, Retry-After 1): expected, not a fault.
    expect(
      problems
        .slice(problemsBeforeRestart)
        .filter((text) => !text.includes('ERR_CONNECTION_REFUSED') && !text.includes('status of 503')),
    ).toEqual([]);
    problems.splice(problemsBeforeRestart);
    await expectText(page, 'fleet-online', '25');
    const lastFive = await rigIdsOf(fleet, units.slice(25, 30));
    expect(
      (
        await call(
          fleet.power,
          'POST',
          `/facilities/${facilityId}/power-on`,
          { rigIds: lastFive },
          operations,
        )
      ).status,
    ).toBe(200);
    await expectText(page, 'fleet-online', '30');
    expect(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(true);

    // One facility: the page reads the reports of that facility only.
    await page.getByTestId('facility-select').selectOption(facilityId);
    await eventually(
      async () =>
        requests.some((url) => url.endsWith(`/reports/fleet?facilityId=${facilityId}`)) ? true : undefined,
      30_000,
      () => 'the page reading the fleet report of the facility chosen',
    );
    const facilityFleet = await call<FleetReport>(
      reporting,
      'GET',
      `/reports/fleet?facilityId=${facilityId}`,
      undefined,
      { key: API_KEYS.reports },
    );
    await expectText(page, 'fleet-rigs', String(facilityFleet.body.rigs));
    await expectText(page, 'fleet-online', String(facilityFleet.body.online));
    await expectText(page, 'procurement-ordered', '50');
    expect(pipeline.map((line) => line.ordered).sort()).toEqual([5, 50]);

    // Nothing but reporting's own origin, and the key never in a URL.
    const origin = new URL(reporting.baseUrl).origin;
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
    expect(requests.filter((url) => url.includes(API_KEYS.reports))).toEqual([]);
    expect(problems).toEqual([]);

    const screenshot = path.join(tmpdir(), `fleet-dashboard-${Date.now()}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`dashboard screenshot: ${screenshot}`);

    // The key is asked for once per tab: a reload keeps it (sessionStorage), a wrong one is refused.
    await page.reload();
    await expectText(page, 'live-status', 'live');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('api-key').fill('not-a-key-anyone-knows');
    await page.getByTestId('api-key-submit').click();
    await eventually(
      async () => ((await text(page, 'key-error')).includes('not one reporting knows') ? true : undefined),
      30_000,
      () => 'the form saying the key is refused',
    );
    expect(await page.getByTestId('reports').isVisible()).toBe(false);
    await page.close();
  });
});

/** Waits until the element's text (figures without separators) is `expected`. */
async function expectText(page: Page, testId: string, expected: string): Promise<void> {
  await eventually(
    async () => {
      const element = page.getByTestId(testId);
      if ((await element.count()) === 0) return undefined;
      const shown = await element.innerText();
      return shown.replace(/,/g, '') === expected ? true : undefined;
    },
    30_000,
    () => `${testId} to show ${expected}`,
  );
}

/** The rig ids of serial numbers, from inventory. */
async function rigIdsOf(fleet: Fleet, serialNumbers: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const serialNumber of serialNumbers) {
    const found = await call<{ items: { id: string }[] }>(
      fleet.inventory,
      'GET',
      `/rigs?serialNumber=${encodeURIComponent(serialNumber)}`,
      undefined,
      { key: API_KEYS.operations },
    );
    const rig = found.body.items[0];
    if (!rig) throw new Error(`no rig ${serialNumber}`);
    ids.push(rig.id);
  }
  return ids;
}
