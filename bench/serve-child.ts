/**
 * A server in its own process, so the load generator (in the parent) never shares its event loop.
 *
 *   node dist/bench/serve-child.js --db FILE --mode graphql|floor|ceiling
 *
 * Forked with an IPC channel: sends { port, pid } once listening on 127.0.0.1 (a free port), and
 * exits cleanly on the message 'stop' or when the parent goes away (so `--cpu-prof` profiles get
 * written). The ceiling first loads the bench's front pages into memory and closes the database;
 * its message also says what it loaded ({ preload }).
 */
// First, as in the product's server: graphql-js in its production mode, for our server and the ceiling alike.
import '../src/server/graphql-production-mode';
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { openDatabase } from '../src/db/data-source';
import { nativeSqlite } from '../src/db/native';
import { sqliteRunnerFactory } from '../src/db/sql-runner';
import { readStoreOf } from '../src/db/store';
import type { Preload } from './children';
import { createFloorServer } from './floor-server';
import { PAGE_SIZE, pickRequests } from './queries';

const MODES = ['graphql', 'floor', 'ceiling'];

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) throw new Error(`serve-child: ${name} is required`);
  return v;
}

async function main(): Promise<void> {
  const mode = arg('--mode');
  if (!MODES.includes(mode)) throw new Error(`serve-child: --mode ${MODES.join('|')} (got ${mode})`);
  const ds = await openDatabase(arg('--db'));
  const db = nativeSqlite(ds);
  let server: http.Server;
  let stopApollo: (() => Promise<void>) | null = null;
  let preload: Preload | undefined;
  if (mode === 'graphql') {
    // Imported late: the floor process never loads GraphQL at all.
    const { createApp } = await import('../src/server/app');
    const app = await createApp({ store: readStoreOf(ds) });
    server = app.httpServer;
    stopApollo = () => app.apollo.stop();
  } else if (mode === 'ceiling') {
    // Imported late too: only the ceiling loads its type-graphql classes.
    const { loadCeilingData } = await import('./ceiling-data');
    const { createCeilingApp } = await import('./ceiling-server');
    const front = pickRequests(db).find((r) => r.name === 'front')!;
    const afters = front.bodies.map(
      (b) => (JSON.parse(b) as { variables?: { after?: string } }).variables?.after ?? null,
    );
    const started = performance.now();
    let told = 0;
    const data = await loadCeilingData(sqliteRunnerFactory(db), afters, PAGE_SIZE, (loaded, total) => {
      if (loaded - told < 5000 && loaded < total) return;
      told = loaded;
      process.stderr.write(`bench: ceiling: ${loaded} of ${total} posts in memory\n`);
    });
    preload = { pages: afters.length, posts: data.posts.size, ms: performance.now() - started };
    // From here on it answers from memory only.
    await ds.destroy();
    const app = await createCeilingApp(data);
    server = app.httpServer;
    stopApollo = () => app.apollo.stop();
  } else {
    server = createFloorServer(db);
  }
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections?.();
    if (stopApollo) await stopApollo();
    else await new Promise((resolve) => server.close(resolve));
    if (ds.isInitialized) await ds.destroy();
    process.exit(0);
  };
  process.on('message', (m) => {
    if (m === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  process.send?.({ port: (server.address() as AddressInfo).port, pid: process.pid, preload });
}

main().catch((err: unknown) => {
  process.stderr.write(`serve-child: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
