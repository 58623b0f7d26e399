import { readFileSync } from 'node:fs';

/** `getconf CLK_TCK`: 100 on every Linux Fleet runs on (Node cannot ask sysconf). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time a process has burnt (user + system), from `/proc/<pid>/stat`: the machine is shared,
 * so a stage's wall time says little on its own; the CPU each service spent on it says where the
 * work is.
 */
export function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: the fields after it start past its `)`.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15, i.e. 11 and 12 after the state (field 3).
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU milliseconds of each named process since `start`: call `read()` at the end of a stage. */
export class CpuMeter {
  private readonly before: Map<string, number>;

  constructor(private readonly pids: Readonly<Record<string, number | undefined>>) {
    this.before = new Map(Object.entries(pids).map(([name, pid]) => [name, cpuMsOf(pid)]));
  }

  /** CPU ms per process since the meter was made (or last read), and the one-minute load average. */
  read(): Record<string, number> {
    const spent: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const now = cpuMsOf(pid);
      spent[`${name}CpuMs`] = Math.round(now - (this.before.get(name) ?? now));
      this.before.set(name, now);
    }
    spent['loadAverage1m'] = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    return spent;
  }
}
