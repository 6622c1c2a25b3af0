// The import planner alone: pure decisions over a snapshot, on the real finews posts and on
// hand-made batches that the database tests reach only by luck (several files of one batch
// claiming, leaving and taking over permalinks).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readSiteConfig } from '../../src/ingest/jekyll';
import { parseFile } from '../../src/ingest/parse-file';
import type { FileOutcome, PostRecord } from '../../src/ingest/types';
import type { FileMeta, PendingFile, SourceFileRow } from '../../src/db/writes/archive-writer';
import {
  fileKey,
  planBatch as planOver,
  planPrune,
  reachableUrls,
  type Snapshot,
  type StoredPost,
} from '../../src/db/writes/plan';
import { addLinkRows, emptyLinkRows, type EntityIds } from '../../src/db/writes/rows';
import { changesKeepDays, feedRows, plannedChanges } from '../../src/db/writes/change-feed';
import { SEED } from '../helpers/db';

const ROOT = '/archive';

function seedBatch(): PendingFile[] {
  const site = readSiteConfig(fs.readFileSync(path.join(SEED, '_config.yml'), 'utf8'));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs
      .readdirSync(path.join(SEED, dir), { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else if (/\.(md|markdown|html)$/.test(e.name)) files.push(rel);
    }
  };
  walk('');
  return files.map((rel) => {
    const bytes = fs.readFileSync(path.join(SEED, rel));
    const fileHash = createHash('sha256').update(bytes).digest('hex');
    return {
      meta: { archiveId: 1, path: rel, size: bytes.length, mtimeMs: 1, fileHash },
      outcome: parseFile(rel, bytes, fileHash, site, Date.now()),
    };
  });
}

/** Plans over a snapshot completed as the writers complete it: every reachable permalink without a post is null. */
function planBatch(batch: PendingFile[], snap: Snapshot) {
  const posts = new Map(snap.posts);
  for (const url of reachableUrls(batch, snap.files)) if (!posts.has(url)) posts.set(url, null);
  return planOver(batch, { ...snap, posts });
}

const empty = (): Snapshot => ({ files: new Map(), posts: new Map(), roots: new Map([[1, ROOT]]) });

function meta(p: string, hash = `h-${p}`): FileMeta {
  return { archiveId: 1, path: p, size: 10, mtimeMs: 5, fileHash: hash };
}

function record(url: string, over: Partial<PostRecord> = {}): PostRecord {
  return {
    path: 'x.md',
    slug: 'x',
    url,
    title: 'T',
    dateMs: 0,
    dateOffset: 0,
    categories: [],
    tags: [],
    contentHash: `c-${url}`,
    rendering: { html: '', text: '', excerpt: '', sourceUrl: null },
    extraction: { stocks: [], boards: [], organizations: [], publisher: null },
    searchTokens: { title: '', body: '' },
    storySignature: null,
    ...over,
  };
}

const post = (p: string, rec: PostRecord): PendingFile => ({ meta: meta(p), outcome: { kind: 'post', record: rec } });
const row = (over: Partial<SourceFileRow> & { url: string | null; status: string }): SourceFileRow => ({
  id: 1,
  size: 10,
  mtimeMs: 5,
  fileHash: 'h',
  reason: null,
  publishAtMs: null,
  ...over,
});
const stored = (id: number, p: string, over: Partial<StoredPost> = {}): StoredPost => ({
  id,
  archiveId: 1,
  path: p,
  contentHash: 'old',
  title: 'T',
  dateMs: 0,
  publisherId: null,
  ...over,
});

