import type { TestDriver } from '@fleet/event-sourcing/testing';
import { describeHostileWrites, storeAnswer } from '@fleet/service-kit/testing';
import type { HostileWritesStore, WriteRoute } from '@fleet/service-kit/testing';
import type { EventStore } from '@fleet/event-sourcing';
import { EVENT_STORE } from '@fleet/service-kit';
import { DataSource } from 'typeorm';
import { eventCount } from './event-count';
import { startPower, type PowerApp } from './power-app';
import { installedRigs, seedPowerRigs } from './power-fixtures';

const facilityId = 'pw-hostile';
const rigs = installedRigs(facilityId, 4, { tag: 7 });

/**
 * Every write route of power, each with a request it accepts once the fixtures exist: whatever the
 * tests send is that request broken in one way, so the break alone is why it is refused.
 */
const WRITE_ROUTES: readonly WriteRoute[] = [
  {
    method: 'PUT',
    path: '/facilities/{facilityId:facility}/capacity',
    body: {
      schedule: [
        { effectiveFrom: '2026-10-01', capacityKw: 3000 },
        { effectiveFrom: '2027-06-01', capacityKw: 30000 },
      ],
      reserveKw: 0,
      pue: 1.05,
    },
    measures: ['schedule.*.capacityKw', 'reserveKw', 'pue'],
  },
  {
    method: 'PUT',
    path: '/facilities/{facilityId:facility}/racks/{rack:rack}',
    body: { budgetKw: 60 },
    measures: ['budgetKw'],
  },
  {
    method: 'POST',
    path: '/facilities/{facilityId:facility}/power-on',
    body: { rigIds: [rigs[0].id], dryRun: false },
  },
  { method: 'POST', path: '/facilities/{facilityId:facility}/power-on', body: { racks: ['R000'] } },
  { method: 'POST', path: '/facilities/{facilityId:facility}/power-off', body: { all: true, dryRun: true } },
  {
    method: 'POST',
    path: '/facilities/{facilityId:facility}/curtailments',
    body: {
      reduceByKw: 2,
      startsAt: '2026-11-29T12:00:00Z',
      endsAt: '2099-01-01T00:00:00Z',
      reason: 'grid event',
      protectedRigIds: [rigs[1].id],
      modelOrder: ['asicminer-8-nano'],
      dryRun: true,
    },
    measures: ['reduceByKw'],
    freeText: ['reason'],
  },
  {
    method: 'POST',
    path: '/facilities/{facilityId:facility}/curtailments',
    body: { targetLoadKw: 0, endsAt: '2099-01-01T00:00:00Z', reason: 'grid event' },
    measures: ['targetLoadKw'],
    freeText: ['reason'],
  },
  {
    method: 'POST',
    path: '/facilities/{facilityId:facility}/curtailments/{curtailmentId:curtailment}/end',
  },
  {
    method: 'PUT',
    path: '/facilities/{facilityId:facility}/price-rule',
    body: { strikeUsdPerMwh: '120', curtailToKw: 500 },
    measures: ['curtailToKw'],
  },
  {
    method: 'POST',
    path: '/facilities/{facilityId:facility}/meter-readings',
    body: {
      readings: [
        { meterId: 'main', intervalStart: '2026-11-01T00:00:00Z', intervalMinutes: 15, kwh: '700.5' },
        { meterId: 'main', intervalStart: '2026-11-01T00:15:00Z', intervalMinutes: 15, kwh: '710' },
      ],
    },
  },
  {
    method: 'PUT',
    path: '/facilities/{facilityId:facility}/tariff',
    body: { type: 'fixed', usdPerKwh: '0.045' },
  },
  {
    method: 'POST',
    path: '/facilities/{facilityId:facility}/energy-prices',
    body: { intervals: [{ start: '2026-11-01T00:00:00Z', minutes: 15, usdPerMwh: '87.50' }] },
  },
];

/** Power on a fresh database of the driver, with a facility of 3 MW, four installed rigs and a curtailment. */
async function startStore(driver: TestDriver): Promise<HostileWritesStore & { readonly power: PowerApp }> {
  const power = await startPower(driver);
  const response = await power.call('PUT', `/facilities/${facilityId}/capacity`, {
    as: 'admin',
    body: { schedule: [{ effectiveFrom: '2026-01-01', capacityKw: 3000 }], pue: 1.05 },
  });
  if (response.statusCode !== 200) throw new Error(`set-up failed: ${response.statusCode} ${response.body}`);
  await seedPowerRigs(power.app.get<EventStore>(EVENT_STORE), rigs);
  const curtailed = await power.call('POST', `/facilities/${facilityId}/curtailments`, {
    body: { targetLoadKw: 1000, endsAt: '2099-01-01T00:00:00Z', reason: 'fixture' },
  });
  if (curtailed.statusCode !== 200)
    throw new Error(`set-up failed: ${curtailed.statusCode} ${curtailed.body}`);
  const curtailmentId = (curtailed.json() as { curtailment: { curtailmentId: string } }).curtailment
    .curtailmentId;
  const dataSource = power.app.get(DataSource);
  return {
    name: driver,
    power,
    ids: { facility: facilityId, rack: 'R000', curtailment: curtailmentId },
    async send({ method, url, headers, payload }) {
      // Admin is admitted on every route, the admin-only capacity and budgets as well.
      const response = await power.call(method, url, { as: 'admin', body: payload, headers: { ...headers } });
      return storeAnswer(response.statusCode, response.headers, response.body);
    },
    storedCount: () => eventCount(dataSource),
    dispose: () => power.close(),
  };
}

describeHostileWrites({
  service: 'power',
  routes: WRITE_ROUTES,
  startStore,
  generatedPerRoute: 200,
  seed: 0x3003,
});
