// A followed archive publishes a post dated in the future at its time, with no file event: the
// follower sets a timer for the next scheduled post (src/watch/follow-archives.ts). Real time, a
// few seconds: the post is dated just after the watch starts.
import fs from 'node:fs';
import path from 'node:path';
import { ArchiveFollower, type BatchReport } from '../../src/watch/follow-archives';
import { tempDatabase } from '../helpers/db';
import { feedProblems, readFeedOf } from '../robustness/db-state';
import { archiveCopy, datedPostText, LINKED, waitFor } from './helpers';

jest.setTimeout(120_000);

test('a watched archive publishes a scheduled post within moments of its time, with no file event', async () => {
  const t = await tempDatabase();
  const archive = archiveCopy();
  const rel = 'old_post/2030-01-01-scheduled-watch.md';
  // Far enough ahead that the initial import (a few hundred ms idle, seconds on a loaded machine)
  // ends before it.
  const due = Math.ceil((Date.now() + 8000) / 1000) * 1000;
  fs.writeFileSync(path.join(archive, rel), datedPostText(LINKED, '定时发布的稿件', due));
  const batches: BatchReport[] = [];
  const follower = new ArchiveFollower(t.writeStore, [archive], {
    quietMs: 150,
    maxDelayMs: 2000,
    settleMs: 1500,
    pollIntervalMs: 100,
    onBatch: (b) => batches.push(b),
    onWarning: () => {},
  });
  const postAt = async () =>
    (await t.query<{ id: number; url: string }>('SELECT id, url FROM post WHERE path = ?', rel))[0];
  try {
    await follower.start();
    expect(Date.now()).toBeLessThan(due);
    expect(batches).toEqual([expect.objectContaining({ batch: 0, new: 104, scheduled: 1, nextScheduledMs: due })]);
    expect(await postAt()).toBeUndefined();
    const head = (await readFeedOf(t)).head;

    const post = await waitFor('the scheduled post', postAt);
    const seenAt = Date.now();
    expect(seenAt).toBeGreaterThanOrEqual(due);
    // Without the timer it would wait for a file event that never comes.
    expect(seenAt - due).toBeLessThan(10_000);
    // One run, started by the timer: no path changed, one post new, nothing left scheduled. (Its
    // report comes after its commit: the post may be read a moment before.)
    await waitFor('the run report', () => batches.length > 1);
    expect(batches.slice(1)).toEqual([
      expect.objectContaining({ batch: 1, changed: 0, new: 1, updated: 0, scheduled: 0, nextScheduledMs: null }),
    ]);
    const feed = await readFeedOf(t);
    expect(feed.rows.filter((r) => r.seq > head).map((r) => [r.kind, r.url, r.postId])).toEqual([
      ['ADDED', post.url, Number(post.id)],
    ]);
    expect(feedProblems(feed, await t.query('SELECT id, url FROM post'))).toEqual([]);
  } finally {
    await follower.stop();
    await t.close();
  }
});
