import { TEST_DRIVERS, type TestDriver } from '@fleet/event-sourcing/testing';
import { hostileRequests } from './hostile-requests';
import { writeRoutesNotMatching } from './openapi-write-routes';
import { sendHostileRequests, type StoreUnderTest } from './send-hostile-requests';
import { unstorableTextRefusalFault, unstorableTextRequests } from './unstorable-text-requests';
import { acceptedRequest, urlOf, type WriteRoute } from './write-route';

/**
 * Thousands of requests on two stores: about 20 s on a quiet 2-core machine, more than Jest's
 * default 30 s when the machine is busy (CI running other suites beside it).
 */
const HOSTILE_RUN_TIMEOUT_MS = 180_000;

/** A store under test the suite starts and stops. */
export interface HostileWritesStore extends StoreUnderTest {
  dispose(): Promise<void>;
}

export interface HostileWritesSuite<Store extends HostileWritesStore> {
  /** Names the suite: `procurement`. */
  readonly service: string;
  /** Every write route of the service, each with the request it accepts once the fixtures exist. */
  readonly routes: readonly WriteRoute[];
  /** The service on a fresh database of the driver, its fixtures made. */
  startStore(driver: TestDriver): Promise<Store>;
  /** How many generated requests each route gets, from `seed + its index`. */
  readonly generatedPerRoute: number;
  readonly seed: number;
  /** The service's own tests, run with the stores started, before anything changes the fixtures. */
  readonly alsoTest?: (stores: () => readonly Store[]) => void;
}

/**
 * The hostile-input suite every service runs, on SQLite and PostgreSQL at once, each request sent
 * to both: every write route is listed; NUL and unpaired surrogates in every text of every route
 * are a 400 naming the place; the generated bad requests are each a 4xx problem; nothing is stored
 * and both stores answer alike; and each route's own request is accepted, so that the break made in
 * it alone is why the others were refused.
 */
export function describeHostileWrites<Store extends HostileWritesStore>(
  suite: HostileWritesSuite<Store>,
): void {
  describe(`hostile writes to ${suite.service}, on SQLite and PostgreSQL alike`, () => {
    const stores: Store[] = [];

    beforeAll(async () => {
      for (const driver of TEST_DRIVERS) stores.push(await suite.startStore(driver));
    });
    afterAll(() => Promise.all(stores.map((store) => store.dispose())));

    it('lists every write route of the API', async () => {
      const answer = await stores[0].send({
        method: 'GET',
        url: '/docs-json',
        headers: {},
        payload: undefined,
      });
      const document = JSON.parse(answer.text) as Parameters<typeof writeRoutesNotMatching>[0];
      expect(writeRoutesNotMatching(document, suite.routes)).toEqual({ unlisted: [], unknown: [] });
    });

    suite.alsoTest?.(() => stores);

    it(
      'refuses NUL and unpaired surrogates in every text of every write route with a 400 naming where, storing nothing',
      async () => {
        const requests = suite.routes.flatMap(unstorableTextRequests);
        const run = await sendHostileRequests(requests, stores, unstorableTextRefusalFault);
        expect(run.faults).toEqual([]);
      },
      HOSTILE_RUN_TIMEOUT_MS,
    );

    const generated = suite.generatedPerRoute * suite.routes.length;
    it(
      `refuses ${generated} generated bad writes (${suite.generatedPerRoute} a route) with a 4xx problem, storing nothing`,
      async () => {
        const requests = suite.routes.flatMap((route, index) =>
          hostileRequests(route, suite.generatedPerRoute, suite.seed + index),
        );
        const run = await sendHostileRequests(requests, stores);
        expect(run.faults).toEqual([]);
        // Refused at every stage: the router (414), the key (401), the size (413), the media type
        // (415), parsing and validation (400), unknown ids (404).
        expect(Object.keys(run.statuses).sort()).toEqual(['400', '401', '404', '413', '414', '415']);
      },
      HOSTILE_RUN_TIMEOUT_MS,
    );

    // Last: it changes the fixtures.
    it('accepts each route’s own request, so that the break alone made the others fail', async () => {
      for (const store of stores)
        for (const route of suite.routes) {
          const request = acceptedRequest(route);
          const answer = await store.send({ ...request, url: urlOf(request, store.ids) });
          const seen = {
            route: route.path,
            store: store.name,
            answer: `${answer.status} ${answer.text.slice(0, 300)}`,
          };
          expect({ ...seen, accepted: answer.status >= 200 && answer.status < 300 }).toEqual({
            ...seen,
            accepted: true,
          });
        }
    });
  });
}
