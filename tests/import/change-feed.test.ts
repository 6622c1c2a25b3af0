// The change feed the import appends (post_change), on the finews sample and the suite's database:
// what each change to an archive appends (and what appends nothing), retention, and the migration.
import fs from 'node:fs';
import path from 'node:path';
import { importArchives } from '../../src/db/importer';
import { DAY_MS } from '../../src/db/writes/read-model';
import { copyTree, SEED, tempDatabase, type TempDatabase, tempDir } from '../helpers/db';
import { feedProblems, readFeedOf } from '../robustness/db-state';

const TWIN = '_posts/2021-12-08-202112082206672930.md';
const TWIN_URL = '/emnews/2021/12/08/202112082206672930.html';
const UNICOM = 'old_post/2022-06-16-NW202206162414061171.md';
const UNICOM_URL = '/xiningwanbao/2022/06/16/NW202206162414061171.html';

/** Rewrites a file with a later mtime, so the next import reads it. */
function rewrite(file: string, edit: (text: string) => string): void {
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  const when = new Date(Date.now() + 60_000);
  fs.utimesSync(file, when, when);
}

async function withEnv<T>(name: string, value: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env[name];
  process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

describe('the change feed of imports of the finews sample', () => {
  let t: TempDatabase;
  let archive: string;
  const feed = () => readFeedOf(t);
  /** The changes after `head`: [kind, url, post id]. */
  const since = async (head: number) =>
    (await feed()).rows.filter((r) => r.seq > head).map((r) => [r.kind, r.url, r.postId] as [string, string, number]);
  const head = async () => (await feed()).head;
  const idOf = async (url: string) => (await t.query<{ id: number }>('SELECT id FROM post WHERE url = ?', url))[0]?.id;
  const importAll = (prune = false) => importArchives(t.writeStore, [archive], { prune });

  beforeAll(async () => {
    t = await tempDatabase();
    archive = copyTree(SEED, path.join(tempDir(), 'finews'));
  });
  afterEach(async () => {
    // Every committed state: no gap, and the feed replays to the stored posts.
    expect(feedProblems(await feed(), await t.query('SELECT id, url FROM post'))).toEqual([]);
  });
  afterAll(() => t.close());

  test('the first import appends one ADDED per post, numbered from 1 in the order the posts were stored', async () => {
    const before = Date.now();
    await importAll();
    const after = Date.now();
    const f = await feed();
    const posts = await t.query<{ id: number; url: string }>('SELECT id, url FROM post ORDER BY id');
    expect(posts).toHaveLength(104);
    expect(f.rows.map((r) => [r.seq, r.kind, r.postId, r.url])).toEqual(
      posts.map((p, i) => [i + 1, 'ADDED', Number(p.id), p.url]),
    );
    expect(f.head).toBe(104);
    const at = await t.query<{ atMs: number }>('SELECT DISTINCT at_ms AS "atMs" FROM post_change');
    expect(at.every((r) => Number(r.atMs) >= before && Number(r.atMs) <= after)).toBe(true);
  });

  test('re-importing the unchanged archive appends nothing, nor does a file touched with the same bytes', async () => {
    const h = await head();
    expect(await importAll()).toMatchObject({ new: 0, updated: 0, unchanged: 104 });
    const when = new Date(Date.now() + 30_000);
    fs.utimesSync(path.join(archive, UNICOM), when, when);
    expect(await importAll()).toMatchObject({ new: 0, updated: 0, unchanged: 104 });
    expect(await since(h)).toEqual([]);
    expect(await head()).toBe(h);
  });

  test('a changed title appends one UPDATED for that post, which keeps its id', async () => {
    const h = await head();
    const id = await idOf(UNICOM_URL);
    rewrite(path.join(archive, UNICOM), (s) => s.replace(/^title: .*$/m, 'title: "一个新的标题"'));
    expect(await importAll()).toMatchObject({ updated: 1 });
    expect(await since(h)).toEqual([['UPDATED', UNICOM_URL, id]]);
  });

  test('a file that moves its permalink: REMOVED for the old post, then ADDED for the new one', async () => {
    const h = await head();
    const old = await idOf(UNICOM_URL);
    rewrite(path.join(archive, UNICOM), (s) => s.replace(/^---\n/, '---\npermalink: /moved/unicom.html\n'));
    await importAll();
    const added = await idOf('/moved/unicom.html');
    expect(added).not.toBe(old);
    expect(await since(h)).toEqual([
      ['REMOVED', UNICOM_URL, old],
      ['ADDED', '/moved/unicom.html', added],
    ]);
  });

  test('a file that stops being a post (published: false) appends one REMOVED', async () => {
    const h = await head();
    const id = await idOf('/moved/unicom.html');
    rewrite(path.join(archive, UNICOM), (s) => s.replace(/^---\n/, '---\npublished: false\n'));
    await importAll();
    expect(await since(h)).toEqual([['REMOVED', '/moved/unicom.html', id]]);
  });

  test('deleting the winning twin with --prune: REMOVED, then ADDED for the duplicate that adopts its permalink', async () => {
    const h = await head();
    const old = await idOf(TWIN_URL);
    fs.rmSync(path.join(archive, TWIN));
    expect(await importAll(true)).toMatchObject({ pruned: 1, new: 1 });
    const adopted = await idOf(TWIN_URL);
    expect(adopted).not.toBe(old);
    expect(await since(h)).toEqual([
      ['REMOVED', TWIN_URL, old],
      ['ADDED', TWIN_URL, adopted],
    ]);
  });

  test('a deleted file, pruned, appends one REMOVED; without --prune nothing', async () => {
    const file = 'old_post/2021-12-08-202112082206703990.md';
    const url = (await t.query<{ url: string }>('SELECT url FROM post WHERE path = ?', file))[0].url;
    const id = await idOf(url);
    const h = await head();
    fs.rmSync(path.join(archive, file));
    await importAll();
    expect(await since(h)).toEqual([]);
    expect(await importAll(true)).toMatchObject({ pruned: 1 });
    expect(await since(h)).toEqual([['REMOVED', url, id]]);
  });

  test('reindex appends nothing', async () => {
    const before = await feed();
    await t.writeStore.writer().rebuildReadModel();
    expect(await feed()).toEqual(before);
  });

  test('retention: an import that appends drops the changes older than NEWSGRAPH_CHANGES_KEEP_DAYS, from the start up to the first one kept', async () => {
    const age = (from: number, to: number, days: number) =>
      t.exec('UPDATE post_change SET at_ms = at_ms - ? WHERE seq BETWEEN ? AND ?', days * DAY_MS, from, to);
    const edit = (n: number) =>
      rewrite(path.join(archive, '_posts/2022-05-26-202205262391921712.md'), (s) =>
        s.replace(/^title: "?(.*?)"?$/m, `title: "edit ${n}: $1"`),
      );
    // Older than 30 days (the default): the first 50. Nothing is dropped before an import appends.
    await age(1, 50, 31);
    expect((await feed()).rows[0].seq).toBe(1);
    edit(1);
    await importAll();
    let f = await feed();
    expect([f.rows[0].seq, f.pruned]).toEqual([51, 50]);
    // Never past a change that is kept: 51..80 aged but 70, so only 51..69 go.
    await age(51, 80, 31);
    await age(70, 70, -31);
    edit(2);
    await importAll();
    f = await feed();
    expect([f.rows[0].seq, f.pruned]).toEqual([70, 69]);
    // 0 keeps every change, however old; a shorter period drops more.
    await age(70, 100, 400);
    edit(3);
    await withEnv('NEWSGRAPH_CHANGES_KEEP_DAYS', '0', importAll);
    expect((await feed()).rows[0].seq).toBe(70);
    const h = await head();
    await age(101, h, 2);
    edit(4);
    await withEnv('NEWSGRAPH_CHANGES_KEEP_DAYS', '1', importAll);
    f = await feed();
    expect(f.rows.map((r) => r.seq)).toEqual([h + 1]);
    expect(f.pruned).toBe(h);
  });

  test.each(['30d', '-1', '1.5', 'forever'])(
    'NEWSGRAPH_CHANGES_KEEP_DAYS=%s stops the import before it writes, naming the variable',
    async (value) => {
      const stamp = await t.writeStamp();
      await expect(withEnv('NEWSGRAPH_CHANGES_KEEP_DAYS', value, importAll)).rejects.toThrow(
        `NEWSGRAPH_CHANGES_KEEP_DAYS=${value}: expected a whole number of days (0 keeps every change)`,
      );
      expect(await t.writeStamp()).toBe(stamp);
    },
  );
});

test('the migration on a database imported before the feed existed: the feed starts empty at the upgrade', async () => {
  const t = await tempDatabase();
  try {
    const archive = copyTree(SEED, path.join(tempDir(), 'finews'));
    await importArchives(t.writeStore, [archive]);
    const idBefore = await t.query('SELECT value FROM read_model_state WHERE name = ?', 'change_feed_id');
    // Back to the schema before the feed, then migrated again, as an upgrade would.
    // (Undoing the migrations that came after the feed's too.)
    while ((await t.query(`SELECT name FROM migrations WHERE name LIKE '%ChangeFeed%'`)).length)
      await t.ds.undoLastMigration({ transaction: 'each' });
    expect(await t.query(`SELECT name FROM read_model_state WHERE name LIKE 'change%'`)).toEqual([]);
    await t.ds.runMigrations({ transaction: 'each' });
    let f = await readFeedOf(t);
    expect([f.rows.length, f.head, f.pruned]).toEqual([0, 0, 0]);
    // A new feed id: cursors of the feed before are refused.
    expect(await t.query('SELECT value FROM read_model_state WHERE name = ?', 'change_feed_id')).not.toEqual(idBefore);
    // The posts already stored are not in it; the next change is its first.
    rewrite(path.join(archive, UNICOM), (s) => s.replace(/^title: .*$/m, 'title: "升级以后"'));
    await importArchives(t.writeStore, [archive]);
    f = await readFeedOf(t);
    expect(f.rows.map((r) => [r.seq, r.kind, r.url])).toEqual([[1, 'UPDATED', UNICOM_URL]]);
  } finally {
    await t.close();
  }
});
