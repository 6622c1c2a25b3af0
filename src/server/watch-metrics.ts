import { Counter, Gauge, Histogram, Registry } from 'prom-client';

// The archive watcher of `serve --watch` runs in a child process (src/cli/watch-supervisor.ts),
// but /metrics is served by the server (under --workers, by every worker, from the primary's
// aggregation). So the child sends one message per import run over its IPC channel, and the
// process that supervises it (the server, or the primary) keeps these metrics in a registry of
// its own: one watcher, counted once, and the counts outlive a restarted child.

/** The IPC message the watcher sends after each import run. */
export const WATCH_BATCH = 'newsgraph:watch-batch';

export interface WatchBatchMessage {
  type: typeof WATCH_BATCH;
  /** 0 for the import at the watcher's start, then 1, 2, ... */
  batch: number;
  added: number;
  updated: number;
  removed: number;
  /** Files whose post could not be read, as the run's report lists them. */
  failedFiles: number;
  /** Archives that could not be imported at all (a broken `_config.yml`, a folder gone). */
  failedArchives: number;
  seconds: number;
  /** Posts dated in the future waiting for their time, in all the watched archives. */
  scheduled: number;
  /** When the run ended (epoch ms). */
  endedAtMs: number;
}

/** Whether an IPC message is a watcher's batch report (anything else on the channel is ignored). */
export function isWatchBatchMessage(m: unknown): m is WatchBatchMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === WATCH_BATCH;
}

/** The watcher's metrics, fed by its messages. */
export class WatchMetrics {
  readonly registry = new Registry();
  private readonly batches = new Counter({
    name: 'newsgraph_watch_batches_total',
    help: 'Import runs of the archive watcher (its first import, then one per batch of changes or scheduled posts due)',
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'newsgraph_watch_batch_duration_seconds',
    help: 'How long each import run of the archive watcher took',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  private readonly posts = new Counter({
    name: 'newsgraph_watch_posts_total',
    help: 'Posts the archive watcher added, updated and removed, by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'newsgraph_import_errors_total',
    help: 'Import errors the archive watcher reported: files that are no readable post (scope=file), archives that could not be imported (scope=archive)',
    labelNames: ['scope'],
    registers: [this.registry],
  });
  private readonly lastBatch = new Gauge({
    name: 'newsgraph_watch_last_batch_timestamp_seconds',
    help: 'When the last import run of the archive watcher ended (Unix time; 0 before the first)',
    registers: [this.registry],
  });
  private readonly scheduled = new Gauge({
    name: 'newsgraph_posts_scheduled',
    help: 'Posts dated in the future (future: false) waiting for their time in the watched archives',
    registers: [this.registry],
  });

  constructor() {
    // Every series from the start, at 0: a rate over a series that appears later misses its first step.
    for (const kind of ['added', 'updated', 'removed']) this.posts.inc({ kind }, 0);
    for (const scope of ['file', 'archive']) this.errors.inc({ scope }, 0);
    this.lastBatch.set(0);
    this.scheduled.set(0);
  }

  record(m: WatchBatchMessage): void {
    this.batches.inc();
    this.duration.observe(m.seconds);
    this.posts.inc({ kind: 'added' }, m.added);
    this.posts.inc({ kind: 'updated' }, m.updated);
    this.posts.inc({ kind: 'removed' }, m.removed);
    this.errors.inc({ scope: 'file' }, m.failedFiles);
    this.errors.inc({ scope: 'archive' }, m.failedArchives);
    this.lastBatch.set(m.endedAtMs / 1000);
    this.scheduled.set(m.scheduled);
  }
}
