// First: graphql-js must load in its production mode (src/server/graphql-production-mode.ts).
import '../server/graphql-production-mode';
import { openDatabase } from '../db/data-source';
import { readStoreOf } from '../db/store';
import { postChangeSource } from '../graphql/live/feed-source';
import { createApp } from '../server/app';
import { metricsFromEnv } from '../server/metrics';
import { WatchMetrics } from '../server/watch-metrics';
import { announceServing, serveSettings, type ServeOptions } from './serve-settings';
import { WatchSupervisor } from './watch-supervisor';
import { listen } from './listen';
import { USAGE_EXIT_CODE } from './cli-error';
import { startWebhooks, webhookSettings } from './webhooks';

function watcherRunning(watcher: WatchSupervisor): void {
  if (watcher.pid === undefined) throw new Error('the archive watcher is not running (it is being restarted)');
}

/** Inside a worker of `serve --workers` (serve-workers.ts), the primary migrates, announces and handles signals. */
export interface ServeMode {
  worker?: boolean;
}

/** Starts the server; resolves once it listens, with its port and a way to stop it (used by tests). */
export async function runServe(
  o: ServeOptions,
  mode: ServeMode = {},
): Promise<{ port: number; close: () => Promise<void> }> {
  const { manifest, port, dbName, siteUrl } = serveSettings(o);
  let stop: (exitCode?: number) => void = () => undefined;
  const watched = !mode.worker && !!o.watch?.length;
  const watchMetrics = watched && (o.metrics ?? metricsFromEnv()) ? new WatchMetrics() : null;
  const watcher = watched
    ? new WatchSupervisor(
        o.watch!,
        dbName,
        o,
        (m) => watchMetrics?.record(m),
        () => stop(USAGE_EXIT_CODE),
      )
    : null;
  const hooks = mode.worker ? null : webhookSettings(o.webhook);
  const ds = await openDatabase(dbName, { migrate: !mode.worker });
  const { httpServer, apollo } = await createApp({
    store: readStoreOf(ds),
    corsOrigins: process.env.CORS_ORIGINS ? process.env.CORS_ORIGINS.split(',').map((s) => s.trim()) : '*',
    persistedOnly: manifest,
    metrics: o.metrics,
    clusterWorker: mode.worker,
    moreMetrics: watchMetrics?.registry,
    live: { source: postChangeSource },
    feeds: { siteUrl, siteTitle: process.env.NEWSGRAPH_SITE_TITLE?.trim() || undefined },
    readiness: watcher ? { watcher: async () => watcherRunning(watcher) } : undefined,
  });
  try {
    await listen(httpServer, port);
  } catch (err) {
    await Promise.all([apollo.stop(), ds.destroy()]).catch(() => undefined);
    throw err;
  }
  const addr = httpServer.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  if (!mode.worker) announceServing(o, manifest, dbName, actual);
  // Only once the server listens (the database is migrated): a server that fails to start leaves no watcher.
  watcher?.start();
  const webhooks = hooks ? startWebhooks(ds, hooks) : null;
  const close = async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await Promise.all([apollo.stop(), watcher?.stop(), webhooks?.close()]);
    await ds.destroy();
  };
  // Also when the watcher stopped on bad input: then with the usage exit code, the watcher's message above.
  stop = (exitCode = 0) => {
    close().then(
      () => process.exit(exitCode),
      (err) => {
        process.stderr.write(`newsgraph: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(1);
      },
    );
  };
  const onSignal = () => stop();
  if (!mode.worker) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return { port: actual, close };
}
