import { readFileSync } from 'node:fs';
import http from 'node:http';

/** CPU time (user + system) a process has used so far, in ms; Linux only, undefined elsewhere. */
export function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields 14 and 15 of /proc/<pid>/stat (after the command name in parentheses): clock ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

/**
 * A closed-loop load generator: `connections` keep-alive connections, each sending the next GET as
 * soon as the last answer is read, for `durationMs`. The same generator measures the service and
 * its baseline, so the ratio does not depend on it.
 */
export async function load(
  url: (request: number) => string,
  options: { connections: number; durationMs: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const get = (target: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.get(target, { agent, headers: options.headers }, (response) => {
        response.on('data', () => undefined);
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      });
      request.on('error', reject);
    });
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        try {
          const status = await get(url(sent++));
          if (status !== 200) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const elapsed = performance.now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (quantile: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(quantile * latencies.length))];
  return {
    requests: latencies.length,
    requestsPerSecond: Math.round((latencies.length / elapsed) * 1000),
    p50Ms: Number(at(0.5).toFixed(2)),
    p99Ms: Number(at(0.99).toFixed(2)),
    errors,
  };
}
