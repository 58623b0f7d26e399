import type { ReportName, Reports } from './reports';

/** The key was refused (401) or its role may not read the reports (403). */
export class KeyRefusedError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
    this.name = 'KeyRefusedError';
  }
}

/** The report's URL relative to the page, so the page works under any path reporting is served at. */
export function reportUrl(report: ReportName, facilityId: string | undefined): string {
  const query = facilityId ? `?facilityId=${encodeURIComponent(facilityId)}` : '';
  return `reports/${report}${query}`;
}

/** Reads the reports with the key in the same header the API takes: `Authorization: Bearer <key>`. */
export class ReportsClient {
  constructor(
    private readonly key: string,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  get authorization(): string {
    return `Bearer ${this.key}`;
  }

  async report<Name extends ReportName>(
    report: Name,
    facilityId: string | undefined,
  ): Promise<Reports[Name]> {
    const response = await this.fetchImpl(reportUrl(report, facilityId), {
      headers: { authorization: this.authorization, accept: 'application/json' },
      cache: 'no-store',
    });
    if (response.status === 401 || response.status === 403) {
      throw new KeyRefusedError(response.status, await problemDetail(response));
    }
    if (!response.ok)
      throw new Error(`${report} report: ${response.status} ${await problemDetail(response)}`);
    return (await response.json()) as Reports[Name];
  }
}

/** The `detail` of a problem+json answer, or its status text. */
export async function problemDetail(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { detail?: unknown };
    if (typeof body.detail === 'string') return body.detail;
  } catch {
    // not JSON
  }
  return response.statusText;
}
