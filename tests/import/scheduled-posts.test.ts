// Posts dated in the future (`future: false`, Jekyll's default): hidden from every read until their
// time, then imported like a new post (ADDED in the change feed). Runs on the suite's database
// (SQLite; PostgreSQL with NEWSGRAPH_TEST_DB=postgres), with the importer's clock moved by hand.
import fs from 'node:fs';
import path from 'node:path';
import { importArchives, type ImportSummary } from '../../src/db/importer';
import { sampleApi } from '../helpers/api';
import { copyTree, SEED, tempDatabase, tempDir } from '../helpers/db';
import { feedProblems, readFeedOf } from '../robustness/db-state';

/** A real post with stock embeds (中国联通, 600050.SH), an organization and a publisher. */
const UNICOM = 'old_post/2022-06-16-NW202206162414061171.md';
const UNICOM_URL = '/xiningwanbao/2022/06/16/NW202206162414061171.html';
const FUTURE = 'old_post/2030-03-01-NW203003011.md';
const FUTURE_URL = '/xiningwanbao/2030/03/01/NW203003011.html';
const TITLE = '定时稿件甲乙丙';
/** `date: "2030-03-01 18:00:00"` in the sample's zone (Asia/Shanghai): 10:00 UTC. */
const DUE = Date.parse('2030-03-01T10:00:00Z');

/** The UNICOM post under another title and a date in 2030 (quoted: the site's local time). */
function futureText(date = '"2030-03-01 18:00:00"'): string {
  return fs
    .readFileSync(path.join(SEED, UNICOM), 'utf8')
    .replace(/^title: .*$/m, `title: "${TITLE}"`)
    .replace(/^date: .*$/m, `date: ${date}`);
}

/** Writes a file with a later mtime, so that the next import reads it. */
function write(file: string, text: string): void {
  fs.writeFileSync(file, text);
  const when = new Date(Date.now() + 60_000);
  fs.utimesSync(file, when, when);
}

/** Everything a reader could see the future post through. */
const READS = `query($url: String!) {
  post(url: $url) { id }
  posts(first: 3) { totalCount edges { node { url } } }
  search(query: "${TITLE}") { totalCount edges { node { url } } }
  stock(symbol: "600050.SH") {
    coverageCount
    posts(first: 100) { totalCount edges { node { url } } }
    coMentioned(first: 50) { count stock { symbol } }
    coverageTimeline(interval: MONTH, from: "2030-01-01T00:00:00Z", to: "2030-06-30T00:00:00Z") { start count }
  }
  unicom: post(url: "${UNICOM_URL}") { relatedCoverage(first: 30) { edges { node { url } } } }
  categories(first: 100) { edges { node { slug postCount } } }
  tags(first: 100) { totalCount }
  organization(name: "西宁晚报") { posts(first: 100) { totalCount } }
  changes(first: 100) { totalCount headCursor }
}`;

