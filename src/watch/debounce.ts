/**
 * Calls `fire` once events have stopped for `quietMs`, or `maxDelayMs` after the first of them if
 * they never stop: a burst (a `git pull` of 500 files) becomes one call, and a steady trickle still
 * gets one at least every `maxDelayMs`.
 */
export class Debouncer {
  private quiet: NodeJS.Timeout | null = null;
  private deadline: NodeJS.Timeout | null = null;

  constructor(
    private readonly quietMs: number,
    private readonly maxDelayMs: number,
    private readonly fire: () => void,
  ) {}

  /** A call is due. */
  get pending(): boolean {
    return this.quiet !== null;
  }

  /** Something happened. */
  poke(): void {
    if (this.quiet) clearTimeout(this.quiet);
    this.quiet = setTimeout(() => this.due(), this.quietMs);
    this.deadline ??= setTimeout(() => this.due(), Math.max(this.maxDelayMs, this.quietMs));
  }

  cancel(): void {
    if (this.quiet) clearTimeout(this.quiet);
    if (this.deadline) clearTimeout(this.deadline);
    this.quiet = this.deadline = null;
  }

  private due(): void {
    this.cancel();
    this.fire();
  }
}
