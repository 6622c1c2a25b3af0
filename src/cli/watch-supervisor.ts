import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checkRoot } from '../db/importer';
import { logger } from '../server/logger';
import { isWatchBatchMessage, type WatchBatchMessage } from '../server/watch-metrics';
import { RestartBackoff } from './restart-backoff';
import { USAGE_EXIT_CODE } from './cli-error';
import { watchArgs, type WatchOptions } from './watch-options';
import { WATCHER_NICE } from './import-priority';

/** The command, from dist/src/cli (compiled) or src/cli (ts-jest; the bin runs dist either way). */
const BIN = [
  path.join(__dirname, '..', '..', '..', 'bin', 'newsgraph.js'),
  path.join(__dirname, '..', '..', 'bin', 'newsgraph.js'),
].find((p) => fs.existsSync(p))!;

/**
 * The watcher finishes its transaction in flight on SIGTERM; one ranking every post's related
 * posts at the end of a large import may take longer. Past this it is killed (its open
 * transaction rolls back: nothing half-written) and the next start reads the rest.
 */
const STOP_TIMEOUT_MS = 60_000;

/**
 * `serve --watch DIR...`: one child process, `newsgraph import DIR... --watch`, imports and follows
 * the archives, so an import never runs on an event loop that answers requests. The server keeps
 * only reading (SQLite in WAL mode: the writer never blocks readers). The child is restarted with
 * a back-off when it dies (unless on bad input: the usage exit code), and stopped with SIGTERM, after its transaction in flight, when the
 * server stops. With --workers the primary runs the one supervisor: one watcher, never one per worker.
 */
export class WatchSupervisor {
  private child: ChildProcess | null = null;
  private startedAt = 0;
  private readonly backoff = new RestartBackoff();
  private restart: NodeJS.Timeout | null = null;
  private stopping: Promise<void> | null = null;

  /** Checks the archives now, so that a bad one fails `serve` at once and names it. */
  constructor(
    private readonly dirs: string[],
    private readonly db: string,
    private readonly opts: WatchOptions,
    /** Hears each import run of the watcher (the metrics of `--metrics`). */
    private readonly onBatch?: (m: WatchBatchMessage) => void,
    /**
     * The watcher exited on bad input (the usage exit code: a bad _config.yml, a bad setting); it
     * printed why, and is not restarted (it would fail the same way, forever). The server stops.
     */
    private readonly onBadInput?: () => void,
  ) {
    dirs.forEach(checkRoot);
  }

  /** The watcher's pid, while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    this.restart = null;
    this.startedAt = Date.now();
    // The database goes by environment, not argv, where `ps` would show a password in its URL.
    // Below the server's priority: on few cores its imports would otherwise slow the requests down.
    const nice = ['--nice', String(WATCHER_NICE)];
    const child = fork(BIN, ['import', ...this.dirs, '--watch', ...nice, ...watchArgs(this.opts)], {
      env: { ...process.env, DATABASE_URL: this.db },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    child.on('message', (m) => {
      if (isWatchBatchMessage(m)) this.onBatch?.(m);
    });
    logger.info({ pid: child.pid, archives: this.dirs }, 'archive watcher started');
    child.once('exit', (code, signal) => {
      this.child = null;
      const about = { pid: child.pid, code, signal };
      if (this.stopping) return;
      if (code === USAGE_EXIT_CODE) {
        this.stopping = Promise.resolve();
        logger.error(about, 'archive watcher stopped on bad input (its message is above); not restarting it');
        this.onBadInput?.();
        return;
      }
      const delay = this.backoff.next(Date.now() - this.startedAt);
      logger.warn({ ...about, restartInMs: delay }, 'archive watcher exited; restarting it');
      this.restart = setTimeout(() => this.start(), delay);
    });
  }

  /** Stops the watcher after its transaction in flight; resolves once it has exited. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.restart) clearTimeout(this.restart);
    const child = this.child;
    this.stopping = new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => {
        logger.warn({ pid: child.pid }, `archive watcher did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
        child.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      child.once('exit', (code, signal) => {
        clearTimeout(kill);
        logger.info({ pid: child.pid, code, signal }, 'archive watcher stopped');
        resolve();
      });
      child.kill('SIGTERM');
    });
    return this.stopping;
  }
}
