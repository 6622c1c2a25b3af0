// Query.changes on the finews sample, on the suite's database: paging through the feed, catching
// up from a kept cursor, starting from now, batching, and the errors a client can meet.
import fs from 'node:fs';
import path from 'node:path';
import { importArchives } from '../../src/db/importer';
import { DAY_MS } from '../../src/db/writes/read-model';
import { encodeCursor } from '../../src/graphql/relay/page-args';
import { sampleApi } from '../helpers/api';
import { copyTree, SEED, tempDir } from '../helpers/db';

type Api = Awaited<ReturnType<typeof sampleApi>>;
let api: Api;
let archive: string;

const UNICOM = 'old_post/2022-06-16-NW202206162414061171.md';
const UNICOM_URL = '/xiningwanbao/2022/06/16/NW202206162414061171.html';
const NIO = '_posts/2022-05-26-202205262391921712.md';
const NIO_URL = '/emnews/2022/05/26/202205262391921712.html';

const PAGE = `query Changes($after: String, $first: Int) {
  changes(after: $after, first: $first) {
    edges { cursor node { kind id url at post { id url title } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    headCursor
    totalCount
  }
}`;

interface Change {
  kind: string;
  id: string;
  url: string;
  at: string;
  post: { id: string; url: string; title: string } | null;
}

/** Every change after `after`, page by page; the cursors seen, and the last page's endCursor. */
async function readAll(after: string | null, first: number) {
  const changes: Change[] = [];
  const cursors: string[] = [];
  let end: string | null = after;
  for (let pages = 0; pages < 100; pages++) {
    const { changes: c } = await api.ok(PAGE, { after: end, first });
    changes.push(...c.edges.map((e: { node: Change }) => e.node));
    cursors.push(...c.edges.map((e: { cursor: string }) => e.cursor));
    expect(c.pageInfo.endCursor).toBeTruthy();
    end = c.pageInfo.endCursor;
    if (!c.pageInfo.hasNextPage) return { changes, cursors, end: end!, head: c.headCursor as string };
  }
  throw new Error('the feed never ended');
}

const head = async (): Promise<string> => (await api.ok('{ changes(first: 1) { headCursor } }')).changes.headCursor;

function rewrite(rel: string, edit: (s: string) => string): void {
  const file = path.join(archive, rel);
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  const when = new Date(Date.now() + 60_000);
  fs.utimesSync(file, when, when);
}

async function feedId(): Promise<number> {
  const rows = await api.query<{ value: number }>(`SELECT value FROM read_model_state WHERE name = 'change_feed_id'`);
  return Number(rows[0].value);
}

beforeAll(async () => {
  archive = copyTree(SEED, path.join(tempDir(), 'finews'));
  api = await sampleApi(archive);
});
afterAll(() => api.close());

