import type { TestDriver } from '@fleet/event-sourcing/testing';
import {
  acceptedRequest,
  hostileRequests,
  sendHostileRequests,
  storeAnswer,
  urlOf,
  writeRoutesNotMatching,
  type StoreUnderTest,
  type WriteRoute,
} from '@fleet/service-kit/testing';
import { DataSource } from 'typeorm';
import { RebuildRunner } from '../src/rebuild/rebuild-runner';
import { startReporting, type ReportingApp } from './reporting-app';

/** Reporting's one write route: it takes no body. */
const WRITE_ROUTES: readonly WriteRoute[] = [{ method: 'POST', path: '/admin/rebuild' }];

async function startStore(
  driver: TestDriver,
): Promise<StoreUnderTest & { readonly reporting: ReportingApp }> {
  const reporting = await startReporting(driver);
  const dataSource = reporting.app.get(DataSource);
  return {
    name: driver,
    reporting,
    ids: {},
    async send({ method, url, headers, payload }) {
      const response = await reporting.call(method, url, {
        as: 'admin',
        body: payload,
        headers: { ...headers },
      });
      return storeAnswer(response.statusCode, response.headers, response.body);
    },
    // A refused rebuild claims no generation.
    async storedCount() {
      const rows: { count: number | string }[] = await dataSource.query(
        'SELECT COUNT(*) AS count FROM report_generations',
      );
      return Number(rows[0]?.count ?? 0);
    },
  };
}

describe('hostile writes to reporting, on SQLite and PostgreSQL alike', () => {
  const stores: Awaited<ReturnType<typeof startStore>>[] = [];

  beforeAll(async () => {
    for (const driver of ['sqlite', 'postgres'] as const) stores.push(await startStore(driver));
  });
  afterAll(() => Promise.all(stores.map((store) => store.reporting.close())));

  it('lists every write route of the API', async () => {
    const answer = await stores[0]?.send({
      method: 'GET',
      url: '/docs-json',
      headers: {},
      payload: undefined,
    });
    const document = JSON.parse(answer?.text ?? '{}') as Parameters<typeof writeRoutesNotMatching>[0];
    expect(writeRoutesNotMatching(document, WRITE_ROUTES)).toEqual({ unlisted: [], unknown: [] });
  });

  it('refuses 200 generated bad requests to POST /admin/rebuild with a 4xx problem, claiming no generation', async () => {
    const run = await sendHostileRequests(
      hostileRequests(WRITE_ROUTES[0] as WriteRoute, 200, 0x3005),
      stores,
    );
    expect(run.faults).toEqual([]);
    expect(Object.keys(run.statuses).sort()).toEqual(['400', '401', '415']);
  });

  it('refuses every role but admin, then accepts the route’s own request', async () => {
    for (const store of stores) {
      for (const role of ['reports', 'finance', 'operations', 'procurement'] as const)
        expect((await store.reporting.call('POST', '/admin/rebuild', { as: role })).statusCode).toBe(403);
      const request = acceptedRequest(WRITE_ROUTES[0] as WriteRoute);
      const answer = await store.send({ ...request, url: urlOf(request, store.ids) });
      expect([store.name, answer.status]).toEqual([store.name, 202]);
      await store.reporting.app.get(RebuildRunner).settled();
    }
  });
});
