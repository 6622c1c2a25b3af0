import fs from 'node:fs';
import os from 'node:os';
import { InvalidArgumentError } from 'commander';
import { isDutyCycle } from '../db/import-pacer';
import { UsageError } from '../config/usage-error';

/**
 * How much lower `serve --watch` runs its watcher than the server: on a machine with few cores an
 * import's parse threads and writer otherwise take the cores from the requests (docs/performance.md,
 * "Readers during an import").
 */
export const WATCHER_NICE = 10;

/** `--duty-cycle <fraction>`: the share of the time an import may be busy, above 0 and at most 1. */
export function dutyCycle(value: string): number {
  const n = Number(value);
  if (!/^(\d+\.?\d*|\.\d+)$/.test(value) || !isDutyCycle(n))
    throw new InvalidArgumentError(`'${value}' is not a fraction above 0 and at most 1 (e.g. 0.5)`);
  return n;
}

/** `--nice <n>`: a Unix nice increment, 0 (unchanged) to 19 (lowest priority). */
export function niceIncrement(flag: string | undefined): number {
  if (flag === undefined) return 0;
  const n = Number(flag);
  if (!/^\d+$/.test(flag) || n > 19) throw new UsageError(`--nice must be a whole number from 0 to 19 (got "${flag}")`);
  return n;
}

/**
 * Lowers this process's CPU priority by `increment`, before the import starts its parse threads.
 * On Linux a nice value belongs to a thread (a new thread takes its creator's): every thread there
 * is now (V8's and libuv's helpers) is lowered, and the parse pool's threads, started later by the
 * main thread, take its value. Only lowering is asked for, which needs no privilege.
 */
export function lowerPriority(increment: number): void {
  if (increment <= 0) return;
  const value = Math.min(19, os.getPriority() + increment);
  let threads: string[] = [];
  try {
    threads = fs.readdirSync('/proc/self/task');
  } catch {
    // Not Linux: the priority is the process's.
  }
  if (threads.length === 0) os.setPriority(value);
  for (const tid of threads) {
    try {
      os.setPriority(Number(tid), value);
    } catch {
      // A helper thread that ended meanwhile.
    }
  }
}
