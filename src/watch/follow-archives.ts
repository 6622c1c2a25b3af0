import path from 'node:path';
import { checkRoot, ImportError, importArchives, type ImportSummary } from '../db/importer';
import type { ReportEntry } from '../db/writes/archive-writer';
import { loadParser } from '../ingest/parse-pool';
import type { WriteStore } from '../db/store';
import { ChangeSet, type ArchiveChanges } from './change-set';
import { Debouncer } from './debounce';
import { FileEvents, type ArchiveEvent } from './fs-events';

export interface FollowOptions {
  /** A batch starts once the archives have been quiet this long (ms)... */
  quietMs: number;
  /** ...or this long after the first change it holds, if they never are. */
  maxDelayMs: number;
  /** A file changed this recently that fails to parse is retried later rather than reported. */
  settleMs: number;
  poll?: boolean;
  pollIntervalMs: number;
  /** Each import's duty cycle (ImportOptions.dutyCycle). */
  dutyCycle?: number;
  /** Each import run: the initial one (batch 0), then one per batch of changes. */
  onBatch: (b: BatchReport) => void;
  /** A batch of changes starts importing. */
  onBatchStart?: (batch: number, changed: number | null) => void;
  /** A problem worth a log line: the watch goes on. */
  onWarning: (message: string, details: Record<string, unknown>) => void;
}

/** What one import run did, for its log line. */
export interface BatchReport {
  batch: number;
  /** The paths that changed (files and folders); null for a whole-archive import. */
  changed: number | null;
  new: number;
  updated: number;
  unchanged: number;
  pruned: number;
  /** Posts removed (file pruned, or no longer a post). */
  removed: number;
  /** Posts dated in the future waiting for their time, in all the archives, after this run. */
  scheduled: number;
  /** When the first of them is published (epoch ms), or null. */
  nextScheduledMs: number | null;
  failed: ReportEntry[];
  skipped: ReportEntry[];
  duplicates: ReportEntry[];
  /** Files that may still be being written, tried again once settled. */
  deferred: number;
  /** Archives that could not be imported this time (e.g. a broken `_config.yml`), with the reason. */
  errors: { root: string; reason: string }[];
  /** The signal stopped this run before its end (its committed transactions stand). */
  stopped: boolean;
  ms: number;
}

/** Below this many changed paths a batch is parsed on the calling thread: starting parser threads costs more. */
const THREADED_FROM = 64;

/**
 * The follower looks for scheduled posts whose time has come at least this often, besides the
 * timer set for the next one it knows of: another process may have scheduled one (an `import` of
 * the same archive), and a timer may fire late (the machine slept).
 */
const DUE_RECHECK_MS = 5 * 60_000;
/** A scheduled post already due that the last run did not publish (its file could not be read) is tried again after this. */
const DUE_RETRY_MS = 1000;

/**
 * Follows archives: imports them once, then imports what changes, batch by batch, through the
 * importer (the same planner and writers as `newsgraph import`). One import runs at a time;
 * changes that arrive meanwhile make the next batch.
 */
export class ArchiveFollower {
  readonly roots: string[];
  private readonly changes = new ChangeSet();
  private readonly debouncer: Debouncer;
  private readonly events: FileEvents;
  /** When each path last changed, for `stillWriting`. */
  private readonly lastChange = new Map<string, number>();
  private readonly retries = new Set<NodeJS.Timeout>();
  /** Archives whose last import could not run: read whole on their next change. */
  private readonly broken = new Set<string>();
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private due = false;
  /** Scheduled posts per archive after its last import: how many, and when the first is due. */
  private readonly waiting = new Map<string, { count: number; nextMs: number | null }>();
  private dueTimer: NodeJS.Timeout | null = null;
  /** The next run also imports the scheduled posts that are due (every archive, no file event needed). */
  private dueCheck = false;
  /** The last due check left a post due: wait DUE_RECHECK_MS rather than DUE_RETRY_MS. */
  private dueStuck = false;
  private batch = 0;
  private stopped = false;
  private fail: (err: unknown) => void = () => {};
  /** Rejects when an import fails for a reason other than an archive's (the database, say). */
  readonly failed: Promise<never>;

  constructor(
    private readonly store: WriteStore,
    roots: string[],
    private readonly opts: FollowOptions,
  ) {
    this.roots = [...new Set(roots.map((r) => path.resolve(r)))];
    this.debouncer = new Debouncer(opts.quietMs, opts.maxDelayMs, () => this.fire());
    this.events = new FileEvents(this.roots, {
      poll: opts.poll,
      pollIntervalMs: opts.pollIntervalMs,
      onEvent: (e) => this.onEvent(e),
      onWarning: opts.onWarning,
      onMissed: () => this.reimportAll(),
    });
    this.failed = new Promise<never>((_, reject) => (this.fail = reject));
    this.failed.catch(() => {}); // observed by whoever awaits it
  }

