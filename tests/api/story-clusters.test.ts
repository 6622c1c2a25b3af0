// Story clusters end to end on an archive with known answers: the real sample plus republications
// of one of its articles (another outlet, traditional script, one too late). `Post.sameStory`,
// `posts(collapseSameStory:)` with paging and filters, independence from import history, upkeep
// of rewritten and removed posts, reindex and the migration. Runs on the suite's database.
import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { generateArchive } from '../../bench/gen/main';
import { importArchives } from '../../src/db/importer';
import { sampleApi } from '../helpers/api';
import { copyTree, SEED, tempDatabase, tempDir } from '../helpers/db';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const OpenCC = require('opencc-js/cn2t') as { Converter: (o: { from: string; to: string }) => (s: string) => string };
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

const NIO = '/emnews/2022/05/26/202205262391921712.html';
const SEMI_A = '/emnews/2021/12/08/202112082206896571.html';
const SEMI_B = '/emnews/2021/12/08/202112082206936037.html';
const NIO_BODY = matter(fs.readFileSync(path.join(SEED, '_posts/2022-05-26-202205262391921712.md'), 'utf8')).content;

function post(root: string, file: string, front: string, body: string): void {
  fs.writeFileSync(path.join(root, '_posts', file), `---\nlayout: post\n${front}\n---\n${body}\n`);
}

/** The republications; returns their permalinks. */
function republish(root: string) {
  const paragraphs = NIO_BODY.split('\n\n');
  post(
    root,
    '2022-05-26-syndicated.md',
    'title: "蔚来启用绿色制冷液 A股公司早有布局"\ndate: 2022-05-26 15:00:00 +0800\ncategories: emnews\ntags: 转载',
    [...paragraphs.slice(0, 2), ...paragraphs.slice(3), '（文章来源：中国证券报）'].join('\n\n'),
  );
  post(
    root,
    '2022-05-27-taiwan.md',
    'title: "蔚來汽車啟用綠色製冷液"\ndate: 2022-05-27 09:00:00 +0800\ncategories: twnews',
    toTraditional(NIO_BODY),
  );
  post(
    root,
    '2022-06-10-late.md',
    'title: "半月后再发"\ndate: 2022-06-10 09:00:00 +0800\ncategories: emnews',
    NIO_BODY,
  );
  return {
    syndicated: '/emnews/2022/05/26/syndicated.html',
    taiwan: '/twnews/2022/05/27/taiwan.html',
    late: '/emnews/2022/06/10/late.html',
  };
}

let api: Awaited<ReturnType<typeof sampleApi>>;
let archive: string;
let urls: ReturnType<typeof republish>;

beforeAll(async () => {
  archive = copyTree(SEED, tempDir());
  urls = republish(archive);
  api = await sampleApi(archive);
});
afterAll(() => api.close());

const sameStoryOf = async (url: string): Promise<string[]> =>
  (
    (await api.ok(`query($url: String!) { post(url: $url) { sameStory { url } } }`, { url })) as {
      post: { sameStory: { url: string }[] };
    }
  ).post.sameStory.map((p) => p.url);

/** Every pair the database holds, as sorted url pairs. */
async function allPairs(t: { query: typeof api.query }): Promise<string[]> {
  const rows = await t.query<{ a: string; b: string }>(
    `SELECT pa.url AS a, pb.url AS b FROM post_same_story s JOIN post pa ON pa.id = s.post_id JOIN post pb ON pb.id = s.other_id`,
  );
  return rows.map((r) => `${r.a} ${r.b}`).sort();
}

test('sameStory: the republications, oldest first; not the one published two weeks later; the sample pair', async () => {
  expect(await sameStoryOf(NIO)).toEqual([urls.syndicated, urls.taiwan]);
  expect(await sameStoryOf(urls.taiwan)).toEqual([NIO, urls.syndicated]);
  expect(await sameStoryOf(urls.late)).toEqual([]);
  expect(await sameStoryOf(SEMI_A)).toEqual([SEMI_B]);
  expect(await sameStoryOf(SEMI_B)).toEqual([SEMI_A]);
  // Exactly those pairs in the whole archive (both directions).
  expect((await allPairs(api)).length).toBe(2 * 4);
  const capped = (await api.ok(`query($url: String!) { post(url: $url) { sameStory(first: 1) { url } } }`, {
    url: NIO,
  })) as { post: { sameStory: { url: string }[] } };
  expect(capped.post.sameStory.map((p) => p.url)).toEqual([urls.syndicated]);
  const bad = await api.run(`{ posts(first: 1) { edges { node { sameStory(first: 0) { url } } } } }`);
  expect(bad.errors?.[0].message).toMatch(/`first` must be between 1 and 100/);
});

test('sameStory for a page of posts is one statement', async () => {
  const one = await api.run('{ posts(first: 20) { edges { node { url } } } }');
  const withStories = await api.run('{ posts(first: 20) { edges { node { url sameStory { url title } } } } }');
  expect(withStories.errors).toBeUndefined();
  expect(withStories.statements).toBe(one.statements + 1);
});