describe('the import planner on the finews sample', () => {
  const batch = seedBatch();
  const plan = planBatch(batch, empty());

  test('a first import writes every dated post once; the _posts twin wins, its old_post copy is a duplicate', () => {
    // `_posts/` sorts first, so its twin under old_post/ finds the permalink taken.
    expect(plan.counts).toEqual({ new: 104, updated: 0, unchanged: 0, removed: 0 });
    expect(plan.posts).toHaveLength(104);
    expect(plan.posts.every((p) => p.id === null)).toBe(true);
    const twin = plan.posts.find((p) => p.rec.url === '/emnews/2021/12/08/202112082206672930.html')!;
    expect(twin.meta.path).toBe('_posts/2021-12-08-202112082206672930.md');
    const dup = plan.files.find((f) => f.path === 'old_post/2021-12-08-202112082206672930.md')!;
    expect(dup).toMatchObject({ status: 'duplicate', url: twin.rec.url });
    expect(dup.reason).toContain('_posts/2021-12-08-202112082206672930.md');
    expect(plan.files.find((f) => f.path === '_posts/-202205262391921712.md')).toMatchObject({ status: 'skipped' });
    expect(plan.unlink).toEqual([]);
  });

  test('the entities the posts name are asked for once each, stocks with what a new row needs', () => {
    expect(plan.entities.stock.get('600050.SH')).toMatchObject({ code: '600050', market: 'SH' });
    expect(plan.entities.stock.get('NIO.US')).toMatchObject({ code: 'NIO', market: 'US' });
    expect(plan.entities.board.has('BK0493')).toBe(true);
    expect(plan.entities.organization.has('上海证券报')).toBe(true);
    expect(plan.stockNames.get('NIO.US')).toBeTruthy();
  });

  test('the same batch over the state it leaves decides nothing to write', () => {
    const files = new Map<string, SourceFileRow>();
    plan.files.forEach((f, i) => files.set(fileKey(f), { ...f, id: i + 1 }));
    const posts = new Map<string, StoredPost | null>();
    plan.posts.forEach((p, i) =>
      posts.set(
        p.rec.url,
        stored(i + 1, p.meta.path, { contentHash: p.rec.contentHash, title: p.rec.title, dateMs: p.rec.dateMs }),
      ),
    );
    const again = planBatch(batch, { files, posts, roots: new Map([[1, ROOT]]) });
    expect(again.counts).toEqual({ new: 0, updated: 0, unchanged: 104, removed: 0 });
    expect(again.posts).toEqual([]);
    // Parsed files are recorded again (the importer sends unchanged bytes as touches instead), as they were.
    expect(again.files).toEqual(plan.files);
    expect(again.duplicateMarks).toEqual([]);
    expect([...again.entities.stock.keys()]).toEqual([]);
  });
});

