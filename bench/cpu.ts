/**
 * CPU accounting from /proc (Linux), so a measurement says how much CPU it got: the server's own
 * CPU time per request does not depend on what else runs on the machine, and "other cores" shows
 * how much of the machine other processes took during a measurement.
 */
import fs from 'node:fs';
import os from 'node:os';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime of a process in ms, or null off Linux / when it is gone. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/** Busy CPU ms of the whole machine (all cores) since boot, or null. */
export function machineBusyMs(): number | null {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = cpu;
    return (user + nice + system + irq + softirq + (steal ?? 0)) * TICK_MS;
  } catch {
    return null;
  }
}

export interface CpuWindow {
  /** Stops the window: CPU ms of the watched process and cores used by everything else. */
  stop(): { processMs: number | null; selfMs: number; otherCores: number | null; loadAvg1: number };
}

/** CPU ms of several processes together, or null if any is gone. */
function processesCpuMs(pids: number[]): number | null {
  let sum = 0;
  for (const pid of pids) {
    const ms = processCpuMs(pid);
    if (ms === null) return null;
    sum += ms;
  }
  return sum;
}

/** Pids of a process's children (from /proc/<pid>/stat), e.g. the workers of `serve --workers`. */
export function childPids(parent: number): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Starts measuring the watched process(es) (the server), this process (the load generator) and the rest. */
export function cpuWindow(pid?: number | number[]): CpuWindow {
  const pids = pid === undefined ? [] : Array.isArray(pid) ? pid : [pid];
  const t0 = performance.now();
  const p0 = pids.length ? processesCpuMs(pids) : null;
  const m0 = machineBusyMs();
  const s0 = process.cpuUsage();
  return {
    stop() {
      const wall = performance.now() - t0;
      const p1 = pids.length ? processesCpuMs(pids) : null;
      const m1 = machineBusyMs();
      const s = process.cpuUsage(s0);
      const selfMs = (s.user + s.system) / 1000;
      const processMs = p0 !== null && p1 !== null ? p1 - p0 : null;
      const otherCores = m0 !== null && m1 !== null ? Math.max(0, (m1 - m0 - selfMs - (processMs ?? 0)) / wall) : null;
      return { processMs, selfMs, otherCores, loadAvg1: os.loadavg()[0] };
    },
  };
}