test('paging from the start gives one ADDED per post, oldest first, without gaps or repeats', async () => {
  const all = await readAll(null, 30);
  expect(all.changes).toHaveLength(104);
  expect(all.changes.every((c) => c.kind === 'ADDED')).toBe(true);
  expect(new Set(all.changes.map((c) => c.id)).size).toBe(104);
  expect(new Set(all.cursors).size).toBe(104);
  // The change names the post a client holds: its global ID and permalink, and the post itself.
  expect(all.changes.every((c) => c.post && c.post.id === c.id && c.post.url === c.url)).toBe(true);
  expect(all.changes[0].at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
  // The last page ends at the head; after it, an empty page whose endCursor is the head again.
  expect(all.end).toBe(all.head);
  const { changes: empty } = await api.ok(PAGE, { after: all.end });
  expect(empty.edges).toEqual([]);
  expect(empty.pageInfo).toMatchObject({ hasNextPage: false, startCursor: null, endCursor: all.head });
  expect(empty.totalCount).toBe(104);
  // The same posts as `posts` lists.
  const posts = await api.ok('{ posts(first: 100) { totalCount edges { node { id } } } }');
  expect(posts.posts.totalCount).toBe(104);
  expect(posts.posts.edges.every((e: { node: { id: string } }) => all.changes.some((c) => c.id === e.node.id))).toBe(
    true,
  );
});

test('catching up from a kept cursor gives exactly the changes since, in order; a removed post is null', async () => {
  const kept = await head();
  const { post: unicom } = await api.ok(`{ post(url: "${UNICOM_URL}") { id } }`);
  const { post: nio } = await api.ok(`{ post(url: "${NIO_URL}") { id } }`);
  rewrite(NIO, (s) => s.replace(/^title: .*$/m, 'title: "蔚来的新标题"'));
  rewrite(UNICOM, (s) => s.replace(/^---\n/, '---\npermalink: /moved/unicom.html\n'));
  await importArchives(api.writeStore, [archive]);
  const since = await readAll(kept, 2);
  expect(since.changes.map((c) => [c.kind, c.url, c.post?.title ?? null])).toEqual([
    ['REMOVED', UNICOM_URL, null],
    ['UPDATED', NIO_URL, '蔚来的新标题'],
    ['ADDED', '/moved/unicom.html', expect.any(String)],
  ]);
  // A removed post's change still names it by the ID the client holds.
  expect(since.changes[0].id).toBe(unicom.id);
  expect(since.changes[1].id).toBe(nio.id);
  expect(since.changes[2].id).not.toBe(unicom.id);
  // From the start, the removed post's ADDED change shows it as it is now: gone.
  const all = await readAll(null, 100);
  expect(all.changes.filter((c) => c.id === unicom.id).map((c) => [c.kind, c.post])).toEqual([
    ['ADDED', null],
    ['REMOVED', null],
  ]);
  expect(all.changes).toHaveLength(107);
});

test('starting from now: the head cursor gives nothing until the next import changes something', async () => {
  const now = await head();
  const { changes } = await api.ok(PAGE, { after: now });
  expect(changes.edges).toEqual([]);
  expect(changes.pageInfo.endCursor).toBe(now);
  await importArchives(api.writeStore, [archive]);
  expect((await api.ok(PAGE, { after: now })).changes.edges).toEqual([]);
  rewrite(NIO, (s) => s.replace(/^title: .*$/m, 'title: "再改一次"'));
  await importArchives(api.writeStore, [archive]);
  const next = await api.ok(PAGE, { after: now });
  expect(next.changes.edges.map((e: { node: Change }) => [e.node.kind, e.node.url])).toEqual([['UPDATED', NIO_URL]]);
  expect(next.changes.pageInfo.endCursor).toBe(next.changes.headCursor);
  expect(next.changes.headCursor).not.toBe(now);
});

test('the statements of a page do not grow with its size (posts through the post loader)', async () => {
  const q = `query ($first: Int) { changes(first: $first) { edges { node { kind post { title stocks { symbol } } } } } }`;
  const small = await api.run(q, { first: 20 });
  const large = await api.run(q, { first: 100 });
  expect(small.errors).toBeUndefined();
  expect(large.errors).toBeUndefined();
  expect(large.data.changes.edges).toHaveLength(100);
  expect(
    small.data.changes.edges.some((e: { node: { post: { stocks: unknown[] } | null } }) => e.node.post?.stocks.length),
  ).toBe(true);
  expect(large.statements).toBe(small.statements);
  // The feed, the posts, their links, the stocks' names.
  expect(large.statements).toBeLessThanOrEqual(4);
});

describe('errors', () => {
  const errorOf = async (variables: Record<string, unknown>) => {
    const r = await api.run(PAGE, variables);
    expect(r.errors).toHaveLength(1);
    return { code: r.errors![0].extensions.code, message: r.errors![0].message };
  };

  test('a malformed cursor, or one of another connection, is BAD_USER_INPUT', async () => {
    for (const after of ['nope!', 'bm9wZQ', encodeCursor('post', [1, 2]), encodeCursor('change', [1, -1])]) {
      const e = await errorOf({ after });
      expect({ after, code: e.code }).toEqual({ after, code: 'BAD_USER_INPUT' });
      expect(e.message).toMatch(/cursor/);
    }
  });

  test.each([0, 101, -5])('first: %i is BAD_USER_INPUT', async (first) => {
    expect(await errorOf({ first })).toEqual({
      code: 'BAD_USER_INPUT',
      message: `\`first\` must be between 1 and 100, got ${first}`,
    });
  });

  test('a cursor of another feed (another database, or this one created anew) is CHANGES_CURSOR_EXPIRED', async () => {
    const id = await feedId();
    const other = await errorOf({ after: encodeCursor('change', [id + 1, 5]) });
    expect(other.code).toBe('CHANGES_CURSOR_EXPIRED');
    expect(other.message).toMatch(/another database's change feed.*re-sync.*`posts`/);
  });

  test('a cursor ahead of the head (a read replica behind the one that gave it) is an empty page that stays there', async () => {
    const id = await feedId();
    const h = Number((await api.query(`SELECT value FROM read_model_state WHERE name = 'change_seq'`))[0].value);
    const ahead = encodeCursor('change', [id, h + 3]);
    const { changes } = await api.ok(PAGE, { after: ahead });
    expect(changes.edges).toEqual([]);
    expect(changes.pageInfo.endCursor).toBe(ahead);
    expect(changes.headCursor).toBe(encodeCursor('change', [id, h]));
  });

  test('a cursor older than the changes kept is CHANGES_CURSOR_EXPIRED, never a silent gap', async () => {
    const first = await readAll(null, 100);
    const at10 = first.cursors[9];
    const at50 = first.cursors[49];
    // Changes 1..50 older than the retention; the next import that appends drops them.
    await api.exec('UPDATE post_change SET at_ms = at_ms - ? WHERE seq <= 50', 31 * DAY_MS);
    expect((await api.run(PAGE, { after: at10 })).errors).toBeUndefined();
    rewrite(NIO, (s) => s.replace(/^title: .*$/m, 'title: "第三个标题"'));
    await importArchives(api.writeStore, [archive]);
    const e = await errorOf({ after: at10 });
    expect(e.code).toBe('CHANGES_CURSOR_EXPIRED');
    expect(e.message).toMatch(/older than the oldest change kept.*NEWSGRAPH_CHANGES_KEEP_DAYS.*re-sync/);
    // The last change dropped is still a place to continue from: nothing after it was dropped.
    const from50 = await readAll(at50, 100);
    expect(from50.changes.length).toBe(first.changes.length - 50 + 1);
    // Without a cursor: from the oldest change kept.
    const kept = await readAll(null, 100);
    expect(kept.changes).toEqual(from50.changes);
    expect((await api.ok(PAGE, {})).changes.totalCount).toBe(kept.changes.length);
  });
});
