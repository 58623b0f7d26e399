import { readFile } from 'node:fs/promises';
import type { DataSource } from 'typeorm';

/** Linux counts a process's CPU in clock ticks of 10 ms (`getconf CLK_TCK` = 100). */
const MS_PER_TICK = 10;

async function cpuMsOfProcess(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after its closing parenthesis;
    // utime and stime are the 14th and 15th fields of the line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return undefined;
  }
}

/**
 * The CPU (user + system, ms) the PostgreSQL backends connected to this database have used so
 * far, read from /proc: the server's share of the work, which the client's CPU does not show.
 * Undefined when the server is not on this machine (or not readable). Short-lived parallel workers
 * are not counted.
 */
export async function serverCpuMs(dataSource: DataSource): Promise<number | undefined> {
  const backends = (await dataSource.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
  )) as { pid: number }[];
  let total = 0;
  for (const { pid } of backends) {
    const ms = await cpuMsOfProcess(pid);
    if (ms === undefined) return undefined;
    total += ms;
  }
  return total;
}
