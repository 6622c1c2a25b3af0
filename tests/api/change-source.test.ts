// The change feed as the subscription hub's source (src/graphql/live/feed-source.ts), fed by real
// imports of the finews sample on the suite's database: the hub starts at the head, and hears each
// later change once, in the feed's order.
import fs from 'node:fs';
import path from 'node:path';
import { importArchives } from '../../src/db/importer';
import { postChangeSource } from '../../src/graphql/live/feed-source';
import { PostEvents, type FeedChange } from '../../src/graphql/live/post-events';
import { copyTree, SEED, tempDatabase, tempDir } from '../helpers/db';
import { readFeedOf } from '../robustness/db-state';

function rewrite(file: string, edit: (s: string) => string): void {
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  const when = new Date(Date.now() + 60_000);
  fs.utimesSync(file, when, when);
}

async function take(events: AsyncIterableIterator<FeedChange>, n: number): Promise<FeedChange[]> {
  const out: FeedChange[] = [];
  for (let i = 0; i < n; i++) out.push((await events.next()).value as FeedChange);
  return out;
}

test('imports reach the hub through the feed: from the head on, every change once, in order', async () => {
  const t = await tempDatabase();
  const archive = copyTree(SEED, path.join(tempDir(), 'finews'));
  const hub = new PostEvents({
    source: postChangeSource,
    runner: () => t.store.runner(),
    dataVersion: () => t.store.dataVersion(),
    pollMs: 3_600_000, // rounds run when the test says
    maxSubscriptions: 10,
    queueLength: 1000,
  });
  try {
    expect(await postChangeSource.head(t.store.runner())).toBe(0);
    await importArchives(t.writeStore, [archive]);
    expect(await postChangeSource.head(t.store.runner())).toBe(104);
    await hub.start();
    const changed = hub.subscribe('changed', undefined);
    const added = hub.subscribe('added', undefined);
    rewrite(path.join(archive, '_posts/2022-05-26-202205262391921712.md'), (s) =>
      s.replace(/^title: .*$/m, 'title: "新标题"'),
    );
    rewrite(path.join(archive, 'old_post/2022-06-16-NW202206162414061171.md'), (s) =>
      s.replace(/^---\n/, '---\npermalink: /moved/unicom.html\n'),
    );
    await importArchives(t.writeStore, [archive]);
    await hub.poll();
    const feed = (await readFeedOf(t)).rows.filter((r) => r.seq > 104);
    expect(feed.map((r) => r.kind)).toEqual(['REMOVED', 'UPDATED', 'ADDED']);
    const heard = await take(changed, 3);
    expect(heard.map((c) => [c.seq, c.kind, c.postId])).toEqual(feed.map((r) => [r.seq, r.kind, r.postId]));
    expect((await take(added, 1)).map((c) => [c.seq, c.kind])).toEqual([[107, 'ADDED']]);
    // Nothing new: a round hears nothing; the source pages by seq.
    await hub.poll();
    expect(await postChangeSource.after(t.store.runner(), 105, 1)).toEqual([heard[1]]);
    expect(await postChangeSource.after(t.store.runner(), 107, 10)).toEqual([]);
  } finally {
    await hub.stop();
    await t.close();
  }
});
