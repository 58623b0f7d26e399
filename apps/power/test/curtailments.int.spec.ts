import type { PriceInterval } from '@fleet/contracts';
import type { EventStore } from '@fleet/event-sourcing';
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '@fleet/event-sourcing/testing';
import { EVENT_STORE } from '@fleet/service-kit';
import type { Response } from 'light-my-request';
import { DataSource } from 'typeorm';
import { priceCurtailmentId } from '../src/facilities/domain/price-rule';
import { CurtailmentDecisionView, CurtailmentView } from '../src/facilities/read-model/curtailment.views';
import { FacilityPowerView } from '../src/facilities/read-model/facility-power.views';
import { eventCount } from './event-count';
import { installedRigs, seedPowerRigs } from './power-fixtures';
import { PROBLEM_JSON, startPower, waitFor, type CallOptions, type PowerApp } from './power-app';

const S9 = 'bitmain-antminer-s9';
const S21 = 'bitmain-antminer-s21';
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe.each(TEST_DRIVERS)('curtailments on %s', (driver) => {
  let power: PowerApp;
  let store: EventStore;

  beforeAll(async () => {
    power = await startPower(driver);
    store = power.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(() => power?.close());

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, options?: CallOptions) =>
    power.call(method, url, options);
  const events = () => eventCount(power.app.get(DataSource));

  async function ok(response: Promise<Response>): Promise<Record<string, unknown>> {
    const answer = await response;
    expect({ status: answer.statusCode, body: answer.json() as unknown }).toMatchObject({ status: 200 });
    return answer.json();
  }
  const powerOf = async (facilityId: string) =>
    FacilityPowerView.parse(await ok(call('GET', `/facilities/${facilityId}/power`, { as: 'reports' })));
  const curtailmentOf = async (facilityId: string, id: string) =>
    CurtailmentView.parse(
      await ok(call('GET', `/facilities/${facilityId}/curtailments/${id}`, { as: 'finance' })),
    );
  const curtail = async (facilityId: string, body: Record<string, unknown>) =>
    CurtailmentDecisionView.parse(await ok(call('POST', `/facilities/${facilityId}/curtailments`, { body })));

  /**
   * A facility at PUE 1 with 10 S9s (1,323 W, the least efficient) in R000 and 10 S21s (3,500 W)
   * in R001, all on: 48,230 W.
   */
  async function facilityWithRigsOn(facilityId: string, tag: number) {
    await ok(
      call('PUT', `/facilities/${facilityId}/capacity`, {
        as: 'admin',
        body: { schedule: [{ effectiveFrom: '2026-01-01', capacityKw: 100 }], pue: 1 },
      }),
    );
    const s9s = installedRigs(facilityId, 10, { tag, model: S9, perRack: 10 });
    const s21s = installedRigs(facilityId, 10, { tag, model: S21, perRack: 10, first: 10 });
    await seedPowerRigs(store, [...s9s, ...s21s]);
    expect(
      await ok(call('POST', `/facilities/${facilityId}/power-on`, { body: { all: true } })),
    ).toMatchObject({
      powered: 20,
    });
    return { s9s, s21s };
  }

  describe('a manual curtailment', () => {
    const facilityId = 'cu-manual';
    let s9s: { id: string }[];

    beforeAll(async () => {
      ({ s9s } = await facilityWithRigsOn(facilityId, 11));
    });

    it('a dry run answers the rigs and kW it would shed and changes nothing', async () => {
      const before = await events();
      const answer = await curtail(facilityId, {
        reduceByKw: 10,
        endsAt: inAnHour(),
        reason: 'grid event',
        dryRun: true,
      });
      // Eight S9s (10,584 W) reach 10 kW: the least efficient first.
      expect(answer).toEqual({
        dryRun: true,
        curtailment: null,
        shed: { rigIds: s9s.slice(0, 8).map((rig) => rig.id), itKw: 10.584, facilityKw: 10.584 },
      });
      expect(await events()).toBe(before);
      expect((await powerOf(facilityId)).rigsCurtailed).toBe(0);
    });

    it('sheds down to the target, never a protected rig, refuses to power them, and restores them when ended', async () => {
      // 48,230 W to 40,000 sheds 8,230 W or more: seven S9s (9,261 W), skipping the protected one.
      const answer = await curtail(facilityId, {
        targetLoadKw: 40,
        endsAt: inAnHour(),
        reason: 'demand response',
        protectedRigIds: [s9s[0].id],
      });
      const shedIds = s9s.slice(1, 8).map((rig) => rig.id);
      expect(answer.shed).toEqual({ rigIds: shedIds, itKw: 9.261, facilityKw: 9.261 });
      expect(answer.curtailment).toMatchObject({
        trigger: 'manual',
        status: 'active',
        targetLoadKw: 40,
        holdLoadKw: 40,
        rigsCurtailed: 7,
        itKwShed: 9.261,
      });
      const id = answer.curtailment?.curtailmentId ?? '';
      expect(await powerOf(facilityId)).toMatchObject({
        rigsOn: 13,
        rigsCurtailed: 7,
        itKwAllocated: 38.969,
      });

      const refused = await ok(
        call('POST', `/facilities/${facilityId}/power-on`, { body: { rigIds: shedIds.slice(0, 1) } }),
      );
      expect(refused).toEqual({
        dryRun: false,
        powered: 0,
        rejected: [{ rigId: shedIds[0], reason: 'curtailment-active' }],
      });

      const ended = CurtailmentView.parse(
        await ok(call('POST', `/facilities/${facilityId}/curtailments/${id}/end`, {})),
      );
      expect(ended).toMatchObject({ status: 'ended', ending: 'requested', rigsRestored: 7, notRestored: [] });
      expect(await powerOf(facilityId)).toMatchObject({ rigsOn: 20, rigsCurtailed: 0, itKwAllocated: 48.23 });
      // A second end changes nothing.
      const before = await events();
      expect(await ok(call('POST', `/facilities/${facilityId}/curtailments/${id}/end`, {}))).toMatchObject({
        status: 'ended',
        rigsRestored: 7,
      });
      expect(await events()).toBe(before);
    });

    it('is not found in another facility, nor when unknown; a facility without power is 404', async () => {
      const answer = await curtail(facilityId, { reduceByKw: 1, endsAt: inAnHour(), reason: 'r' });
      const id = answer.curtailment?.curtailmentId ?? '';
      for (const response of [
        await call('GET', `/facilities/cu-other/curtailments/${id}`),
        await call('POST', `/facilities/cu-other/curtailments/${id}/end`),
        await call('GET', `/facilities/${facilityId}/curtailments/00000000-0000-4000-8000-000000000000`),
        await call('POST', `/facilities/cu-nowhere/curtailments`, {
          body: { reduceByKw: 1, endsAt: inAnHour(), reason: 'r' },
        }),
      ]) {
        expect({
          status: response.statusCode,
          code: (response.json() as { code: string }).code,
        }).toMatchObject({
          status: 404,
        });
        expect(response.headers['content-type']).toBe(PROBLEM_JSON);
      }
      await ok(call('POST', `/facilities/${facilityId}/curtailments/${id}/end`, {}));
    });

    it('refuses a curtailment over already, or an invalid one, with a problem and nothing stored', async () => {
      const before = await events();
      for (const body of [
        { reduceByKw: 1, endsAt: new Date(Date.now() - 1000).toISOString(), reason: 'late' },
        { reduceByKw: 1, targetLoadKw: 1, endsAt: inAnHour(), reason: 'both' },
        { targetLoadKw: 1, endsAt: inAnHour(), reason: 'r', modelOrder: ['no-such-model'] },
      ]) {
        const response = await call('POST', `/facilities/${facilityId}/curtailments`, { body });
        expect(response.statusCode).toBe(400);
        expect(response.headers['content-type']).toBe(PROBLEM_JSON);
      }
      expect(await events()).toBe(before);
    });

    it('lets only operations curtail and end, every role read, and admin alone set the price rule', async () => {
      const body = { reduceByKw: 1, endsAt: inAnHour(), reason: 'r', dryRun: true };
      expect(
        (await call('POST', `/facilities/${facilityId}/curtailments`, { as: 'finance', body })).statusCode,
      ).toBe(403);
      expect(
        (await call('POST', `/facilities/${facilityId}/curtailments`, { as: null, body })).statusCode,
      ).toBe(401);
      const rule = { strikeUsdPerMwh: '120', curtailToKw: 5 };
      expect((await call('PUT', `/facilities/${facilityId}/price-rule`, { body: rule })).statusCode).toBe(
        403,
      );
      expect(
        await ok(call('PUT', `/facilities/${facilityId}/price-rule`, { as: 'admin', body: rule })),
      ).toEqual({
        facilityId,
        ...rule,
      });
    });
  });

  describe('the schedule', () => {
    const facilityId = 'cu-scheduled';

    beforeAll(() => facilityWithRigsOn(facilityId, 12));

    it('starts a curtailment at its startsAt and ends it by itself at its endsAt', async () => {
      // Margins a loaded CI machine's slow request cannot eat up (the start must still be ahead).
      const startsAt = new Date(Date.now() + 4000).toISOString();
      const endsAt = new Date(Date.now() + 7000).toISOString();
      const answer = await curtail(facilityId, { targetLoadKw: 40, startsAt, endsAt, reason: 'planned' });
      expect(answer.curtailment).toMatchObject({ status: 'scheduled', rigsCurtailed: 0 });
      expect(answer.shed.rigIds).toEqual([]);
      const id = answer.curtailment?.curtailmentId ?? '';

      const started = await waitFor(async () => {
        const view = await curtailmentOf(facilityId, id);
        return view.status === 'scheduled' ? undefined : view;
      }, 'the curtailment to start');
      expect(started.rigsCurtailed).toBe(7);
      const ended = await waitFor(async () => {
        const view = await curtailmentOf(facilityId, id);
        return view.status === 'ended' ? view : undefined;
      }, 'the curtailment to end');
      expect(ended).toMatchObject({
        ending: 'scheduled',
        rigsCurtailed: 7,
        rigsRestored: 7,
        notRestored: [],
      });
      expect(Date.parse(ended.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(endsAt));
      expect(await powerOf(facilityId)).toMatchObject({ rigsOn: 20, rigsCurtailed: 0 });
    });
  });

  describe('the price rule', () => {
    const facilityId = 'cu-priced';
    const minute = 60_000;
    const thisMinute = Math.floor(Date.now() / minute) * minute;
    /** Under way now, and one in an hour. */
    const prices = (now: string, later: string): PriceInterval[] => [
      { start: new Date(thisMinute - minute).toISOString(), minutes: 15, usdPerMwh: now },
      { start: new Date(thisMinute + 60 * minute).toISOString(), minutes: 15, usdPerMwh: later },
    ];
    const idOf = (interval: PriceInterval, curtailToWatts: number) => {
      const startsAt = new Date(interval.start).toISOString();
      const endsAt = new Date(Date.parse(interval.start) + interval.minutes * minute).toISOString();
      return priceCurtailmentId(
        facilityId,
        { startsAt, endsAt, usdPerMwh: interval.usdPerMwh },
        curtailToWatts,
      );
    };
    /** As POST …/energy-prices will: power's own event, relayed to NATS and back to its consumer. */
    const post = (intervals: PriceInterval[]) =>
      store.appendToStream(
        `energy-prices-${facilityId}`,
        'energy-prices',
        [{ type: 'EnergyPricesPosted', data: { facilityId, intervals } }],
        {
          expectedVersion: 'any',
          metadata: {
            correlationId: 'price-test',
            causationId: null,
            actor: 'operations:test',
            facilityId,
            occurredAt: new Date().toISOString(),
          },
        },
      );
    const statusOf = async (id: string) => {
      const response = await call('GET', `/facilities/${facilityId}/curtailments/${id}`);
      return response.statusCode === 404 ? 'none' : CurtailmentView.parse(response.json()).status;
    };

    beforeAll(() => facilityWithRigsOn(facilityId, 14));

    it('curtails every posted interval above the strike for exactly that interval, once, and follows a new rule', async () => {
      await ok(
        call('PUT', `/facilities/${facilityId}/price-rule`, {
          as: 'admin',
          body: { strikeUsdPerMwh: '100', curtailToKw: 40 },
        }),
      );
      const posted = prices('100.01', '250');
      await post(posted);
      const [now, later] = posted.map((interval) => idOf(interval, 40_000));
      await waitFor(
        async () => ((await statusOf(later)) === 'scheduled' ? true : undefined),
        'the later interval',
      );
      expect(await curtailmentOf(facilityId, now)).toMatchObject({
        trigger: 'price-rule',
        status: 'active',
        targetLoadKw: 40,
        rigsCurtailed: 7,
        startsAt: new Date(posted[0].start).toISOString(),
        endsAt: new Date(Date.parse(posted[0].start) + 15 * minute).toISOString(),
      });
      expect(await powerOf(facilityId)).toMatchObject({ rigsCurtailed: 7 });

      // Posted again, with the later price under the strike now: that one is called off, the other stays.
      await post(prices('100.01', '99'));
      await waitFor(
        async () => ((await statusOf(later)) === 'ended' ? true : undefined),
        'the later one called off',
      );
      expect(await curtailmentOf(facilityId, later)).toMatchObject({
        ending: 'price-rule',
        rigsCurtailed: 0,
      });
      expect(await statusOf(now)).toBe('active');
      const { events } = await store.readStream(`facility-${facilityId}`);
      expect(events.filter((event) => event.type === 'CurtailmentScheduled')).toHaveLength(2);

      // A strike above every price: the rule's curtailment under way ends at once, its rigs come back.
      await ok(
        call('PUT', `/facilities/${facilityId}/price-rule`, {
          as: 'admin',
          body: { strikeUsdPerMwh: '500', curtailToKw: 40 },
        }),
      );
      expect(await curtailmentOf(facilityId, now)).toMatchObject({
        status: 'ended',
        ending: 'price-rule',
        rigsRestored: 7,
      });
      expect(await powerOf(facilityId)).toMatchObject({ rigsOn: 20, rigsCurtailed: 0 });
    });
  });
});

describe('a curtailment across a restart of power (PostgreSQL, two instances)', () => {
  let database: TestDatabase;
  const facilityId = 'cu-restart';

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(() => database?.dispose());

  it('ends on time although the instance that began it stopped, and only once with two running', async () => {
    const first = await startPower('postgres', { sharedDatabase: database });
    let id: string;
    let endsAt: string;
    try {
      await first.call('PUT', `/facilities/${facilityId}/capacity`, {
        as: 'admin',
        body: { schedule: [{ effectiveFrom: '2026-01-01', capacityKw: 100 }], pue: 1 },
      });
      await seedPowerRigs(
        first.app.get<EventStore>(EVENT_STORE),
        installedRigs(facilityId, 10, { tag: 13, model: S9 }),
      );
      await first.call('POST', `/facilities/${facilityId}/power-on`, { body: { all: true } });
      // Long enough that the request and the restart fit before it, on a loaded machine too.
      endsAt = new Date(Date.now() + 6000).toISOString();
      const response = await first.call('POST', `/facilities/${facilityId}/curtailments`, {
        body: { reduceByKw: 5, endsAt, reason: 'restart test' },
      });
      const answer = CurtailmentDecisionView.parse(response.json());
      expect(answer.shed.rigIds).toHaveLength(4);
      id = answer.curtailment?.curtailmentId ?? '';
    } finally {
      await first.close();
    }

    const second = await startPower('postgres', { sharedDatabase: database });
    const third = await startPower('postgres', { sharedDatabase: database, sharedNames: second.names });
    try {
      const ended = await waitFor(async () => {
        const view = CurtailmentView.parse(
          (await second.call('GET', `/facilities/${facilityId}/curtailments/${id}`)).json(),
        );
        return view.status === 'ended' ? view : undefined;
      }, 'the curtailment to end after the restart');
      expect(ended).toMatchObject({ ending: 'scheduled', rigsRestored: 4 });
      expect(Date.parse(ended.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(endsAt));
      const { events } = await second.app.get<EventStore>(EVENT_STORE).readStream(`facility-${facilityId}`);
      expect(events.filter((event) => event.type === 'CurtailmentEnded')).toHaveLength(1);
      const view = FacilityPowerView.parse(
        (await third.call('GET', `/facilities/${facilityId}/power`)).json(),
      );
      expect(view).toMatchObject({ rigsOn: 10, rigsCurtailed: 0 });
    } finally {
      await third.close();
      await second.close();
    }
  });
});
