// First: graphql-js must load in its production mode (src/server/graphql-production-mode.ts).
import '../server/graphql-production-mode';
import 'reflect-metadata';
import cluster, { Worker } from 'node:cluster';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { openDatabase } from '../db/data-source';
import { startWebhooks, webhookSettings } from './webhooks';
import { answerClusterMetrics } from '../server/cluster-metrics';
import { logger } from '../server/logger';
import { metricsFromEnv } from '../server/metrics';
import { WatchMetrics } from '../server/watch-metrics';
import { announceServing, serveSettings, type ServeOptions } from './serve-settings';
import { RestartBackoff } from './restart-backoff';
import { UsageError } from '../config/usage-error';
import { CliFailure, describeError, USAGE_EXIT_CODE } from './cli-error';
import { listenFailure } from './listen';
import { WatchSupervisor } from './watch-supervisor';

/**
 * `newsgraph serve --workers N`: N processes serve one port through Node's cluster module.
 *
 * GraphQL execution is CPU-bound and one Node process uses one core, so on a machine with more
 * cores N processes answer more requests. The primary accepts connections and hands them to the
 * workers in turn (cluster's default scheduling, round robin except on Windows). Workers are
 * stateless: each opens its own connection to the same SQLite file (in WAL mode readers never
 * block each other, and the server never writes); their in-memory caches are per process.
 *
 * The primary serves nothing. It migrates the database once before forking (N workers migrating at
 * once would race for the write lock), restarts a worker that dies, and on SIGTERM/SIGINT stops
 * them all gracefully (each drains its requests through Apollo) before exiting 0.
 */

/** A sane cap: more processes than this only add memory and contention for the one database file. */
export const MAX_WORKERS = 64;
/** Gives the number of workers when --workers is absent. */
const WORKERS_ENV = 'NEWSGRAPH_WORKERS';
/** How the primary passes a worker its (already resolved) options. */
const OPTIONS_ENV = 'NEWSGRAPH_SERVE_WORKER';
/** Apollo's drain gives requests in flight up to 10 s; a worker still alive after this is killed. */
const STOP_TIMEOUT_MS = 15_000;

/** The number of worker processes: --workers, else $NEWSGRAPH_WORKERS, else 1 (one process, no cluster). */
export function workerCount(flag: string | undefined, env: string | undefined = process.env[WORKERS_ENV]): number {
  if (flag === undefined && !env) return 1;
  const [name, value] = flag !== undefined ? ['--workers ', flag] : [`${WORKERS_ENV}=`, env!];
  // Digits only: Number() would also take '', ' 2', '0x2', '1e1' and '2.0'.
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_WORKERS)) {
    throw new UsageError(
      `${name}${value === '' ? "''" : value}: the number of worker processes must be a whole number from 1 to ${MAX_WORKERS}`,
    );
  }
  return n;
}

/** Rejects with the reason (e.g. `port 4000 is already in use`) when the port cannot be listened on. */
function portFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err) => reject(listenFailure(port, err)));
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

interface Slot {
  worker: Worker | null;
  startedAt: number;
  listening: boolean;
  backoff: RestartBackoff;
  restart: NodeJS.Timeout | null;
}

/**
 * Starts the primary and its workers; resolves once every worker listens, with the port and a way
 * to stop them. Rejects, after stopping the others, if a worker exits before it ever listened
 * (a port in use, an unreadable database): the same failure as the single process, not a restart loop.
 */
