import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { openDatabase } from '../../src/db/data-source';
import { importArchives } from '../../src/db/importer';
import { readStoreOf } from '../../src/db/store';
import { createApp } from '../../src/server/app';
import { copyTree, SEED, tempDatabase, tempDir, type TempDatabase } from '../helpers/db';

// The response cache across import batches (src/server/targeted-cache): a batch drops the answers
// it changed and only those, and no answer is staler than the uncached one once the batch committed.

const FRONT = `query($after: String) { posts(first: 5, after: $after) {
  edges { cursor node { id url title date stocks { symbol name } categories { slug name }
    relatedCoverage(first: 3) { edges { score node { id url title } } } } }
  pageInfo { hasNextPage endCursor } } }`;
const STOCK =
  '{ stock(symbol: "600050.SH") { symbol coverageCount posts(first: 3) { totalCount edges { node { url } } } } }';

type Server = Awaited<ReturnType<typeof serverOn>>;

/** The real HTTP server over `file` (its own connection, as a worker of `serve --workers` has), cache on or off. */
async function serverOn(file: string, responseCacheMb: number) {
  const ds = await openDatabase(file);
  const { httpServer, apollo, responseCache } = await createApp({
    store: readStoreOf(ds),
    responseCacheMb,
    responseCacheMinUses: 1,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
  const ask = async (query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: any; errors?: unknown };
    expect(body.errors).toBeUndefined();
    // `age` is set only on answers served from the cache.
    return { cached: res.headers.get('age') !== null, data: body.data };
  };
  return {
    ask,
    responseCache,
    close: async () => {
      await apollo.stop();
      await ds.destroy();
    },
  };
}

/** A post file, newest of the archive unless `date` says otherwise. */
function writePost(archive: string, slug: string, o: { title: string; body: string; date?: string; tags?: string }) {
  // Newer than every seed post, and past (a post dated in the future waits for its time: `future:`).
  const date = o.date ?? '2026-01-01 10:00:00 +0800';
  const file = path.join(archive, '_posts', `${date.slice(0, 10)}-${slug}.md`);
  fs.writeFileSync(
    file,
    `---\nlayout: post\ntitle: "${o.title}"\ndate: ${date}\ncategories: ${slug}cat\ntags: ${o.tags ?? `${slug}tag`}\n---\n\n${o.body}\n`,
  );
  // A new mtime for rewritten files: the import reads a file whose size and mtime it has not seen.
  const t = new Date(Date.now() + Math.floor(Math.random() * 1e6));
  fs.utimesSync(file, t, t);
}

describe('response cache across import batches', () => {
  let t: TempDatabase;
  let archive: string;
  let cached: Server;
  let second: Server;
  let uncached: Server;
  const batch = () => importArchives(t.writeStore, [archive]);

  beforeAll(async () => {
    t = await tempDatabase();
    archive = copyTree(SEED, path.join(tempDir('newsgraph-archive-'), 'finews'));
    await batch();
    cached = await serverOn(t.file, 16);
    // Another process's cache (a second worker): it must see each batch on its own.
    second = await serverOn(t.file, 16);
    uncached = await serverOn(t.file, 0);
  });
  afterAll(async () => {
    await Promise.all([cached?.close(), second?.close(), uncached?.close()]);
    await t?.close();
  });

  /** The cursor of a page deep in the archive, far from the newest posts. */
  async function deepCursor(): Promise<string> {
    let after: string | undefined;
    for (let i = 0; i < 10; i++) after = (await uncached.ask(FRONT, { after })).data.posts.pageInfo.endCursor;
    return after!;
  }

  /** Both caching servers answer as the uncached one does, now. */
  async function expectFresh(query: string, variables?: Record<string, unknown>) {
    const truth = (await uncached.ask(query, variables)).data;
    expect((await cached.ask(query, variables)).data).toEqual(truth);
    expect((await second.ask(query, variables)).data).toEqual(truth);
    return truth;
  }

  async function warm(query: string, variables?: Record<string, unknown>) {
    for (const s of [cached, second]) {
      await s.ask(query, variables);
      expect((await s.ask(query, variables)).cached).toBe(true);
    }
  }

  test('a new post links nothing old: a deep page survives the batch, the head page gains the post', async () => {
    const deep = { after: await deepCursor() };
    await warm(FRONT, deep);
    await warm(FRONT);
    writePost(archive, 'lonely', { title: '孤立的新文章', body: '没有任何股票。' });
    expect((await batch()).new).toBe(1);

    const head = await cached.ask(FRONT);
    expect(head.cached).toBe(false);
    expect(head.data.posts.edges[0].node.title).toBe('孤立的新文章');
    for (const s of [cached, second]) expect((await s.ask(FRONT, deep)).cached).toBe(true);
    await expectFresh(FRONT);
    await expectFresh(FRONT, deep);
    expect(cached.responseCache!.last).toMatchObject({ changes: 1, dropped: 1 });
  });

  test('a post rewritten in place is recomputed wherever it shows', async () => {
    const deep = { after: await deepCursor() };
    const page = (await uncached.ask(FRONT, deep)).data.posts;
    const other = { after: page.pageInfo.endCursor };
    await warm(FRONT, deep);
    await warm(FRONT, other);
    // The first post of the deep page, its file rewritten with a new title and the same date.
    const target = page.edges[0].node;
    const file = (await t.query<{ path: string }>('SELECT path FROM post WHERE url = ?', target.url))[0].path;
    const text = fs.readFileSync(path.join(archive, file), 'utf8').replace(/^title: .*$/m, 'title: "改写的标题"');
    fs.writeFileSync(path.join(archive, file), text);
    expect((await batch()).updated).toBe(1);

    const now = await cached.ask(FRONT, deep);
    expect(now.cached).toBe(false);
    expect(now.data.posts.edges[0].node.title).toBe('改写的标题');
    await expectFresh(FRONT, deep);
    // The next page may have changed too (the rewritten post is offered again to the related lists
    // of its candidates, scored with today's weights): whatever it shows, it is fresh.
    await expectFresh(FRONT, other);
  });

  test("a post linking a stock: the stock's page and the lists that now hold the post are recomputed, none stale", async () => {
    await warm(STOCK);
    const pages: (string | undefined)[] = [undefined];
    for (let i = 0; i < 12; i++)
      pages.push((await uncached.ask(FRONT, { after: pages.at(-1) })).data.posts.pageInfo.endCursor);
    for (const after of pages) await warm(FRONT, { after });
    const before = (await uncached.ask(STOCK)).data.stock.coverageCount;
    // Dated among the old posts and sharing their stock: it enters pages and related lists in the middle.
    writePost(archive, 'unicom', {
      title: '中国联通新公告',
      body: '中国联通(600050)今日公告，青海盐湖工业股份有限公司。',
      date: '2021-12-08 12:00:00 +0800',
      tags: '西宁晚报新闻',
    });
    expect((await batch()).new).toBe(1);

    const stock = await cached.ask(STOCK);
    expect(stock.cached).toBe(false);
    expect(stock.data.stock.coverageCount).toBe(before + 1);
    for (const after of pages) await expectFresh(FRONT, { after });
    await expectFresh(STOCK);
  });

  test('a post removed from the archive leaves no page that still shows it', async () => {
    await warm(FRONT);
    fs.rmSync(path.join(archive, '_posts', '2026-01-01-lonely.md'));
    expect((await importArchives(t.writeStore, [archive], { prune: true })).pruned).toBe(1);
    const head = await expectFresh(FRONT);
    expect(JSON.stringify(head)).not.toContain('孤立的新文章');
  });

  test('a commit with nothing in the feed (a category page) drops what is not followed, and only that', async () => {
    const TITLE = '{ category(slug: "xiningwanbao") { slug title } }';
    await warm(TITLE);
    await warm(FRONT);
    const file = path.join(archive, 'category', 'xiningwanbao.html');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: 新的栏目名'));
    const t2 = new Date(Date.now() + 5000);
    fs.utimesSync(file, t2, t2);
    await batch();

    const now = await cached.ask(TITLE);
    expect(now.cached).toBe(false);
    expect(now.data.category.title).toBe('新的栏目名');
    expect((await cached.ask(FRONT)).cached).toBe(true);
    expect(cached.responseCache!.last).toMatchObject({ changes: 0, dropped: 1 });
    await expectFresh(TITLE);
    await expectFresh(FRONT);
  });
});

test('identical requests that miss together execute once: the others wait for its answer', async () => {
  const t = await tempDatabase();
  try {
    await importArchives(t.writeStore, [SEED]);
    // Every SQL statement the server runs, whatever runs it, each taking 20 ms (a loaded
    // database), so that the requests overlap.
    let statements = 0;
    const runner = () => {
      const r = t.store.runner();
      const all = r.all.bind(r);
      r.all = async <T>(sql: string, params?: unknown[]) => {
        statements++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return all<T>(sql, params);
      };
      return r;
    };
    const { httpServer, apollo } = await createApp({
      store: { ...t.store, runner },
      responseCacheMb: 16,
      responseCacheMinUses: 1,
    });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
    const ask = (first: number, note = '') =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: FRONT.replace('first: 5', `first: ${first}`) + note }),
      }).then((r) => r.json() as Promise<{ data: unknown }>);
    try {
      await ask(1); // the cache's first look at the feed
      // Another body for the same page (a comment): what one execution costs once the names it
      // shows are in the server's memory, as they are for the ten below.
      await ask(3, '\n# first');
      statements = 0;
      await ask(3, '\n# second');
      const one = statements;
      expect(one).toBeGreaterThan(0);
      statements = 0;
      const answers = await Promise.all(Array.from({ length: 10 }, () => ask(3)));
      expect(statements).toBe(one);
      for (const a of answers) expect(a).toEqual(answers[0]);
    } finally {
      await apollo.stop();
    }
  } finally {
    await t.close();
  }
});
