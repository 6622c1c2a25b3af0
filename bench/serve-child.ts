/**
 * A server in its own process, so the load generator (in the parent) never shares its event loop.
 *
 *   node dist/bench/serve-child.js --db FILE --mode graphql|floor
 *
 * Forked with an IPC channel: sends { port } once listening on 127.0.0.1 (a free port), and exits
 * cleanly on the message 'stop' or when the parent goes away (so `--cpu-prof` profiles get written).
 */
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { openDatabase } from '../src/db/data-source';
import { nativeSqlite } from '../src/db/native';
import { readStoreOf } from '../src/db/store';
import { createFloorServer } from './floor-server';

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) throw new Error(`serve-child: ${name} is required`);
  return v;
}

async function main(): Promise<void> {
  const mode = arg('--mode');
  if (mode !== 'graphql' && mode !== 'floor') throw new Error(`serve-child: --mode graphql|floor (got ${mode})`);
  const ds = await openDatabase(arg('--db'));
  const db = nativeSqlite(ds);
  let server: http.Server;
  let stopApollo = async () => {};
  if (mode === 'graphql') {
    // Imported late: the floor process never loads GraphQL at all.
    const { createApp } = await import('../src/server/app');
    const app = await createApp({ store: readStoreOf(ds) });
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
    if (mode === 'graphql') await stopApollo();
    else await new Promise((resolve) => server.close(resolve));
    await ds.destroy();
    process.exit(0);
  };
  process.on('message', (m) => {
    if (m === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  process.send?.({ port: (server.address() as AddressInfo).port, pid: process.pid });
}

main().catch((err: unknown) => {
  process.stderr.write(`serve-child: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
