import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { importArchives } from '../../src/db/importer';
import { postChangeSource } from '../../src/graphql/live/feed-source';
import { createApp } from '../../src/server/app';
import { tempDatabase, TempDatabase } from '../helpers/db';
import { waitForSubscriptions } from '../helpers/live';
import { archiveCopy, LINKED, PLAIN, postText, waitFor } from '../watch/helpers';

// Subscriptions fed by the real change feed: posts written into an archive and imported (here by
// importArchives, as `newsgraph import` or a watcher does) reach subscribed graphql-ws clients,
// each change once, filtered like posts(filter:); what a client missed is in changes(after:).

let t: TempDatabase;
let archive: string;
let ws: string;
let http: string;
let stop: () => Promise<void>;
const clients: Client[] = [];

beforeAll(async () => {
  t = await tempDatabase();
  archive = archiveCopy();
  await importArchives(t.writeStore, [archive]);
  const { httpServer, apollo } = await createApp({
    store: t.store,
    live: { source: postChangeSource, pollMs: 25 },
    metrics: true,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  ws = `ws://127.0.0.1:${port}/graphql`;
  http = `http://127.0.0.1:${port}/graphql`;
  stop = () => apollo.stop();
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await stop();
  await t.close();
});

function subscribe(query: string, variables?: Record<string, unknown>) {
  const client = createClient({ url: ws, webSocketImpl: WebSocket, retryAttempts: 0 });
  clients.push(client);
  const got: any[] = [];
  client.subscribe(
    { query, variables },
    { next: (r) => void got.push(r), error: (e) => got.push({ error: e }), complete: () => undefined },
  );
  return got;
}
const gql = async (query: string, variables?: Record<string, unknown>) =>
  (await (
    await fetch(http, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    })
  ).json()) as any;

const write = (rel: string, from: string, title: string) => {
  const file = path.join(archive, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, postText(from, title));
};

test('added, updated and removed posts reach subscribers once each, filtered, and changes(after:) holds the same', async () => {
  const head = (await gql('{ changes(first: 1) { headCursor } }')).data.changes.headCursor;
  const added = subscribe('subscription { postAdded { title stocks { symbol } } }');
  const unicom = subscribe('subscription ($f: PostFilter) { postChanged(filter: $f) { kind id url post { title } } }', {
    f: { stocks: ['600050.SH'] },
  });
  await waitForSubscriptions(http.replace('/graphql', ''), 2);

  write('_posts/2022-06-20-live-linked.md', LINKED, 'Live: China Unicom');
  write('_posts/2021-12-09-live-plain.md', PLAIN, 'Live: plain');
  await importArchives(t.writeStore, [archive]);
  await waitFor('two postAdded events', () => added.length >= 2);
  await waitFor('the linked post in postChanged', () => unicom.length >= 1);
  expect(added.map((r) => r.data?.postAdded.title).sort()).toEqual(['Live: China Unicom', 'Live: plain']);
  expect(unicom.map((r) => [r.data.postChanged.kind, r.data.postChanged.post.title])).toEqual([
    ['ADDED', 'Live: China Unicom'],
  ]);

  write('_posts/2022-06-20-live-linked.md', LINKED, 'Live: China Unicom, updated');
  await importArchives(t.writeStore, [archive]);
  await waitFor('the update', () => unicom.length >= 2);
  expect(unicom[1].data.postChanged).toMatchObject({ kind: 'UPDATED', post: { title: 'Live: China Unicom, updated' } });

  fs.rmSync(path.join(archive, '_posts/2022-06-20-live-linked.md'));
  await importArchives(t.writeStore, [archive], { prune: true });
  await waitFor('the removal', () => unicom.length >= 3);
  expect(unicom[2].data.postChanged).toMatchObject({ kind: 'REMOVED', post: null, id: unicom[0].data.postChanged.id });

  await new Promise((r) => setTimeout(r, 300)); // nothing more, nothing twice
  expect(added).toHaveLength(2);
  expect(unicom).toHaveLength(3);

  // Metrics: two subscriptions open, the feed read up to its head.
  const metrics = await (await fetch(http.replace('/graphql', '/metrics'))).text();
  expect(metrics).toMatch(/^newsgraph_subscriptions_open 2$/m);
  expect(metrics).toMatch(/^newsgraph_change_feed_lag 0$/m);
  expect(Number(/^newsgraph_change_feed_head (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(104 + 4);

  // A client that was offline catches up from the cursor it held: the same changes, in order.
  const missed = (
    await gql('query ($a: String) { changes(after: $a) { edges { node { kind url } } } }', { a: head })
  ).data.changes.edges.map((e: any) => e.node);
  expect(missed.map((n: any) => n.kind)).toEqual(['ADDED', 'ADDED', 'UPDATED', 'REMOVED']);
  expect(missed.filter((n: any) => n.url === unicom[0].data.postChanged.url).map((n: any) => n.kind)).toEqual([
    'ADDED',
    'UPDATED',
    'REMOVED',
  ]);
});
