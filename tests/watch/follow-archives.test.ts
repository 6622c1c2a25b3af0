// Following a live archive (src/watch), on the suite's database: files added, changed, deleted,
// renamed, in bursts, half written and broken, while an ArchiveFollower watches the archive. The
// end state must be what one fresh import of the final archive stores.
import fs from 'node:fs';
import path from 'node:path';
import { importArchives } from '../../src/db/importer';
import type { WriteStore } from '../../src/db/store';
import { ArchiveFollower, type BatchReport, type FollowOptions } from '../../src/watch/follow-archives';
import { tempDatabase, type TempDatabase } from '../helpers/db';
import { canonicalDumpOf, consistencyProblemsOf, dumpDifference } from '../robustness/db-state';
import { archiveCopy, LINKED, PLAIN, postText, urlOf, waitFor } from './helpers';

jest.setTimeout(120_000);

interface Watched {
  t: TempDatabase;
  archive: string;
  follower: ArchiveFollower;
  batches: BatchReport[];
  warnings: string[];
  /** Batches after the initial import. */
  changes: () => BatchReport[];
  postAt: (rel: string) => Promise<{ id: number; url: string; title: string } | undefined>;
}

const open: Watched[] = [];
afterEach(async () => {
  for (const w of open.splice(0)) {
    await w.follower.stop();
    await w.t.close();
  }
});

async function watched(opts: Partial<FollowOptions> = {}, store?: (t: TempDatabase) => WriteStore): Promise<Watched> {
  const t = await tempDatabase();
  const archive = archiveCopy();
  const batches: BatchReport[] = [];
  const warnings: string[] = [];
  const follower = new ArchiveFollower(store ? store(t) : t.writeStore, [archive], {
    quietMs: 150,
    maxDelayMs: 2000,
    settleMs: 1500,
    pollIntervalMs: 100,
    onBatch: (b) => batches.push(b),
    onWarning: (msg, details) => warnings.push(`${msg} ${JSON.stringify(details)}`),
    ...opts,
  });
  const w: Watched = {
    t,
    archive,
    follower,
    batches,
    warnings,
    changes: () => batches.filter((b) => b.batch > 0),
    postAt: async (rel) =>
      (
        await t.query<{ id: number; url: string; title: string }>('SELECT id, url, title FROM post WHERE path = ?', rel)
      )[0],
  };
  open.push(w);
  await follower.start();
  return w;
}

/** What a fresh import of the archive as it is now stores, to compare with the watched database. */
async function freshDump(archive: string) {
  const fresh = await tempDatabase();
  try {
    await importArchives(fresh.writeStore, [archive]);
    return await canonicalDumpOf(fresh);
  } finally {
    await fresh.close();
  }
}

test('added, changed, deleted and renamed files reach the database; the result is a fresh import of the final archive', async () => {
  const w = await watched();
  expect(w.batches).toEqual([expect.objectContaining({ batch: 0, changed: null, new: 104, failed: [] })]);
  const file = (rel: string) => path.join(w.archive, rel);

  // Added: a new dated file with a real post's body (stocks, an organization, a publisher).
  const added = 'old_post/2022-06-17-watch-added.md';
  fs.writeFileSync(file(added), postText(LINKED, '新增'));
  const post = await waitFor('the added post', () => w.postAt(added));
  expect(post).toMatchObject({ url: urlOf(LINKED, added), title: '新增' });
  const links = async () =>
    (await w.t.query<{ n: number }>('SELECT count(*) AS n FROM post_stock WHERE post_id = ?', post.id))[0].n;
  expect(Number(await links())).toBe(2);

  // Changed: the same post, another title.
  fs.writeFileSync(file(added), postText(LINKED, '改过'));
  await waitFor('the changed title', async () => (await w.postAt(added))?.title === '改过');
  expect((await w.postAt(added))!.id).toBe(post.id);

  // Deleted: its post and its links go.
  fs.unlinkSync(file(added));
  await waitFor('the deleted post gone', async () => (await w.postAt(added)) === undefined);
  expect(Number(await links())).toBe(0);
  expect(await consistencyProblemsOf(w.t, { complete: true })).toEqual([]);

  // Renamed: the old permalink goes, the new one comes.
  const renamed = 'old_post/2021-12-08-watch-renamed.md';
  fs.renameSync(file(PLAIN), file(renamed));
  await waitFor('the renamed post', () => w.postAt(renamed));
  await waitFor('the old permalink gone', async () => (await w.postAt(PLAIN)) === undefined);
  expect(await w.t.query('SELECT url FROM post WHERE url = ?', urlOf(PLAIN, PLAIN.split('/')[1]))).toEqual([]);
  expect(await w.t.query('SELECT url FROM post WHERE url = ?', urlOf(PLAIN, 'watch-renamed.md'))).toHaveLength(1);

  await waitFor('no batch pending', () => w.follower.idle);
  expect(w.changes().every((b) => b.failed.length === 0 && b.errors.length === 0)).toBe(true);
  expect(await consistencyProblemsOf(w.t, { complete: true })).toEqual([]);
  expect(dumpDifference(await canonicalDumpOf(w.t), await freshDump(w.archive))).toBeNull();
});