describe('the import planner on hostile batches', () => {
  test('two files of one batch claim one permalink: the one under _posts/ wins whatever the order', () => {
    const plan = planBatch(
      [post('b/2022-01-01-x.md', record('/x')), post('_posts/2022-01-01-x.md', record('/x'))],
      empty(),
    );
    expect(plan.counts).toEqual({ new: 1, updated: 1, unchanged: 0, removed: 0 });
    expect(plan.posts.map((p) => p.meta.path)).toEqual(['_posts/2022-01-01-x.md']);
    expect(plan.files.map((f) => [f.path, f.status])).toEqual([
      ['b/2022-01-01-x.md', 'duplicate'],
      ['_posts/2022-01-01-x.md', 'post'],
    ]);
    const reversed = planBatch(
      [post('_posts/2022-01-01-x.md', record('/x')), post('b/2022-01-01-x.md', record('/x'))],
      empty(),
    );
    expect(reversed.counts).toEqual({ new: 1, updated: 0, unchanged: 0, removed: 0 });
    expect(reversed.files.map((f) => [f.path, f.status])).toEqual([
      ['_posts/2022-01-01-x.md', 'post'],
      ['b/2022-01-01-x.md', 'duplicate'],
    ]);
  });

  test('a file whose permalink moved removes its old post, which a duplicate may then adopt', () => {
    const snap = empty();
    snap.files.set(fileKey(meta('a.md')), row({ status: 'post', url: '/old' }));
    snap.posts.set('/old', stored(7, 'a.md', { publisherId: 3 }));
    const plan = planBatch([post('a.md', record('/new'))], snap);
    expect(plan.remove).toEqual([7]);
    expect(plan.unlink).toEqual([7]);
    expect(plan.oldOwnLinks).toEqual([
      { kind: 'post', entityId: 0, postId: 7, dateMs: 0 },
      { kind: 'publisher', entityId: 3, postId: 7, dateMs: 0 },
    ]);
    expect(plan.orphanUrls).toEqual(['/old']);
    expect(plan.posts.map((p) => [p.id, p.rec.url])).toEqual([[null, '/new']]);
  });

  test('a post rewritten in place keeps its id and loses its old links first', () => {
    const snap = empty();
    snap.files.set(fileKey(meta('a.md')), row({ status: 'post', url: '/a' }));
    snap.posts.set('/a', stored(9, 'a.md', { contentHash: 'c-/a', title: 'old title' }));
    const plan = planBatch([post('a.md', record('/a'))], snap);
    expect(plan.counts).toEqual({ new: 0, updated: 1, unchanged: 0, removed: 0 });
    expect(plan.posts.map((p) => p.id)).toEqual([9]);
    expect(plan.unlink).toEqual([9]);
    expect(plan.remove).toEqual([]);
  });

  test('a file that stops being a post takes its post away; a file that never held it does not', () => {
    const snap = empty();
    snap.files.set(fileKey(meta('a.md')), row({ status: 'post', url: '/a' }));
    snap.files.set(fileKey(meta('b.md')), row({ status: 'duplicate', url: '/a' }));
    snap.posts.set('/a', stored(4, 'a.md'));
    const failed: FileOutcome = { kind: 'failed', path: 'b.md', reason: 'invalid YAML' };
    const b = planBatch([{ meta: meta('b.md'), outcome: failed }], snap);
    expect(b.remove).toEqual([]);
    const a = planBatch([{ meta: meta('a.md'), outcome: { ...failed, path: 'a.md' } }], snap);
    expect(a.remove).toEqual([4]);
    expect(a.files).toEqual([
      expect.objectContaining({ path: 'a.md', status: 'failed', reason: 'invalid YAML', url: null }),
    ]);
  });

  test('a file outside the batch that loses its permalink is marked a duplicate', () => {
    const snap = empty();
    snap.posts.set('/x', stored(2, 'old/2022-01-01-x.md'));
    const plan = planBatch([post('_posts/2022-01-01-x.md', record('/x'))], snap);
    expect(plan.duplicateMarks).toEqual([
      { archiveId: 1, path: 'old/2022-01-01-x.md', reason: 'same permalink /x as _posts/2022-01-01-x.md' },
    ]);
    expect(plan.posts.map((p) => [p.id, p.meta.path])).toEqual([[2, '_posts/2022-01-01-x.md']]);
  });

  test('unchanged bytes with a new mtime record only size and mtime, and only for a file with a row', () => {
    const snap = empty();
    snap.files.set(fileKey(meta('a.md')), row({ status: 'post', url: '/a', fileHash: 'same' }));
    const plan = planBatch(
      [
        { meta: { ...meta('a.md'), mtimeMs: 99, size: 11 }, touch: true },
        { meta: meta('new.md'), touch: true },
      ],
      snap,
    );
    expect(plan.files).toEqual([
      {
        archiveId: 1,
        path: 'a.md',
        size: 11,
        mtimeMs: 99,
        fileHash: 'same',
        status: 'post',
        reason: null,
        url: '/a',
        publishAtMs: null,
      },
    ]);
  });

  test('names: the first name and issuer a batch gives fill a stock; an issuer only from a post that links the stock', () => {
    const counts = { embed: 0, link: 1, text: 0 };
    const stock = (name: string | null) => ({
      symbol: '600050.SH',
      code: '600050',
      market: 'SH',
      marketId: 1,
      exchange: 'SSE',
      secid: '1.600050',
      name,
      counts,
    });
    const plan = planBatch(
      [
        post(
          'a.md',
          record('/a', {
            extraction: {
              stocks: [],
              boards: [],
              publisher: null,
              organizations: [{ name: 'Org A', issues: ['600050.SH'], counts }],
            },
          }),
        ),
        post(
          'b.md',
          record('/b', { extraction: { stocks: [stock(null)], boards: [], publisher: null, organizations: [] } }),
        ),
        post(
          'c.md',
          record('/c', {
            extraction: {
              stocks: [stock('中国联通')],
              boards: [],
              publisher: null,
              organizations: [{ name: 'Org C', issues: ['600050.SH'], counts }],
            },
          }),
        ),
        post(
          'd.md',
          record('/d', { extraction: { stocks: [stock('联通')], boards: [], publisher: null, organizations: [] } }),
        ),
      ],
      empty(),
    );
    expect(plan.entities.stock.get('600050.SH')?.name).toBeNull(); // inserted as first seen, named by the fill
    expect([...plan.stockNames]).toEqual([['600050.SH', '中国联通']]);
    expect([...plan.stockIssuers]).toEqual([['600050.SH', 'Org C']]);
  });

  test('category pages: the last title wins; Markets and markets are one category, linked once at its first place', () => {
    const page = (category: string, title: string): PendingFile => ({
      meta: meta(`${title}.html`),
      outcome: { kind: 'page', page: { path: `${title}.html`, category, title } },
    });
    const plan = planBatch(
      [
        page('Markets', 'One'),
        page('markets', 'Two'),
        post('a.md', record('/a', { categories: ['Markets', 'x', 'markets'] })),
      ],
      empty(),
    );
    expect([...plan.categoryTitles]).toEqual([['markets', 'Two']]);
    expect([...plan.entities.category.values()]).toEqual([
      { name: 'Markets', slug: 'markets' },
      { name: 'x', slug: 'x' },
    ]);
    const ids: EntityIds = {
      category: new Map([
        ['markets', 1],
        ['x', 2],
      ]),
      tag: new Map(),
      stock: new Map(),
      board: new Map(),
      organization: new Map(),
    };
    const links = emptyLinkRows();
    addLinkRows(links, 5, plan.posts[0].rec, ids);
    expect(links.category.map((l) => [l.categoryId, l.position])).toEqual([
      [1, 0],
      [2, 1],
    ]);
  });

  test('an organization named twice in a post is one link row with the counts added', () => {
    const c = (embed: number, link: number, text: number) => ({ embed, link, text });
    const rec = record('/a', {
      extraction: {
        stocks: [],
        boards: [],
        publisher: null,
        organizations: [
          { name: 'O', issues: [], counts: c(1, 0, 2) },
          { name: 'O', issues: [], counts: c(0, 1, 1) },
        ],
      },
    });
    const ids: EntityIds = {
      category: new Map(),
      tag: new Map(),
      stock: new Map(),
      board: new Map(),
      organization: new Map([['O', 3]]),
    };
    const links = emptyLinkRows();
    addLinkRows(links, 8, rec, ids);
    expect(links.organization).toEqual([
      { postId: 8, organizationId: 3, count: 5, embedCount: 1, linkCount: 1, textCount: 3, dateMs: 0 },
    ]);
    expect(() => addLinkRows(emptyLinkRows(), 8, record('/b', { tags: ['unknown'] }), ids)).toThrow(
      /no tag id for unknown/,
    );
  });

  test('a snapshot that lacks what the batch reaches is a clear error, not a wrong plan', () => {
    expect(() => planBatch([post('a.md', record('/a'))], { ...empty(), roots: new Map() })).not.toThrow();
    expect(() => planOver([post('a.md', record('/a'))], empty())).toThrow(/permalink \/a is not in the snapshot/);
    const snap = empty();
    snap.posts.set('/a', stored(1, 'b.md', { archiveId: 2 }));
    expect(() => planBatch([post('a.md', record('/a'))], snap)).toThrow(/archive 2 is not in the snapshot/);
  });

  test('prune: a gone file takes its own post; a gone duplicate only its row', () => {
    const posts = new Map([['/a', stored(3, 'a.md', { publisherId: 6 })]]);
    const plan = planPrune(
      1,
      [
        { id: 10, path: 'a.md', status: 'post', url: '/a' },
        { id: 11, path: 'old/a.md', status: 'duplicate', url: '/a' },
      ],
      posts,
    );
    expect(plan).toMatchObject({
      removeFiles: [10, 11],
      remove: [3],
      unlink: [3],
      oldOwnLinks: [
        { kind: 'post', entityId: 0, postId: 3, dateMs: 0 },
        { kind: 'publisher', entityId: 6, postId: 3, dateMs: 0 },
      ],
      orphanUrls: ['/a'],
    });
  });
});

