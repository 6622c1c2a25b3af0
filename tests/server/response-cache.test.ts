import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { openDatabase } from '../../src/db/data-source';
import { importArchives } from '../../src/db/importer';
import { readStoreOf, writeStoreOf } from '../../src/db/store';
import { createApp } from '../../src/server/app';
import { responseCacheMbFromEnv, responseCacheMinUsesFromEnv } from '../../src/server/response-cache';
import { copyTree, SEED, tempDatabase, tempDir } from '../helpers/db';
import { sampleServer } from '../helpers/server';

const FRONT = '{ posts(first: 3) { edges { node { slug title } } } }';

/** POSTs a query; `age` is set only on responses served from the cache. */
async function ask(url: string, query: string, variables?: unknown) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { age: res.headers.get('age'), body: (await res.json()) as any };
}

/**
 * An import in another process: the post's file rewritten with a new title, imported through a
 * connection of its own (the server follows imports by their write stamp and change feed).
 */
async function importTitleElsewhere(db: string, archive: string, title: string, slug: string): Promise<void> {
  const other = await openDatabase(db);
  try {
    const [{ path: rel }] = await readStoreOf(other)
      .runner()
      .all<{ path: string }>('SELECT path FROM post WHERE slug = ?', [slug]);
    const file = path.join(archive, rel);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, `title: "${title}"`));
    await importArchives(writeStoreOf(other), [archive]);
  } finally {
    await other.destroy();
  }
}

