import { setTimeout as sleepFor } from 'node:timers/promises';

/**
 * Keeps an import busy at most a share of the time (its duty cycle): before each transaction it
 * rests in proportion to the time it worked since its last rest, as PostgreSQL's vacuum cost delay
 * keeps background work off the foreground's back. At 0.5 it rests as long as it worked. On a
 * machine whose cores also serve requests, readers then keep more of their speed while a large
 * batch is imported, and the import takes longer.
 */
/** A duty cycle: a share of the time above 0 and at most 1. */
export const isDutyCycle = (d: number) => d > 0 && d <= 1;

export class ImportPacer {
  /** When the import last started working (made, or done resting). */
  private since: number;

  constructor(
    readonly dutyCycle: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<unknown> = (ms, signal) =>
      sleepFor(ms, undefined, { signal }),
  ) {
    if (!isDutyCycle(dutyCycle)) {
      throw new RangeError(`the duty cycle must be a fraction above 0 and at most 1 (got ${dutyCycle})`);
    }
    this.since = now();
  }

  /** Rests before a transaction; an abort (SIGTERM) ends a rest at once. Returns the milliseconds rested. */
  async rest(signal?: AbortSignal): Promise<number> {
    const started = this.now();
    const worked = started - this.since;
    const ms = (worked * (1 - this.dutyCycle)) / this.dutyCycle;
    if (ms >= 1 && !signal?.aborted) {
      try {
        await this.sleep(ms, signal);
      } catch (e) {
        if (!signal?.aborted) throw e;
      }
    }
    this.since = this.now();
    return this.since - started;
  }
}
