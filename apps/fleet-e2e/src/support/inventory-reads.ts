import { call, type HttpResult } from './fleet';
import type { ServiceProcess } from './service-process';

export interface RigView {
  readonly id: string;
  readonly serialNumber: string;
  readonly model: string;
  readonly facilityId: string;
  readonly status: string;
}

interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export async function facilityTotal(inventory: ServiceProcess, facilityId: string): Promise<number> {
  const summary = await call<{ total: number }>(inventory, 'GET', `/facilities/${facilityId}/summary`);
  if (summary.status !== 200)
    throw new Error(`summary answered ${summary.status}: ${JSON.stringify(summary.body)}`);
  return summary.body.total;
}

/** Every rig of a facility, page by page through the cursor. */
export async function listAllRigs(inventory: ServiceProcess, facilityId: string): Promise<RigView[]> {
  const rigs: RigView[] = [];
  let cursor: string | null = null;
  do {
    const query: URLSearchParams = new URLSearchParams({
      facilityId,
      limit: '500',
      ...(cursor ? { cursor } : {}),
    });
    const page: HttpResult<Page<RigView>> = await call<Page<RigView>>(
      inventory,
      'GET',
      `/rigs?${query.toString()}`,
    );
    if (page.status !== 200)
      throw new Error(`GET /rigs answered ${page.status}: ${JSON.stringify(page.body)}`);
    rigs.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return rigs;
}