describe('the change feed of a plan', () => {
  /** The writer's ids for `plan.posts`: the stored id, or a new one from 100 up. */
  const idsOf = (plan: ReturnType<typeof planBatch>) => plan.posts.map((w, i) => w.id ?? 100 + i);

  test('a first import of the finews sample: one ADDED per written post, in plan order, with the ids the writer gave', () => {
    const plan = planBatch(seedBatch(), empty());
    const changes = plannedChanges(plan, idsOf(plan));
    expect(changes).toHaveLength(104);
    expect(changes).toEqual(plan.posts.map((w, i) => ({ kind: 'ADDED', postId: 100 + i, url: w.rec.url })));
  });

  test('a moved permalink: the old post REMOVED first, then the new one ADDED; a rewrite UPDATED', () => {
    const snap = empty();
    snap.files.set(fileKey(meta('a.md')), row({ status: 'post', url: '/old' }));
    snap.files.set(fileKey(meta('b.md')), row({ status: 'post', url: '/b' }));
    snap.posts.set('/old', stored(7, 'a.md'));
    snap.posts.set('/b', stored(8, 'b.md'));
    const plan = planBatch([post('a.md', record('/new')), post('b.md', record('/b', { title: 'B2' }))], snap);
    expect(plannedChanges(plan, idsOf(plan))).toEqual([
      { kind: 'REMOVED', postId: 7, url: '/old' },
      { kind: 'UPDATED', postId: 8, url: '/b' },
      { kind: 'ADDED', postId: 101, url: '/new' },
    ]);
  });

  test('a post whose date moved into the future (future: false): REMOVED, its file scheduled; its permalink left to a duplicate', () => {
    const snap = empty();
    snap.files.set(fileKey(meta('a.md')), row({ status: 'post', url: '/a' }));
    snap.posts.set('/a', stored(7, 'a.md'));
    const at = Date.parse('2030-01-01T00:00:00Z');
    const plan = planBatch(
      [{ meta: meta('a.md'), outcome: { kind: 'scheduled', path: 'a.md', reason: 'dated later', publishAtMs: at } }],
      snap,
    );
    expect(plannedChanges(plan, idsOf(plan))).toEqual([{ kind: 'REMOVED', postId: 7, url: '/a' }]);
    expect(plan.counts).toEqual({ new: 0, updated: 0, unchanged: 0, removed: 1 });
    expect(plan.orphanUrls).toEqual(['/a']);
    expect(plan.files).toEqual([
      expect.objectContaining({ path: 'a.md', status: 'scheduled', reason: 'dated later', url: null, publishAtMs: at }),
    ]);
  });

  test('a scheduled file whose time came is ADDED like a new post, and no longer scheduled', () => {
    const snap = empty();
    snap.files.set(fileKey(meta('a.md')), row({ status: 'scheduled', url: null, publishAtMs: 5 }));
    const plan = planBatch([post('a.md', record('/a'))], snap);
    expect(plannedChanges(plan, idsOf(plan))).toEqual([{ kind: 'ADDED', postId: 100, url: '/a' }]);
    expect(plan.files).toEqual([expect.objectContaining({ status: 'post', url: '/a', publishAtMs: null })]);
    // A touch (same bytes, new mtime) keeps the schedule.
    const touched = planBatch([{ meta: { ...meta('a.md'), mtimeMs: 99 }, touch: true }], snap);
    expect(touched.files).toEqual([expect.objectContaining({ status: 'scheduled', mtimeMs: 99, publishAtMs: 5 })]);
  });

  test('a touch and an unchanged file: no change', () => {
    const snap = empty();
    snap.files.set(fileKey(meta('t.md')), row({ status: 'post', url: '/t', fileHash: 'same' }));
    snap.files.set(fileKey(meta('u.md')), row({ status: 'post', url: '/u' }));
    snap.posts.set('/u', stored(5, 'u.md', { contentHash: 'c-/u' }));
    const plan = planBatch([{ meta: { ...meta('t.md'), mtimeMs: 99 }, touch: true }, post('u.md', record('/u'))], snap);
    expect(plan.counts).toEqual({ new: 0, updated: 0, unchanged: 1, removed: 0 });
    expect(plannedChanges(plan, idsOf(plan))).toEqual([]);
  });

  test('a post that two files of one batch write (the second outranks the first) is one ADDED', () => {
    const plan = planBatch(
      [post('b/2022-01-01-x.md', record('/x')), post('_posts/2022-01-01-x.md', record('/x'))],
      empty(),
    );
    expect(plan.counts).toEqual({ new: 1, updated: 1, unchanged: 0, removed: 0 });
    expect(plannedChanges(plan, idsOf(plan))).toEqual([{ kind: 'ADDED', postId: 100, url: '/x' }]);
  });

  test('prune: a REMOVED for each post a gone file owned, with its permalink', () => {
    const posts = new Map([
      ['/a', stored(3, 'a.md')],
      ['/b', stored(4, 'b.md')],
    ]);
    const plan = planPrune(
      1,
      [
        { id: 10, path: 'a.md', status: 'post', url: '/a' },
        { id: 11, path: 'old/b.md', status: 'duplicate', url: '/b' },
        { id: 12, path: 'b.md', status: 'post', url: '/b' },
      ],
      posts,
    );
    expect(plannedChanges(plan, [])).toEqual([
      { kind: 'REMOVED', postId: 3, url: '/a' },
      { kind: 'REMOVED', postId: 4, url: '/b' },
    ]);
  });

  test('rows are numbered after the last seq given, all at one instant; a wrong id list is refused', () => {
    const changes = [
      { kind: 'REMOVED' as const, postId: 3, url: '/a' },
      { kind: 'ADDED' as const, postId: 9, url: '/b' },
    ];
    expect(feedRows(changes, 41, 1_700_000_000_000)).toEqual([
      { seq: 42, kind: 'REMOVED', postId: 3, url: '/a', atMs: 1_700_000_000_000 },
      { seq: 43, kind: 'ADDED', postId: 9, url: '/b', atMs: 1_700_000_000_000 },
    ]);
    const plan = planBatch([post('a.md', record('/a'))], empty());
    expect(() => plannedChanges(plan, [])).toThrow(/0 ids for 1 written posts/);
  });

  test('NEWSGRAPH_CHANGES_KEEP_DAYS: 30 days unless set, 0 for ever, anything else an error naming it', () => {
    expect(changesKeepDays({})).toBe(30);
    expect(changesKeepDays({ NEWSGRAPH_CHANGES_KEEP_DAYS: '' })).toBe(30);
    expect(changesKeepDays({ NEWSGRAPH_CHANGES_KEEP_DAYS: '0' })).toBe(0);
    expect(changesKeepDays({ NEWSGRAPH_CHANGES_KEEP_DAYS: '7' })).toBe(7);
    for (const bad of ['7d', '-1', '0.5', ' x'])
      expect(() => changesKeepDays({ NEWSGRAPH_CHANGES_KEEP_DAYS: bad })).toThrow(
        `NEWSGRAPH_CHANGES_KEEP_DAYS=${bad}: expected a whole number of days (0 keeps every change)`,
      );
  });
});