  /** Whether `stop` was called. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Batches of changes started so far (the initial import not counted). */
  get batchesStarted(): number {
    return this.batch;
  }

  /** Nothing to do: no import running, no change waiting, no half-written file to try again. */
  get idle(): boolean {
    return !this.running && !this.debouncer.pending && this.changes.size === 0 && this.retries.size === 0;
  }

  /** Why the archives are polled, or null (file-system events). */
  get polling(): string | null {
    return this.events.polling;
  }

  /**
   * Starts watching, then imports every archive whole (files gone meanwhile are pruned). Changes
   * during that import are imported after it. Rejects if the import cannot run (ImportError).
   */
  async start(): Promise<void> {
    this.roots.forEach(checkRoot);
    await this.events.start();
    if (this.stopped) return;
    const started = Date.now();
    this.running = (async () => {
      // One import per archive, so that each archive's scheduled posts are known (`waiting`).
      const sums: ImportSummary[] = [];
      for (const root of this.roots) {
        if (this.abort.signal.aborted) break;
        const sum = await importArchives(this.store, [root], {
          prune: true,
          signal: this.abort.signal,
          dutyCycle: this.opts.dutyCycle,
        });
        this.waiting.set(root, { count: sum.scheduled, nextMs: sum.nextScheduledMs });
        sums.push(sum);
      }
      this.report(0, null, sums, [], started);
      // An unchanged archive's import never loaded the parser; the first change will need it.
      loadParser();
    })();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
    this.armDueTimer();
    if (this.changes.size > 0) this.debouncer.poke();
  }

  /**
   * Stops: no batch starts after this; the one in flight finishes its transaction (the rest of
   * it is read again by the next start, as after a killed import). Resolves once it has.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.debouncer.cancel();
    if (this.dueTimer) clearTimeout(this.dueTimer);
    for (const t of this.retries) clearTimeout(t);
    this.abort.abort();
    await this.events.close();
    await this.running?.catch(() => {});
  }

  private onEvent(e: ArchiveEvent): void {
    if (this.stopped) return;
    if (e.kind === 'config' || this.broken.has(e.root)) this.changes.addWhole(e.root);
    else {
      this.changes.add(e.root, e.rel);
      this.lastChange.set(path.join(e.root, e.rel), Date.now());
    }
    this.debouncer.poke();
  }

  /** Events may have been missed (the watch was replaced): everything is looked at again. */
  private reimportAll(): void {
    for (const root of this.roots) this.changes.addWhole(root);
    this.debouncer.poke();
  }

  private stillWriting = (root: string, rel: string): boolean => {
    const at = this.lastChange.get(path.join(root, rel));
    return at !== undefined && Date.now() - at < this.opts.settleMs;
  };

  private fire(): void {
    if (this.stopped) return;
    if (this.running) {
      this.due = true; // after the run in flight
      return;
    }
    const work = this.changes.take();
    const dueOnly = this.dueCheck && work.length === 0;
    if (this.dueCheck) {
      this.dueCheck = false;
      // An empty list of paths: the importer adds the archive's scheduled files that are due.
      for (const root of this.roots)
        if (!this.broken.has(root) && !work.some((w) => w.root === root)) work.push({ root, paths: [] });
      work.sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
    }
    if (work.length === 0) return;
    const n = dueOnly ? null : ++this.batch;
    this.running = this.run(n, work).then(
      () => {
        this.running = null;
        this.armDueTimer();
        if (this.due || this.changes.size > 0) {
          this.due = false;
          this.fire();
        }
      },
      (err: unknown) => {
        this.running = null;
        if (this.dueTimer) clearTimeout(this.dueTimer);
        this.fail(err);
      },
    );
  }