describe('a post dated in the future', () => {
  let api: Awaited<ReturnType<typeof sampleApi>>;
  let archive: string;
  let clock = 0;
  const importAt = (now: number, prune = false): Promise<ImportSummary> =>
    importArchives(api.writeStore, [archive], { now: () => now, prune });
  const reads = () => api.ok(READS, { url: FUTURE_URL });
  const feed = () => readFeedOf(api);
  let baseline: Awaited<ReturnType<typeof reads>>;

  beforeAll(async () => {
    archive = copyTree(SEED, path.join(tempDir(), 'finews'));
    api = await sampleApi(archive);
    baseline = await reads();
  });
  afterEach(async () => {
    expect(feedProblems(await feed(), await api.query('SELECT id, url FROM post'))).toEqual([]);
  });
  afterAll(() => api.close());

  test('the sample alone schedules nothing (all its dates are past)', async () => {
    expect(await importAt(Date.now())).toMatchObject({ new: 0, unchanged: 104, scheduled: 0, nextScheduledMs: null });
  });

  test('is not imported before its time: no read shows it, the feed has nothing; the report says when it is due', async () => {
    write(path.join(archive, FUTURE), futureText());
    const head = (await feed()).head;
    clock = DUE - 3_600_000;
    const sum = await importAt(clock);
    expect(sum).toMatchObject({ new: 0, updated: 0, removed: 0, scheduled: 1, nextScheduledMs: DUE });
    // Not a problem to report: it is waiting.
    expect([...sum.skipped, ...sum.failed].map((e) => e.path)).not.toContain(FUTURE);
    expect(await reads()).toEqual(baseline);
    expect((await feed()).head).toBe(head);
    // Unchanged and still early (to the last millisecond of the second before): still nothing.
    expect(await importAt(DUE - 1)).toMatchObject({ new: 0, scheduled: 1, nextScheduledMs: DUE });
    expect(await reads()).toEqual(baseline);
  });

  test('once its time has come, an import with no change to the file adds it, announced as ADDED', async () => {
    const head = (await feed()).head;
    const sum = await importAt(DUE);
    expect(sum).toMatchObject({ new: 1, updated: 0, scheduled: 0, nextScheduledMs: null });
    const added = (await feed()).rows.filter((r) => r.seq > head);
    expect(added.map((r) => [r.kind, r.url])).toEqual([['ADDED', FUTURE_URL]]);
    const now = await reads();
    expect(now.post).not.toBeNull();
    expect(now.posts.totalCount).toBe(baseline.posts.totalCount + 1);
    expect(now.posts.edges[0].node.url).toBe(FUTURE_URL); // newest first
    expect(now.search.edges.map((e: { node: { url: string } }) => e.node.url)).toEqual([FUTURE_URL]);
    expect(now.stock.coverageCount).toBe(baseline.stock.coverageCount + 1);
    expect(now.stock.coverageTimeline.find((b: { count: number }) => b.count > 0)).toEqual({
      start: '2030-03-01T00:00:00Z',
      count: 1,
    });
    expect(now.unicom.relatedCoverage.edges.map((e: { node: { url: string } }) => e.node.url)).toContain(FUTURE_URL);
    expect(now.organization.posts.totalCount).toBe(baseline.organization.posts.totalCount + 1);
    expect(now.changes.totalCount).toBe(baseline.changes.totalCount + 1);
    // And then it is an ordinary post: nothing more to do.
    expect(await importAt(DUE + 86_400_000)).toMatchObject({ new: 0, updated: 0, unchanged: 105, scheduled: 0 });
  });

  test('a published post whose date moves into the future is REMOVED, then ADDED again (a new id) at its time', async () => {
    const head = (await feed()).head;
    const oldId = (await api.query<{ id: number }>('SELECT id FROM post WHERE url = ?', FUTURE_URL))[0].id;
    write(path.join(archive, FUTURE), futureText('"2030-03-05 18:00:00"'));
    const later = DUE + 4 * 86_400_000;
    expect(await importAt(DUE + 1000)).toMatchObject({ removed: 1, scheduled: 1, nextScheduledMs: later });
    expect((await reads()).post).toBeNull();
    expect(await importAt(later)).toMatchObject({ new: 1, scheduled: 0 });
    const rows = (await feed()).rows.filter((r) => r.seq > head);
    // The date is in the permalink: the post comes back at another one.
    expect(rows.map((r) => [r.kind, r.url])).toEqual([
      ['REMOVED', FUTURE_URL],
      ['ADDED', '/xiningwanbao/2030/03/05/NW203003011.html'],
    ]);
    expect(rows[1].postId).not.toBe(Number(oldId));
  });

  test('the schedule follows the file: moved later, then deleted before its time (pruned): nothing is ever announced', async () => {
    const file = path.join(archive, 'old_post/2031-01-01-NW203101011.md');
    write(file, futureText('"2031-01-01 08:00:00"'));
    const first = Date.parse('2031-01-01T00:00:00Z');
    expect(await importAt(DUE)).toMatchObject({ scheduled: 1, nextScheduledMs: first });
    write(file, futureText('"2031-02-01 08:00:00"'));
    const moved = Date.parse('2031-02-01T00:00:00Z');
    expect(await importAt(first)).toMatchObject({ new: 0, scheduled: 1, nextScheduledMs: moved });
    const head = (await feed()).head;
    fs.unlinkSync(file);
    expect(await importAt(first, true)).toMatchObject({ pruned: 1, removed: 0, scheduled: 0, nextScheduledMs: null });
    expect(await importAt(moved + 1000, true)).toMatchObject({ new: 0, scheduled: 0 });
    expect((await feed()).head).toBe(head);
  });

  test('`future: true` in _config.yml publishes it at once (the archive is read again under the new settings)', async () => {
    const file = path.join(archive, 'old_post/2032-01-01-NW203201011.md');
    write(file, futureText('"2032-01-01 08:00:00"'));
    expect(await importAt(DUE)).toMatchObject({ new: 0, scheduled: 1 });
    const head = (await feed()).head;
    write(
      path.join(archive, '_config.yml'),
      `${fs.readFileSync(path.join(SEED, '_config.yml'), 'utf8')}\nfuture: true\n`,
    );
    expect(await importAt(DUE)).toMatchObject({ new: 1, scheduled: 0 });
    expect((await feed()).rows.filter((r) => r.seq > head).map((r) => [r.kind, r.url])).toEqual([
      ['ADDED', '/xiningwanbao/2032/01/01/NW203201011.html'],
    ]);
  });
});

test('the upgrade: a post dated in the future that an older build imported is read again, REMOVED, then ADDED at its time', async () => {
  const t = await tempDatabase();
  try {
    const archive = copyTree(SEED, path.join(tempDir(), 'finews'));
    write(path.join(archive, FUTURE), futureText());
    // As the older build did: every post imported, whatever its date (its clock past the date).
    await importArchives(t.writeStore, [archive], { now: () => DUE + 86_400_000 });
    expect(await t.query('SELECT url FROM post WHERE url = ?', FUTURE_URL)).toHaveLength(1);
    // Back to the schema before scheduled posts (and the migrations after it), then migrated again, as an upgrade would.
    const applied = async () =>
      (await t.ds.query<{ name: string }[]>(`SELECT name FROM migrations ORDER BY id`)).map((r) => r.name);
    while ((await applied()).some((n) => n.includes('ScheduledPosts')))
      await t.ds.undoLastMigration({ transaction: 'each' });
    await t.ds.runMigrations({ transaction: 'each' });
    const head = (await readFeedOf(t)).head;
    // The real clock (before 2030): only that post's file is read again, and it waits.
    expect(await importArchives(t.writeStore, [archive])).toMatchObject({
      new: 0,
      updated: 0,
      unchanged: 104,
      removed: 1,
      scheduled: 1,
      nextScheduledMs: DUE,
    });
    expect((await readFeedOf(t)).rows.filter((r) => r.seq > head).map((r) => [r.kind, r.url])).toEqual([
      ['REMOVED', FUTURE_URL],
    ]);
    expect(await importArchives(t.writeStore, [archive], { now: () => DUE })).toMatchObject({ new: 1, scheduled: 0 });
  } finally {
    await t.close();
  }
});
