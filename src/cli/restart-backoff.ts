/** Restart delay: doubled at each crash in a row, from the first delay up to the cap... */
const FIRST_RESTART_MS = 250;
const MAX_RESTART_MS = 30_000;
/** ...and forgotten when the dead process had lived this long (a rare crash, not a crash loop). */
const STABLE_MS = 10_000;

/** When to restart a supervised process that died (a serve worker, the archive watcher). */
export class RestartBackoff {
  /** Crashes in a row (of processes that died young). */
  private crashes = 0;

  /** The delay before restarting a process that died after living `livedMs`. */
  next(livedMs: number): number {
    if (livedMs >= STABLE_MS) this.crashes = 0;
    const delay = Math.min(FIRST_RESTART_MS * 2 ** this.crashes, MAX_RESTART_MS);
    this.crashes++;
    return delay;
  }
}