test('a burst of 200 files is imported in a few batches, every post once', async () => {
  const w = await watched();
  const names = Array.from({ length: 200 }, (_, i) => `old_post/2021-12-08-burst-${String(i).padStart(3, '0')}.md`);
  for (const [i, rel] of names.entries()) fs.writeFileSync(path.join(w.archive, rel), postText(PLAIN, `快讯 ${i}`));
  await waitFor('all 200 posts', async () => {
    const [r] = await w.t.query<{ n: number }>("SELECT count(*) AS n FROM post WHERE path LIKE 'old_post/%burst-%'");
    return Number(r.n) === 200;
  });
  await waitFor('no batch pending', () => w.follower.idle);
  const batches = w.changes();
  expect(batches.length).toBeGreaterThanOrEqual(1);
  expect(batches.length).toBeLessThanOrEqual(5);
  expect(batches.reduce((n, b) => n + b.new, 0)).toBe(200);
  expect(batches.reduce((n, b) => n + b.updated, 0)).toBe(0);
  expect(batches.reduce((n, b) => n + b.failed.length, 0)).toBe(0);
});

test('a half-written file is retried once it settles, never reported failed', async () => {
  const w = await watched({ settleMs: 3000 });
  const rel = 'old_post/2021-12-08-watch-half.md';
  const whole = postText(PLAIN, '分两次写完');
  // Cut inside the front matter: on its own, half the file is not a post.
  const cut = whole.indexOf('date:') + 3;
  const fd = fs.openSync(path.join(w.archive, rel), 'w');
  fs.writeSync(fd, whole.slice(0, cut));
  await waitFor('a batch that read the half file and left it for later', () => w.changes().some((b) => b.deferred > 0));
  expect(await w.postAt(rel)).toBeUndefined();
  fs.writeSync(fd, whole.slice(cut));
  fs.closeSync(fd);
  await waitFor('the completed post', () => w.postAt(rel));
  expect((await w.postAt(rel))!.title).toBe('分两次写完');
  expect(w.changes().flatMap((b) => b.failed)).toEqual([]);
  const [row] = await w.t.query<{ status: string }>('SELECT status FROM source_file WHERE path = ?', rel);
  expect(row.status).toBe('post');
});

test('a broken file is reported once, the others are imported, and the watch goes on', async () => {
  const w = await watched({ settleMs: 500 });
  const broken = 'old_post/2021-12-08-watch-broken.md';
  const good = 'old_post/2021-12-08-watch-good.md';
  fs.writeFileSync(path.join(w.archive, broken), '---\ntitle: "unterminated\ndate: [2021\n---\nbody\n');
  fs.writeFileSync(path.join(w.archive, good), postText(PLAIN, '好的'));
  await waitFor('the good post', () => w.postAt(good));
  await waitFor('the broken file reported', () => w.changes().some((b) => b.failed.some((f) => f.path === broken)));
  // Then: another change, to see the watch alive and the broken file not reported again.
  const later = 'old_post/2021-12-08-watch-later.md';
  fs.writeFileSync(path.join(w.archive, later), postText(PLAIN, '后来的'));
  await waitFor('the later post', () => w.postAt(later));
  await waitFor('no batch pending', () => w.follower.idle);
  const reports = w.changes().flatMap((b) => b.failed.filter((f) => f.path === broken));
  expect(reports).toEqual([{ path: broken, reason: expect.stringMatching(/YAML|front matter/i) }]);
  // And the import report keeps it, as for `newsgraph import`.
  const [row] = await w.t.query<{ status: string }>('SELECT status FROM source_file WHERE path = ?', broken);
  expect(row.status).toBe('failed');
});

test('files outside what the walk reads (_drafts, _site, hidden folders, non-posts) make no batch', async () => {
  const w = await watched();
  for (const dir of ['_drafts', '_site', '.git', 'old_post/.cache'])
    fs.mkdirSync(path.join(w.archive, dir), { recursive: true });
  fs.writeFileSync(path.join(w.archive, '_drafts/2021-12-08-draft.md'), postText(PLAIN, '草稿'));
  fs.writeFileSync(path.join(w.archive, '_site/2021-12-08-built.html'), '<p>built</p>');
  fs.writeFileSync(path.join(w.archive, '.git/2021-12-08-object.md'), postText(PLAIN, 'git'));
  fs.writeFileSync(path.join(w.archive, 'old_post/.cache/2021-12-08-c.md'), postText(PLAIN, 'cache'));
  fs.writeFileSync(path.join(w.archive, 'old_post/notes.txt'), 'not a post');
  // Then a post, whose batch must hold it alone.
  const sentinel = 'old_post/2021-12-08-watch-sentinel.md';
  fs.writeFileSync(path.join(w.archive, sentinel), postText(PLAIN, '哨兵'));
  await waitFor('the sentinel post', () => w.postAt(sentinel));
  await waitFor('no batch pending', () => w.follower.idle);
  expect(w.changes().map((b) => [b.changed, b.new])).toEqual([[1, 1]]);
  const [r] = await w.t.query<{ n: number }>('SELECT count(*) AS n FROM post');
  expect(Number(r.n)).toBe(105);
});