export async function runServeWorkers(
  o: ServeOptions,
  workers: number,
): Promise<{ port: number; close: () => Promise<void> }> {
  // The checks of runServe, done once here so that a bad value fails before any process starts.
  const { manifest, port, dbName: db } = serveSettings(o);
  const metrics = o.metrics ?? metricsFromEnv();
  // The one watcher is the primary's child: its metrics are kept here and added to the workers' sum.
  const watchMetrics = metrics && o.watch?.length ? new WatchMetrics() : null;
  // A watcher that stopped on bad input (it said why) stops the workers, with the usage exit code.
  const badInput = () => void stopAll().then(() => process.exit(USAGE_EXIT_CODE));
  const watcher = o.watch?.length
    ? new WatchSupervisor(o.watch, db, o, (m) => watchMetrics?.record(m), badInput)
    : null;
  const hooks = webhookSettings(o.webhook);
  // Before any worker starts: a port in use is then one line, not one error per worker.
  if (port !== 0) await portFree(port);
  const ds = await openDatabase(db); // creates and migrates the file, once
  // The primary delivers the webhooks (once for all workers); else it needs no database.
  const webhooks = hooks ? startWebhooks(ds, hooks) : null;
  if (!webhooks) await ds.destroy();
  const workerOptions: ServeOptions = { db, port, persistedOnly: o.persistedOnly, metrics };
  if (metrics) answerClusterMetrics(watchMetrics?.registry);

  // The workers run this file (the `require.main === module` branch at the end), not the CLI again.
  cluster.setupPrimary({ exec: __filename, args: [] });
  const slots: Slot[] = Array.from({ length: workers }, () => ({
    worker: null,
    startedAt: 0,
    listening: false,
    backoff: new RestartBackoff(),
    restart: null,
  }));
  let ready = false;
  let stopping: Promise<void> | null = null;

  const stopAll = (): Promise<void> => {
    if (stopping) return stopping;
    for (const s of slots) if (s.restart) clearTimeout(s.restart);
    const live = slots.map((s) => s.worker).filter((w): w is Worker => w !== null);
    stopping = Promise.all([
      watcher?.stop(),
      webhooks?.close().then(() => ds.destroy()),
      ...live.map(
        (w) =>
          new Promise<void>((resolve) => {
            const kill = setTimeout(() => {
              logger.warn(
                { worker: w.id, pid: w.process.pid },
                `worker did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`,
              );
              w.process.kill('SIGKILL');
            }, STOP_TIMEOUT_MS);
            w.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            // The worker's SIGTERM handler drains and exits 0 (see runWorker).
            w.process.kill('SIGTERM');
          }),
      ),
    ]).then(() => undefined);
    return stopping;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (!stopping) logger.info({ signal }, 'stopping the workers');
    void stopAll().then(() => process.exit(0));
  };
  // Installed before forking, so a signal during start-up stops the workers too.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const close = async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  };

  return new Promise((resolve, reject) => {
    const fork = (slot: Slot) => {
      slot.restart = null;
      slot.startedAt = Date.now();
      slot.listening = false;
      const w = cluster.fork({ [OPTIONS_ENV]: JSON.stringify(workerOptions) });
      slot.worker = w;
      w.once('listening', (address: AddressInfo) => {
        slot.listening = true;
        if (ready) {
          logger.info({ worker: w.id, pid: w.process.pid }, 'worker restarted');
        } else if (slots.every((s) => s.listening)) {
          // With --port 0 every worker gets the same port: cluster shares one handle per requested address.
          ready = true;
          announceServing(o, manifest, db, address.port, { workers: slots.map((s) => s.worker!.process.pid) });
          watcher?.start(); // in the primary: one watcher for all the workers
          resolve({ port: address.port, close });
        }
      });
      w.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
        slot.worker = null;
        const about = { worker: w.id, pid: w.process.pid, code, signal };
        if (stopping) {
          logger.info(about, 'worker stopped');
        } else if (!ready) {
          logger.error(about, 'a worker exited before listening; stopping the others');
          void stopAll().then(() =>
            reject(
              new CliFailure(
                `worker ${w.id} exited (code ${code}, signal ${signal}) before listening; its message is above`,
              ),
            ),
          );
        } else {
          const delay = slot.backoff.next(Date.now() - slot.startedAt);
          logger.warn({ ...about, restartInMs: delay }, 'worker exited unexpectedly; restarting it');
          slot.restart = setTimeout(() => fork(slot), delay);
        }
      });
    };
    for (const slot of slots) fork(slot);
  });
}

/** A worker: runServe without migrations, announcement or its signal handlers (the primary has those). */
async function runWorker(): Promise<void> {
  let server: { close: () => Promise<void> } | null = null;
  let stopping = false;
  // SIGTERM comes from the primary; Ctrl-C in a terminal sends SIGINT to the primary and the workers
  // alike. The first of them starts one graceful stop; a second must not cut the drain short.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (!server) process.exit(0); // still starting: nothing to drain
    server.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`newsgraph: worker ${cluster.worker?.id}: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  try {
    const { runServe } = await import('./serve-command');
    server = await runServe(JSON.parse(process.env[OPTIONS_ENV]!) as ServeOptions, { worker: true });
  } catch (err) {
    const { text, exitCode } = describeError(err);
    process.stderr.write(`newsgraph: worker ${cluster.worker?.id}: ${text}\n`);
    process.exit(exitCode);
  }
}

if (require.main === module && cluster.isWorker) void runWorker();
