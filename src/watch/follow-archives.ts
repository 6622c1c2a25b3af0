import path from 'node:path';
import { checkRoot, ImportError, importArchives, type ImportSummary } from '../db/importer';
import type { ReportEntry } from '../db/writes/archive-writer';
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
      const sum = await importArchives(this.store, this.roots, { prune: true, signal: this.abort.signal });
      this.report(0, null, [sum], [], started);
    })();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
    if (this.changes.size > 0) this.debouncer.poke();
  }

  /**
   * Stops: no batch starts after this; the one in flight finishes its transaction (the rest of
   * it is read again by the next start, as after a killed import). Resolves once it has.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.debouncer.cancel();
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
    if (work.length === 0) return;
    const n = ++this.batch;
    this.running = this.run(n, work).then(
      () => {
        this.running = null;
        if (this.due || this.changes.size > 0) {
          this.due = false;
          this.fire();
        }
      },
      (err: unknown) => {
        this.running = null;
        this.fail(err);
      },
    );
  }

  private async run(n: number, work: ArchiveChanges[]): Promise<void> {
    const started = Date.now();
    const sums: ImportSummary[] = [];
    const errors: { root: string; reason: string }[] = [];
    const changed = work.some((w) => w.paths === null) ? null : work.reduce((k, w) => k + w.paths!.length, 0);
    this.opts.onBatchStart?.(n, changed);
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
          }),
        );
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
    this.report(n, changed, sums, errors, started);
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
    const add = (k: 'new' | 'updated' | 'unchanged' | 'pruned') => sums.reduce((t, s) => t + s[k], 0);
    this.opts.onBatch({
      batch: n,
      changed,
      new: add('new'),
      updated: add('updated'),
      unchanged: add('unchanged'),
      pruned: add('pruned'),
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
