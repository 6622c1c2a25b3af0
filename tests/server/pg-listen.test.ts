import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { importArchives } from '../../src/db/importer';
import { readStoreOf, writeStoreOf } from '../../src/db/store';
import { postChangeSource } from '../../src/graphql/live/feed-source';
import { createApp } from '../../src/server/app';
import { withPostgres } from '../helpers/db';
import { waitForSubscriptions } from '../helpers/live';
import { tempPostgres } from '../helpers/pg';
import { archiveCopy, PLAIN, postText, waitFor } from '../watch/helpers';

// On PostgreSQL an import's commit notifies (LISTEN/NOTIFY): subscribers hear of it at once, not at
// the hub's next poll, which these servers set an hour away. After the listening connection is
// killed, the hub listens again (and reads what committed meanwhile).

withPostgres('subscriptions woken by PostgreSQL notifications', () => {
  let pg: Awaited<ReturnType<typeof tempPostgres>>;
  let archive: string;
  let stop: () => Promise<void>;
  let ws: string;
  let http: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    pg = await tempPostgres();
    archive = archiveCopy();
    await importArchives(writeStoreOf(pg.ds), [archive]);
    const { httpServer, apollo } = await createApp({
      store: readStoreOf(pg.ds),
      live: { source: postChangeSource, pollMs: 3_600_000 },
      metrics: true,
    });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const port = (httpServer.address() as AddressInfo).port;
    ws = `ws://127.0.0.1:${port}/graphql`;
    http = `http://127.0.0.1:${port}`;
    stop = () => apollo.stop();
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await stop?.();
    await pg?.close();
  });

  const subscribe = () => {
    const client = createClient({ url: ws, webSocketImpl: WebSocket, retryAttempts: 0 });
    clients.push(client);
    const titles: string[] = [];
    client.subscribe(
      { query: 'subscription { postAdded { title } }' },
      {
        next: (r: any) => void titles.push(r.data?.postAdded.title),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    return titles;
  };
  const add = async (name: string, title: string) => {
    fs.writeFileSync(path.join(archive, '_posts', name), postText(PLAIN, title));
    await importArchives(writeStoreOf(pg.ds), [archive]);
  };
  /**
   * The backends listening on the feed's channel for this test's server (the hub's own connection),
   * not another test's running beside it on the same server.
   */
  const listeners = async () =>
    (
      await pg.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND application_name = $1`,
        [pg.schema],
      )
    ).rows;

  test('a commit reaches the subscriber without waiting for a poll', async () => {
    const titles = subscribe();
    await waitForSubscriptions(http, 1);
    await add('2021-12-10-notified.md', 'Notified');
    await waitFor('the notified post', () => titles.length >= 1, 5000);
    expect(titles).toEqual(['Notified']);
  });

  test('a killed listening connection is replaced, and what committed meanwhile still arrives', async () => {
    const titles = subscribe();
    await waitForSubscriptions(http, 2);
    await waitFor('a listener', async () => (await listeners()).length > 0);
    const killed = (await listeners()).map((r) => r.pid);
    await pg.pool.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [killed]);
    await add('2021-12-11-while-away.md', 'While away');
    await waitFor('a new listener', async () => (await listeners()).some((r) => !killed.includes(r.pid)), 10_000);
    await waitFor('the post committed while no one listened', () => titles.length >= 1, 5000);
    await add('2021-12-12-after.md', 'After');
    await waitFor('the next post', () => titles.length >= 2, 5000);
    expect(titles).toEqual(['While away', 'After']);
  });
});