test('a changed _config.yml imports the whole archive again under the new settings', async () => {
  const w = await watched();
  const config = path.join(w.archive, '_config.yml');
  fs.appendFileSync(config, '\npermalink: /:categories/:title.html\n');
  await waitFor(
    'the posts at their new permalinks',
    async () => (await w.postAt('_posts/2021-12-08-202112082206672930.md'))?.url === '/emnews/202112082206672930.html',
  );
  await waitFor('no batch pending', () => w.follower.idle);
  expect(w.changes()).toEqual([expect.objectContaining({ changed: null, new: 104, failed: [] })]);
  expect(dumpDifference(await canonicalDumpOf(w.t), await freshDump(w.archive))).toBeNull();
});

test('stop() during a batch: the transaction in flight commits, no other starts, and the next start reads the rest', async () => {
  process.env.NEWSGRAPH_BATCH_SIZE = '20';
  let follower: ArchiveFollower | null = null;
  let committed = 0;
  const stop: { done: Promise<void> | null } = { done: null };
  try {
    // A store whose writer stops the follower right after its first transaction of the burst commits.
    const w = await watched({}, (t) => ({
      kind: t.writeStore.kind,
      writer: () => {
        const writer = t.writeStore.writer();
        const writeBatch = writer.writeBatch.bind(writer);
        writer.writeBatch = async (batch) => {
          const counts = await writeBatch(batch);
          if (follower && follower.batchesStarted > 0 && batch.length === 20 && ++committed === 1)
            stop.done = follower.stop();
          return counts;
        };
        return writer;
      },
    }));
    follower = w.follower;
    for (let i = 0; i < 100; i++)
      fs.writeFileSync(
        path.join(w.archive, `old_post/2021-12-08-stop-${String(i).padStart(3, '0')}.md`),
        postText(PLAIN, `停 ${i}`),
      );
    await waitFor('the stop', () => stop.done !== null);
    await stop.done;
    const count = async () =>
      Number((await w.t.query<{ n: number }>("SELECT count(*) AS n FROM post WHERE path LIKE '%stop-%'"))[0].n);
    expect(await count()).toBe(20);
    expect(committed).toBe(1);
    expect(w.changes()).toEqual([expect.objectContaining({ stopped: true, new: 20 })]);
    expect(await consistencyProblemsOf(w.t, { complete: false })).toEqual([]);

    // The next start (its first import is whole) imports the other 80, each once.
    const next = new ArchiveFollower(w.t.writeStore, [w.archive], {
      quietMs: 150,
      maxDelayMs: 2000,
      settleMs: 1500,
      pollIntervalMs: 100,
      onBatch: (b) => w.batches.push(b),
      onWarning: () => {},
    });
    await next.start();
    await next.stop();
    expect(w.batches.at(-1)).toMatchObject({ batch: 0, new: 80, updated: 0 });
    expect(await count()).toBe(100);
  } finally {
    delete process.env.NEWSGRAPH_BATCH_SIZE;
  }
});

/** Moves a folder of three new posts into the archive, then removes it: its posts come, then go. */
async function folderInAndOut(w: Watched): Promise<void> {
  const outside = path.join(path.dirname(w.archive), 'incoming');
  fs.mkdirSync(path.join(outside, 'sub'), { recursive: true });
  for (const rel of ['2021-12-08-moved-a.md', '2021-12-08-moved-b.md', 'sub/2021-12-08-moved-c.md'])
    fs.writeFileSync(path.join(outside, rel), postText(PLAIN, rel));
  fs.renameSync(outside, path.join(w.archive, 'moved'));
  const moved = async () =>
    Number((await w.t.query<{ n: number }>("SELECT count(*) AS n FROM post WHERE path LIKE 'moved/%'"))[0].n);
  await waitFor('the moved folder’s posts', async () => (await moved()) === 3);
  fs.rmSync(path.join(w.archive, 'moved'), { recursive: true });
  await waitFor('the removed folder’s posts gone', async () => (await moved()) === 0);
  expect(await consistencyProblemsOf(w.t, { complete: true })).toEqual([]);
}

test('a folder moved into the archive brings its posts, and removing it takes them away', async () => {
  await folderInAndOut(await watched());
});

test('--poll: the same changes arrive by polling (chokidar) instead of file-system events', async () => {
  const w = await watched({ poll: true, pollIntervalMs: 100 });
  expect(w.follower.polling).toBe('--poll');
  const rel = 'old_post/2021-12-08-polled.md';
  fs.writeFileSync(path.join(w.archive, rel), postText(PLAIN, '轮询'));
  await waitFor('the polled post', () => w.postAt(rel));
  fs.writeFileSync(path.join(w.archive, rel), postText(PLAIN, '轮询改过'));
  await waitFor('the polled change', async () => (await w.postAt(rel))?.title === '轮询改过');
  fs.unlinkSync(path.join(w.archive, rel));
  await waitFor('the polled delete', async () => (await w.postAt(rel)) === undefined);
  await folderInAndOut(w);
});
