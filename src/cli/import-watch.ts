import { openDatabase, resolveDatabase } from '../db/data-source';
import { writeStoreOf } from '../db/store';
import { logger } from '../server/logger';
import { WATCH_BATCH, type WatchBatchMessage } from '../server/watch-metrics';
import { ArchiveFollower, type BatchReport } from '../watch/follow-archives';
import { holdYoungGeneration, useImportHeapSettings } from '../ingest/import-heap';
import { WATCH_DEFAULTS, type WatchOptions } from './watch-options';

/** One log line per import run: counts, problems, milliseconds. */
function logBatch(b: BatchReport): void {
  const problems = b.failed.length > 0 || b.errors.length > 0;
  (problems ? logger.warn.bind(logger) : logger.info.bind(logger))(
    b,
    b.batch === 0 ? 'imported the archives' : 'imported changes',
  );
}

/** What a run tells the supervising server (`serve --watch`), for its metrics. */
function batchMessage(b: BatchReport): WatchBatchMessage {
  return {
    type: WATCH_BATCH,
    batch: b.batch,
    added: b.new,
    updated: b.updated,
    removed: b.removed,
    failedFiles: b.failed.length,
    failedArchives: b.errors.length,
    seconds: b.ms / 1000,
    scheduled: b.scheduled,
    endedAtMs: Date.now(),
  };
}

/** Forked by `serve --watch`: the server keeps the metrics of each run. */
function tellSupervisor(b: BatchReport): void {
  if (process.send && process.connected) process.send(batchMessage(b));
}

/**
 * `newsgraph import DIR... --watch`: imports the archives, then follows them until SIGTERM or
 * SIGINT, which let the transaction in flight commit and start nothing more (exit 0). A failure
 * of the database rejects (exit 1): a supervisor restarts the process, whose first import catches
 * up on everything.
 */
export async function runImportWatch(dirs: string[], o: WatchOptions & { db?: string }): Promise<void> {
  useImportHeapSettings();
  holdYoungGeneration();
  const ds = await openDatabase(resolveDatabase(o.db));
  const follower = new ArchiveFollower(writeStoreOf(ds), dirs, {
    poll: o.poll,
    pollIntervalMs: o.pollInterval ?? WATCH_DEFAULTS.pollInterval,
    quietMs: o.debounce ?? WATCH_DEFAULTS.debounce,
    maxDelayMs: o.maxDelay ?? WATCH_DEFAULTS.maxDelay,
    settleMs: o.settle ?? WATCH_DEFAULTS.settle,
    dutyCycle: o.dutyCycle,
    onBatch: (b) => {
      logBatch(b);
      tellSupervisor(b);
    },
    onBatchStart: (batch, changed) => logger.debug({ batch, changed }, 'importing changes'),
    onWarning: (msg, details) => logger.warn(details, msg),
  });
  let onSignal: (signal: string) => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    onSignal = (signal) => {
      logger.info({ signal }, 'stopping after the transaction in flight');
      resolve(follower.stop());
    };
  });
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  // Forked by `serve --watch`: a server gone without stopping us (killed) must not leave us running.
  const orphaned = () => onSignal('parent process gone');
  if (process.send) process.once('disconnect', orphaned);
  try {
    await Promise.race([follower.start(), stopped, follower.failed]);
    if (!follower.stopping) logger.info({ archives: follower.roots, polling: follower.polling ?? false }, 'watching');
    await Promise.race([stopped, follower.failed]);
    logger.info('stopped');
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.off('disconnect', orphaned);
    await follower.stop();
    await ds.destroy();
  }
}