  /** Imports a batch of changes (`n`), or only the scheduled posts that are due (`n` null). */
  private async run(n: number | null, work: ArchiveChanges[]): Promise<void> {
    const started = Date.now();
    const sums: ImportSummary[] = [];
    const errors: { root: string; reason: string }[] = [];
    const changed = work.some((w) => w.paths === null) ? null : work.reduce((k, w) => k + w.paths!.length, 0);
    const before = this.scheduledNow();
    if (n !== null) this.opts.onBatchStart?.(n, changed);
    // One import per archive, so that one archive's problem (its _config.yml broken, its folder
    // gone) does not hold back the others.
    for (const { root, paths } of work) {
      if (this.abort.signal.aborted) break;
      try {
        sums.push(
          await importArchives(this.store, [root], {
            prune: true,
            paths: paths ? new Map([[root, paths]]) : undefined,
            stillWriting: this.stillWriting,
            signal: this.abort.signal,
            workers: paths && paths.length < THREADED_FROM ? 0 : undefined,
            dutyCycle: this.opts.dutyCycle,
          }),
        );
        this.waiting.set(root, { count: sums.at(-1)!.scheduled, nextMs: sums.at(-1)!.nextScheduledMs });
        this.broken.delete(root);
      } catch (err) {
        if (!(err instanceof ImportError)) throw err;
        // Its changes are not lost: the archive is read whole on its next change (a fixed _config.yml, the folder back).
        errors.push({ root, reason: err.message });
        this.broken.add(root);
      }
    }
    for (const s of sums) for (const d of s.deferred ?? []) this.retryLater(d.root, d.path);
    this.forgetSettled();
    const after = this.scheduledNow();
    if (n === null) {
      this.dueStuck = after.nextMs !== null && after.nextMs <= Date.now();
      // A check that found nothing due is no batch: no log line every few minutes.
      const moved = sums.some((s) => s.new + s.updated + s.removed + s.pruned + s.failed.length > 0);
      if (!moved && errors.length === 0 && after.count === before.count && after.nextMs === before.nextMs) return;
    }
    this.report(n ?? ++this.batch, changed, sums, errors, started);
  }

  /** Scheduled posts in all the archives, as their last imports left them. */
  private scheduledNow(): { count: number; nextMs: number | null } {
    let count = 0;
    let nextMs: number | null = null;
    for (const w of this.waiting.values()) {
      count += w.count;
      if (w.nextMs !== null && (nextMs === null || w.nextMs < nextMs)) nextMs = w.nextMs;
    }
    return { count, nextMs };
  }

  /**
   * Sets the timer for the next scheduled post (a few ms after its time, so the run sees it due),
   * bounded by DUE_RECHECK_MS. The run it starts goes through `fire`, one import at a time.
   */
  private armDueTimer(): void {
    if (this.dueTimer) clearTimeout(this.dueTimer);
    this.dueTimer = null;
    if (this.stopped) return;
    const { nextMs } = this.scheduledNow();
    const left = nextMs === null ? DUE_RECHECK_MS : nextMs - Date.now();
    const wait = left > 0 ? Math.min(left + 5, DUE_RECHECK_MS) : this.dueStuck ? DUE_RECHECK_MS : DUE_RETRY_MS;
    this.dueTimer = setTimeout(() => {
      this.dueTimer = null;
      if (this.stopped) return;
      this.dueCheck = true;
      this.fire();
    }, wait);
    this.dueTimer.unref();
  }

  /** A file that may be half written is read again once it has been still for `settleMs`. */
  private retryLater(root: string, rel: string): void {
    const at = this.lastChange.get(path.join(root, rel)) ?? Date.now();
    const t = setTimeout(
      () => {
        this.retries.delete(t);
        if (this.stopped) return;
        this.changes.add(root, rel);
        this.debouncer.poke();
      },
      Math.max(0, at + this.opts.settleMs - Date.now()) + 1,
    );
    this.retries.add(t);
  }

  private forgetSettled(): void {
    const old = Date.now() - this.opts.settleMs;
    for (const [p, at] of this.lastChange) if (at < old) this.lastChange.delete(p);
  }

  private report(
    n: number,
    changed: number | null,
    sums: ImportSummary[],
    errors: BatchReport['errors'],
    started: number,
  ) {
    const add = (k: 'new' | 'updated' | 'unchanged' | 'pruned' | 'removed') => sums.reduce((t, s) => t + s[k], 0);
    const waiting = this.scheduledNow();
    this.opts.onBatch({
      batch: n,
      changed,
      new: add('new'),
      updated: add('updated'),
      unchanged: add('unchanged'),
      pruned: add('pruned'),
      removed: add('removed'),
      scheduled: waiting.count,
      nextScheduledMs: waiting.nextMs,
      failed: sums.flatMap((s) => s.failed),
      skipped: sums.flatMap((s) => s.skipped),
      duplicates: sums.flatMap((s) => s.duplicates),
      deferred: sums.reduce((t, s) => t + (s.deferred?.length ?? 0), 0),
      errors,
      stopped: sums.some((s) => s.stopped) || this.abort.signal.aborted,
      ms: Date.now() - started,
    });
  }
}