type Page = {
  posts: {
    totalCount: number;
    edges: { cursor: string; node: { url: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string; startCursor: string };
  };
};
const LIST = `query($first: Int, $after: String, $last: Int, $before: String, $collapse: Boolean, $order: PostOrder, $filter: PostFilter) {
  posts(first: $first, after: $after, last: $last, before: $before, collapseSameStory: $collapse, orderBy: $order, filter: $filter) {
    totalCount edges { cursor node { url } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
  }
}`;
const list = async (vars: Record<string, unknown>) => ((await api.ok(LIST, vars)) as Page).posts;
/** Every page of a listing, in order, and its totalCount. */
async function everything(vars: Record<string, unknown>) {
  const urls: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await list({ ...vars, first: 100, after });
    urls.push(...page.edges.map((e) => e.node.url));
    if (!page.pageInfo.hasNextPage) return { urls, totalCount: page.totalCount };
    after = page.pageInfo.endCursor;
  }
}

test('collapseSameStory: each story once, the newest standing for it; paging forward and back agree', async () => {
  const all = await everything({});
  const collapsed = await everything({ collapse: true });
  const left = all.urls.filter((u) => !collapsed.urls.includes(u));
  expect(left.sort()).toEqual([NIO, SEMI_A, urls.syndicated].sort());
  expect(collapsed.totalCount).toBe(all.totalCount - 3);
  expect(collapsed.urls).toHaveLength(collapsed.totalCount);
  expect(collapsed.urls).toContain(urls.taiwan);
  expect(collapsed.urls).toContain(urls.late);

  // Oldest first, the oldest stands for its story.
  const ascending = await everything({ collapse: true, order: 'DATE_ASC' });
  expect(ascending.urls).toContain(NIO);
  expect(ascending.urls).toContain(SEMI_A);
  expect(ascending.urls).not.toContain(urls.taiwan);
  expect(ascending.urls).not.toContain(SEMI_B);
  expect(ascending.totalCount).toBe(all.totalCount - 3);

  // Pages of 7 forward, then backward with last/before, give the same posts in the same order.
  const forward: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await list({ first: 7, after, collapse: true });
    forward.push(...page.edges.map((e) => e.node.url));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  expect(forward).toEqual(collapsed.urls);
  const backward: string[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await list({ last: 7, before, collapse: true });
    backward.unshift(...page.edges.map((e) => e.node.url));
    if (!page.pageInfo.hasPreviousPage) break;
    before = page.pageInfo.startCursor;
  }
  expect(backward).toEqual(forward);
});

test('collapse counts only the story mates the listing holds: a filter or a scope keeps a post whose mate is outside it', async () => {
  // Only the syndicated copy is tagged 转载: its newer mate is not in this listing.
  const tagged = await list({ first: 10, collapse: true, filter: { tags: ['转载'] } });
  expect(tagged.edges.map((e) => e.node.url)).toEqual([urls.syndicated]);
  expect(tagged.totalCount).toBe(1);
  // emnews holds NIO and the syndicated copy, not the Taiwan one: the syndicated copy stands for it.
  const shown = (await everything({ collapse: true, filter: { categories: ['emnews'] } })).urls;
  expect(shown).toContain(urls.syndicated);
  expect(shown).not.toContain(NIO);
  // The same through a scope (the category's own connection).
  const scoped = (await api.ok(
    `{ category(slug: "twnews") { posts(first: 10, collapseSameStory: true) { totalCount edges { node { url } } } } }`,
  )) as { category: { posts: { totalCount: number; edges: { node: { url: string } }[] } } };
  expect(scoped.category.posts.edges.map((e) => e.node.url)).toEqual([urls.taiwan]);
  expect(scoped.category.posts.totalCount).toBe(1);
  // An organization's posts (named or published by it): the article names 巨化股份's stock.
  const org = (await api.ok(
    `{ organization(name: "巨化股份") { posts(first: 20, collapseSameStory: true) { edges { node { url } } } } }`,
  )) as { organization: { posts: { edges: { node: { url: string } }[] } } };
  const named = org.organization.posts.edges.map((e) => e.node.url);
  expect(named).toEqual(expect.arrayContaining([urls.taiwan, urls.late]));
  expect(named).not.toContain(NIO);
  expect(named).not.toContain(urls.syndicated);
});

test('answers do not depend on import history: the archive in two imports equals one import', async () => {
  const t = await tempDatabase();
  try {
    const first = copyTree(SEED, tempDir());
    await importArchives(t.writeStore, [first]);
    expect(await allPairs(t)).toHaveLength(2);
    republish(first);
    await importArchives(t.writeStore, [first]);
    expect(await allPairs(t)).toEqual(await allPairs(api));
  } finally {
    await t.close();
  }
});

