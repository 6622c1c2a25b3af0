// Issue #13 item 7: a graphql-ws client receives the events of files written into a watched
// temporary archive (ArchiveFollower imports, the server follows the change feed), each once.
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { postChangeSource } from '../../src/graphql/live/feed-source';
import { createApp } from '../../src/server/app';
import { ArchiveFollower } from '../../src/watch/follow-archives';
import { tempDatabase } from '../helpers/db';
import { waitForSubscriptions } from '../helpers/live';
import { archiveCopy, LINKED, PLAIN, postText, waitFor } from './helpers';

jest.setTimeout(60_000);

test('files written into a watched archive reach a subscribed client as postAdded, then as postChanged', async () => {
  const t = await tempDatabase();
  const archive = archiveCopy();
  const follower = new ArchiveFollower(t.writeStore, [archive], {
    quietMs: 150,
    maxDelayMs: 1000,
    settleMs: 1500,
    pollIntervalMs: 100,
    onBatch: () => undefined,
    onWarning: () => undefined,
  });
  await follower.start();
  const { httpServer, apollo } = await createApp({
    store: t.store,
    live: { source: postChangeSource, pollMs: 25 },
    metrics: true,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const client = createClient({
    url: `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  const added: string[] = [];
  const changed: string[] = [];
  const sink = (into: string[], pick: (data: any) => string) => ({
    next: (r: any) => void into.push(r.errors ? `error: ${JSON.stringify(r.errors)}` : pick(r.data)),
    error: (e: unknown) => void into.push(`error: ${JSON.stringify(e)}`),
    complete: () => undefined,
  });
  try {
    client.subscribe(
      { query: 'subscription { postAdded { title } }' },
      sink(added, (d) => d.postAdded.title),
    );
    client.subscribe(
      { query: 'subscription { postChanged { kind post { title } } }' },
      sink(changed, (d) => `${d.postChanged.kind} ${d.postChanged.post?.title ?? '-'}`),
    );
    await waitForSubscriptions(`http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`, 2);

    const names = Array.from({ length: 5 }, (_, i) => `_posts/2021-12-09-watched-${i}.md`);
    for (const [i, rel] of names.entries()) {
      fs.mkdirSync(path.join(archive, '_posts'), { recursive: true });
      fs.writeFileSync(path.join(archive, rel), postText(i % 2 ? LINKED : PLAIN, `watched ${i}`));
      await new Promise((r) => setTimeout(r, 100));
    }
    await waitFor('five postAdded events', () => added.length >= 5);
    fs.writeFileSync(path.join(archive, names[0]), postText(PLAIN, 'watched 0, edited'));
    await waitFor('the edit', () => changed.some((c) => c.startsWith('UPDATED')));
    fs.rmSync(path.join(archive, names[1]));
    await waitFor('the removal', () => changed.some((c) => c.startsWith('REMOVED')));
    await new Promise((r) => setTimeout(r, 300));

    expect(added.sort()).toEqual(['watched 0', 'watched 1', 'watched 2', 'watched 3', 'watched 4']);
    expect(changed.filter((c) => c.startsWith('ADDED')).sort()).toEqual(added.map((a) => `ADDED ${a}`).sort());
    expect(changed.filter((c) => !c.startsWith('ADDED'))).toEqual(['UPDATED watched 0, edited', 'REMOVED -']);
  } finally {
    await client.dispose();
    await apollo.stop();
    await follower.stop();
    await t.close();
  }
});
