import { API_KEYS, call, eventually, Fleet, type Driver } from './support/fleet';
import { placeOrder, shipOrder } from './support/seed-rigs';

const MODEL = 'asicminer-8-nano';

interface ForecastPoint {
  readonly date: string;
  readonly capacityKw: number;
  readonly incomingKw: number;
  readonly shortfallKw: number;
}
interface CapacityForecast {
  readonly timeline: ForecastPoint[];
  readonly firstShortfall: {
    readonly date: string;
    readonly shortfallKw: number;
    readonly causes: { orderId: string; shipmentId: string | null; units: number }[];
  } | null;
}

describe.each<Driver>(['sqlite', 'postgres'])(
  'procurement order → power capacity forecast (%s)',
  (driver) => {
    let fleet: Fleet;
    const facilityId = `e2e-forecast-${driver}-${Date.now().toString(36)}`;

    beforeAll(async () => {
      fleet = await Fleet.start(driver);
    });

    afterAll(async () => {
      await fleet?.dispose();
    });

    const forecast = async () => {
      const response = await call<CapacityForecast>(
        fleet.power,
        'GET',
        `/facilities/${facilityId}/capacity-forecast?until=2027-12-31`,
        undefined,
        { key: API_KEYS.reports },
      );
      expect(response.status).toBe(200);
      return response.body;
    };

    it('shows the shortfall of 12,000 rigs ordered before the 30 MW step, and none once the shipment is due after it', async () => {
      const capacity = await call(fleet.power, 'PUT', `/facilities/${facilityId}/capacity`, {
        schedule: [
          { effectiveFrom: '2026-10-01', capacityKw: 3000 },
          { effectiveFrom: '2027-06-01', capacityKw: 30000 },
        ],
        pue: 1.05,
      });
      expect(capacity.status).toBe(200);
      expect((await forecast()).firstShortfall).toBeNull();

      const orderId = await placeOrder(fleet, facilityId, [{ model: MODEL, quantity: 12_000 }], {
        expectedDelivery: '2027-03-01',
      });
      // 12,000 × 2.1 kW × 1.05 = 26,460 kW arriving on 3,000 kW.
      const short = await eventually(
        async () => (await forecast()).firstShortfall ?? undefined,
        60_000,
        () => 'the order in power’s forecast',
      );
      expect(short).toMatchObject({
        date: '2027-03-01',
        shortfallKw: 23460,
        causes: [{ orderId, shipmentId: null, units: 12_000 }],
      });

      await shipOrder(fleet, orderId, [{ model: MODEL, quantity: 12_000 }], '2027-07-01');
      const after = await eventually(
        async () => {
          const view = await forecast();
          return view.firstShortfall === null ? view : undefined;
        },
        60_000,
        () => 'the shipment due after the step in power’s forecast',
      );
      expect(after.timeline.at(-1)).toMatchObject({
        date: '2027-07-01',
        capacityKw: 30000,
        incomingKw: 26460,
        shortfallKw: 0,
      });
    });
  },
);
