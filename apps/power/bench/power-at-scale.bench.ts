/**
 * Power at 13,300 rigs, in process on both stores, each case with a baseline of the same run:
 *
 * - `rig-view-catch-up`: 13,300 `RigInstalled` applied to power's view the way its batch consumer
 *   does (runs of 100: inbox rows, the rigs' locks, a read, an insert or update, a commit), against
 *   the same rows written raw in runs of 100 (`baselineMs`).
 * - `power-on-one-rig-at-13300-allocated`: one rig powered on and off 200 times in a facility of
 *   13,300 allocations, against the same requests in a facility of one (`baselineP99Ms`): a
 *   power-on costs what the request carries, not what the facility holds.
 *
 * `node --experimental-vm-modules node_modules/jest/bin/jest.js --config apps/power/jest.config.cjs
 * --testMatch '<rootDir>/bench/*.bench.ts'` (the project's `bench` target). One JSON line per case.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector';
import { chunksOf, insertRows, type EventStore } from '@fleet/event-sourcing';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { claimInboxEntries } from '@fleet/messaging';
import { EVENT_STORE } from '@fleet/service-kit';
import { followInventoryRigs } from '../src/facilities/commands/follow-inventory-rigs/follow-inventory-rigs';
import { powerRigsTable } from '../src/facilities/read-model/power-rig.entity';
import { PowerRigsReadModel } from '../src/facilities/read-model/power-rigs.read-model';
import { startPower, type PowerApp } from '../test/power-app';
import { installedRigs, inventoryEnvelope, NANO } from '../test/power-fixtures';

const RIGS = 13_300;
const RUN = 100;
const SINGLE_REQUESTS = 200;
/** A file to write a CPU profile of the single power-ons at 13,300 allocations to (`.cpuprofile`). */
const PROFILE_FILE = process.env['POWER_BENCH_PROFILE'];

function report(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Runs `work` under V8's CPU profiler and writes the profile to `file` (Chrome DevTools opens it). */
async function profiled<T>(file: string, work: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = (await post('Profiler.stop')) as Profiler.StopReturnType;
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

function percentile(sorted: readonly number[], share: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))].toFixed(1));
}

describe.each(TEST_DRIVERS)('power at 13,300 rigs (%s)', (driver) => {
  let power: PowerApp;
  let store: EventStore;

  beforeAll(async () => {
    power = await startPower(driver);
    store = power.app.get<EventStore>(EVENT_STORE);
  }, 120_000);
  afterAll(() => power?.close());

  it('applies 13,300 installs to the rig view in runs', async () => {
    const facilityId = `bench-view-${driver}`;
    const rigs = installedRigs(facilityId, RIGS, { tag: 71 });
    const registered = rigs.map((rig) =>
      inventoryEnvelope(
        {
          type: 'RigRegistered',
          data: {
            rigId: rig.id,
            serialNumber: `SN-${rig.id}`,
            model: NANO,
            facilityId,
            source: { kind: 'manual' },
          },
        },
        1,
      ),
    );
    const installed = rigs.map((rig) =>
      inventoryEnvelope(
        { type: 'RigInstalled', data: { rigId: rig.id, facilityId, rack: rig.rack, slot: rig.slot } },
        2,
      ),
    );
    const view = new PowerRigsReadModel();
    const apply = async (consumer: string, envelopes: typeof registered) => {
      for (const run of chunksOf(envelopes, RUN))
        await store.transaction(async (session) => {
          await claimInboxEntries(
            session,
            consumer,
            run.map((envelope) => envelope.eventId),
          );
          await followInventoryRigs(session, run, view);
        });
    };
    await apply('bench-RigRegistered', registered);
    const started = performance.now();
    await apply('bench-RigInstalled', installed);
    const ms = performance.now() - started;

    const raw = installedRigs(`bench-raw-${driver}`, RIGS, { tag: 72 });
    const rawStarted = performance.now();
    for (const run of chunksOf(raw, RUN))
      await store.transaction(async (session) => {
        await claimInboxEntries(
          session,
          'bench-raw',
          run.map(() => randomUUID()),
        );
        await insertRows(session.manager, powerRigsTable, run);
      });
    const baselineMs = performance.now() - rawStarted;
    report({
      bench: 'rig-view-catch-up',
      driver,
      events: RIGS,
      run: RUN,
      ms: Math.round(ms),
      baselineMs: Math.round(baselineMs),
      ratio: Number((ms / baselineMs).toFixed(2)),
    });
  }, 600_000);

  it('powers one rig on at 13,300 allocations as fast as at one', async () => {
    const latencies = async (facilityId: string, count: number, tag: number, profileFile?: string) => {
      await power.call('PUT', `/facilities/${facilityId}/capacity`, {
        as: 'admin',
        body: { schedule: [{ effectiveFrom: '2026-01-01', capacityKw: 30000 }], pue: 1.05 },
      });
      const rigs = installedRigs(facilityId, count + 1, { tag });
      await store.transaction((session) => insertRows(session.manager, powerRigsTable, rigs));
      const single = rigs[count];
      const bulk = await power.call('POST', `/facilities/${facilityId}/power-on`, {
        body: { rigIds: rigs.slice(0, count).map((rig) => rig.id) },
      });
      expect((bulk.json() as { powered: number }).powered).toBe(count);
      const times: number[] = [];
      // The app runs in this process: its CPU time over the loop is what the requests cost (the
      // requests themselves, through `inject`, included), wherever the machine's other work goes.
      let cpuMicros = 0;
      const run = async () => {
        for (let index = 0; index < SINGLE_REQUESTS; index++) {
          const cpuBefore = process.cpuUsage();
          const begin = performance.now();
          const on = await power.call('POST', `/facilities/${facilityId}/power-on`, {
            body: { rigIds: [single.id] },
          });
          times.push(performance.now() - begin);
          const cpu = process.cpuUsage(cpuBefore);
          cpuMicros += cpu.user + cpu.system;
          expect((on.json() as { powered: number }).powered).toBe(1);
          await power.call('POST', `/facilities/${facilityId}/power-off`, { body: { rigIds: [single.id] } });
        }
      };
      await (profileFile ? profiled(profileFile, run) : run());
      return {
        sorted: times.sort((a, b) => a - b),
        cpuMsPerPowerOn: Number((cpuMicros / 1000 / SINGLE_REQUESTS).toFixed(2)),
      };
    };
    const small = await latencies(`bench-one-${driver}`, 1, 73);
    const large = await latencies(
      `bench-13300-${driver}`,
      RIGS,
      74,
      PROFILE_FILE?.replace(/(\.cpuprofile)?$/, `-${driver}.cpuprofile`),
    );
    report({
      bench: 'power-on-one-rig-at-13300-allocated',
      driver,
      requests: SINGLE_REQUESTS,
      p50Ms: percentile(large.sorted, 0.5),
      p99Ms: percentile(large.sorted, 0.99),
      cpuMsPerPowerOn: large.cpuMsPerPowerOn,
      baselineP50Ms: percentile(small.sorted, 0.5),
      baselineP99Ms: percentile(small.sorted, 0.99),
      baselineCpuMsPerPowerOn: small.cpuMsPerPowerOn,
      targetP99Ms: 20,
    });
  }, 600_000);
});