describe('whole-response cache', () => {
  let s: Awaited<ReturnType<typeof sampleServer>>;
  beforeAll(async () => {
    // Stored at the first answer: these tests are about what is kept and dropped (admission below).
    s = await sampleServer({ responseCacheMinUses: 1 });
  });
  afterAll(() => s.close());

  test('a repeated query is answered from the cache, with the same body', async () => {
    const first = await ask(s.url, FRONT);
    const second = await ask(s.url, FRONT);
    expect(first.age).toBeNull();
    expect(second.age).not.toBeNull();
    expect(second.body).toEqual(first.body);
    expect(first.body.data.posts.edges).toHaveLength(3);
  });

  test('variables are part of the key', async () => {
    const q = 'query($n: Int) { posts(first: $n) { edges { node { slug } } } }';
    const two = await ask(s.url, q, { n: 2 });
    const four = await ask(s.url, q, { n: 4 });
    expect(two.body.data.posts.edges).toHaveLength(2);
    expect(four.age).toBeNull();
    expect(four.body.data.posts.edges).toHaveLength(4);
  });

  test('an import committed by another process invalidates it: the next answer has the new data', async () => {
    const t = await tempDatabase();
    const archive = copyTree(SEED, path.join(tempDir('newsgraph-archive-'), 'finews'));
    await importArchives(t.writeStore, [archive]);
    const { httpServer, apollo } = await createApp({ store: t.store, responseCacheMinUses: 1 });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    try {
      const before = await ask(url, FRONT);
      const slug = before.body.data.posts.edges[0].node.slug;
      expect((await ask(url, FRONT)).age).not.toBeNull();
      await importTitleElsewhere(t.file, archive, '改过的标题', slug);
      const after = await ask(url, FRONT);
      expect(after.age).toBeNull();
      expect(after.body.data.posts.edges[0].node.title).toBe('改过的标题');
    } finally {
      await apollo.stop();
      await t.close();
    }
  });

  test('a write on the serving connection itself invalidates it too', async () => {
    const before = await ask(s.url, FRONT);
    await ask(s.url, FRONT);
    await s.exec('UPDATE post SET title = ? WHERE slug = ?', '又改了', before.body.data.posts.edges[0].node.slug);
    const after = await ask(s.url, FRONT);
    expect(after.age).toBeNull();
    expect(after.body.data.posts.edges[0].node.title).toBe('又改了');
  });

  test('responses with errors are never stored', async () => {
    const bad = '{ posts(first: 1000) { edges { node { slug } } } }';
    const a = await ask(s.url, bad);
    const b = await ask(s.url, bad);
    expect(a.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(b.age).toBeNull();
    expect(b.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('only what is stored is indexed: errors and answers that may not be cached leave no entry behind', async () => {
    const before = s.responseCache!.indexed;
    for (let i = 0; i < 5; i++) {
      // Each distinct, each asked twice: an unknown cursor (errors), a meta-only answer (max-age 0).
      const stale = 'query($c: String) { posts(first: 3, after: $c) { edges { node { slug } } } }';
      for (let k = 0; k < 2; k++) {
        expect((await ask(s.url, stale, { c: `stale-${i}` })).body.errors).toBeDefined();
        expect((await ask(s.url, `query Meta${i} { __typename }`)).body.data.__typename).toBe('Query');
      }
    }
    expect(s.responseCache!.indexed).toBe(before);
    const page = 'query($n: Int) { posts(first: $n) { edges { node { slug } } } }';
    await ask(s.url, page, { n: 7 });
    expect((await ask(s.url, page, { n: 7 })).age).not.toBeNull();
    expect(s.responseCache!.indexed).toBe(before + 1);
  });

  test('a cached answer still goes through CSRF prevention: a simple GET of the same query is refused', async () => {
    await ask(s.url, FRONT);
    expect((await ask(s.url, FRONT)).age).not.toBeNull();
    const res = await fetch(`${s.url}/graphql?query=${encodeURIComponent(FRONT)}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/);
    const allowed = await fetch(`${s.url}/graphql?query=${encodeURIComponent(FRONT)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('age')).not.toBeNull();
  });
});

test('an answer larger than the whole budget is not stored, and leaves nothing in the index', async () => {
  // 10 KiB: the budget counts each answer and its index entry (response-cache.ts).
  const s = await sampleServer({ responseCacheMb: 10 / 1024, responseCacheMinUses: 1 });
  try {
    const big = '{ posts(first: 40) { edges { node { slug html } } } }';
    const first = await ask(s.url, big);
    expect(JSON.stringify(first.body).length).toBeGreaterThan(10 * 1024);
    expect((await ask(s.url, big)).age).toBeNull();
    expect(s.responseCache!.indexed).toBe(0);
    await ask(s.url, FRONT);
    expect((await ask(s.url, FRONT)).age).not.toBeNull();
    expect(s.responseCache!.indexed).toBe(1);
  } finally {
    await s.close();
  }
});

test('GRAPHQL_RESPONSE_CACHE_MB 0 turns it off', async () => {
  const s = await sampleServer({ responseCacheMb: 0 });
  try {
    await ask(s.url, FRONT);
    expect((await ask(s.url, FRONT)).age).toBeNull();
  } finally {
    await s.close();
  }
  expect(responseCacheMbFromEnv({})).toBe(64);
  expect(responseCacheMbFromEnv({ GRAPHQL_RESPONSE_CACHE_MB: '0' })).toBe(0);
  expect(() => responseCacheMbFromEnv({ GRAPHQL_RESPONSE_CACHE_MB: '-1' })).toThrow('GRAPHQL_RESPONSE_CACHE_MB=-1');
});

test('as shipped, a response is stored when it is asked for the second time (GRAPHQL_RESPONSE_CACHE_MIN_USES)', async () => {
  const s = await sampleServer();
  try {
    const q = 'query($n: Int) { posts(first: $n) { edges { node { slug } } } }';
    const ages = [];
    for (let i = 0; i < 3; i++) ages.push((await ask(s.url, q, { n: 2 })).age);
    expect(ages.map((a) => a !== null)).toEqual([false, false, true]);
    // Counted per request: another page size starts from nothing, and one asked once is never stored.
    expect((await ask(s.url, q, { n: 3 })).age).toBeNull();
    expect((await ask(s.url, q, { n: 4 })).age).toBeNull();
    expect((await ask(s.url, q, { n: 3 })).age).toBeNull();
    expect((await ask(s.url, q, { n: 3 })).age).not.toBeNull();
  } finally {
    await s.close();
  }
  const three = await sampleServer({ responseCacheMinUses: 3 });
  try {
    const ages = [];
    for (let i = 0; i < 4; i++) ages.push((await ask(three.url, FRONT)).age);
    expect(ages.map((a) => a !== null)).toEqual([false, false, false, true]);
  } finally {
    await three.close();
  }
  expect(responseCacheMinUsesFromEnv({})).toBe(2);
  expect(responseCacheMinUsesFromEnv({ GRAPHQL_RESPONSE_CACHE_MIN_USES: '1' })).toBe(1);
  expect(() => responseCacheMinUsesFromEnv({ GRAPHQL_RESPONSE_CACHE_MIN_USES: '0' })).toThrow(
    'GRAPHQL_RESPONSE_CACHE_MIN_USES=0',
  );
});