test('a rewritten post leaves its story, a removed one goes; reindex and the migration make the same pairs', async () => {
  const t = await tempDatabase();
  try {
    const root = copyTree(SEED, tempDir());
    const mine = republish(root);
    await importArchives(t.writeStore, [root]);
    const before = await allPairs(t);
    expect(before).toEqual(await allPairs(api));

    // Rewritten into another text: it leaves the story; back again, it returns.
    const file = path.join(root, '_posts', '2022-05-26-syndicated.md');
    const original = fs.readFileSync(file, 'utf8');
    const other = fs
      .readFileSync(path.join(SEED, 'old_post/2021-12-08-202112082206896571.md'), 'utf8')
      .replace(/^---[\s\S]*?---\n/, '');
    const frontMatter = original.match(/^---\n[\s\S]*?\n---\n/)![0];
    fs.writeFileSync(file, frontMatter + other);
    await importArchives(t.writeStore, [root]);
    const rewritten = await allPairs(t);
    // The semiconductor wire's text, but dated months after it: no one's story.
    expect(rewritten.filter((p) => p.includes(mine.syndicated))).toEqual([]);
    expect(rewritten).toHaveLength(before.length - 4);
    expect(rewritten).toContain(`${NIO} ${mine.taiwan}`);
    fs.writeFileSync(file, original);
    await importArchives(t.writeStore, [root]);
    expect(await allPairs(t)).toEqual(before);

    // Removed: its pairs go, the others stay.
    fs.rmSync(path.join(root, '_posts', '2022-05-27-taiwan.md'));
    await importArchives(t.writeStore, [root], { prune: true });
    const removed = await allPairs(t);
    expect(removed.filter((p) => p.includes(mine.taiwan))).toEqual([]);
    expect(removed).toContain(`${NIO} ${mine.syndicated}`);
    expect(removed).toHaveLength(before.length - 4);

    // Made again from the stored posts: the same.
    await t.writeStore.writer().rebuildReadModel();
    expect(await allPairs(t)).toEqual(removed);
    const applied = async () =>
      (await t.ds.query<{ name: string }[]>(`SELECT name FROM migrations`)).some((r) =>
        r.name.includes('StoryClusters'),
      );
    while (await applied()) await t.ds.undoLastMigration({ transaction: 'each' });
    await t.ds.runMigrations({ transaction: 'each' });
    expect(await allPairs(t)).toEqual(removed);
  } finally {
    await t.close();
  }
});

test('a generated archive with republications planted at known places: exactly those pairs, nothing else', async () => {
  const root = tempDir();
  await generateArchive({ posts: 400, out: root, seed: 7 });
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.md')) files.push(p);
    }
  };
  walk(path.join(root, '_posts'));
  files.sort();
  const t = await tempDatabase();
  try {
    const expected: string[] = [];
    const shift = (date: string, hours: number) => {
      const at = new Date(date.replace(' ', 'T').replace(' +0800', '+08:00')).getTime() + hours * 3600_000;
      const local = new Date(at + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
      return `${local} +0800`;
    };
    // Every 40th generated post is republished twice within a day (another outlet's footer, one
    // in traditional script) and once more a week later (a different story by the window).
    for (let i = 0; i < files.length; i += 40) {
      const text = fs.readFileSync(files[i], 'utf8');
      const { content } = matter(text);
      const date = /^date: (.*)$/m.exec(text)![1];
      const original = path.relative(root, files[i]);
      const copies = [
        { slug: `copy${i}a`, hours: 2, body: content.replace(/\[返回[^\n]*$/m, '（文章来源：新华社）'), same: true },
        { slug: `copy${i}b`, hours: 20, body: toTraditional(content), same: true },
        { slug: `copy${i}c`, hours: 24 * 7, body: content, same: false },
      ];
      const group = [original];
      for (const c of copies) {
        const when = shift(date, c.hours);
        post(
          root,
          `${when.slice(0, 10)}-${c.slug}.md`,
          `title: "转载 ${i}"\ndate: ${when}\ncategories: copies`,
          c.body,
        );
        if (c.same) group.push(`_posts/${when.slice(0, 10)}-${c.slug}.md`);
      }
      for (const a of group) for (const b of group) if (a !== b) expected.push(`${a} ${b}`);
    }
    const summary = await importArchives(t.writeStore, [root]);
    expect(summary.failed).toEqual([]);
    expect(expected.length).toBe(10 * 6);
    // By source path: the planted groups, both directions, and no pair among the generated posts.
    const pairs = await t.query<{ a: string; b: string }>(
      `SELECT pa.path AS a, pb.path AS b FROM post_same_story s JOIN post pa ON pa.id = s.post_id JOIN post pb ON pb.id = s.other_id`,
    );
    expect(pairs.map((r) => `${r.a} ${r.b}`).sort()).toEqual(expected.sort());
  } finally {
    await t.close();
  }
});
