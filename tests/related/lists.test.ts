// The stored related lists (post_related) against the ranking itself: exact after one import and
// after a rebuild, at least 90% the same top 5 after any import history (the contract's bound), no
// list holding a post that is gone, pages past the stored list continuing it without repeats, each
// list stamped by the transaction that last wrote it.
// Runs on the suite's backend (SQLite, or PostgreSQL under test:pg).
import fs from 'node:fs';
import path from 'node:path';
import 'reflect-metadata';
import { graphql } from 'graphql';
import { generateArchive } from '../../bench/gen/main';
import { importArchives } from '../../src/db/importer';
import { listsWrittenSince, rankLive } from '../../src/db/related/lists';
import { writeStamp } from '../../src/db/queries/written-posts';
import { createContext } from '../../src/graphql/context';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import { runOnRunner } from '../../src/db/related/program';
import { decodeList, RELATED_KEPT, RelatedEntry } from '../../src/db/related/rank';
import { SEED, tempDatabase, TempDatabase, tempDir } from '../helpers/db';

async function storedLists(t: TempDatabase): Promise<Map<number, RelatedEntry[]>> {
  const rows = await t.query<{ id: number; ranked: string }>('SELECT post_id AS id, ranked FROM post_related');
  return new Map(rows.map((r) => [Number(r.id), decodeList(r.ranked)]));
}

async function postIds(t: TempDatabase): Promise<number[]> {
  return (await t.query<{ id: number }>('SELECT id FROM post ORDER BY id')).map((r) => Number(r.id));
}

/** Each post's first `k` related posts as permalinks, by permalink (comparable across databases). */
async function topByUrl(t: TempDatabase, k: number): Promise<Map<string, string[]>> {
  const urls = new Map(
    (await t.query<{ id: number; url: string }>('SELECT id, url FROM post')).map((r) => [Number(r.id), r.url]),
  );
  const out = new Map<string, string[]>();
  for (const [id, list] of await storedLists(t)) {
    out.set(
      urls.get(id)!,
      list.slice(0, k).map((e) => urls.get(e.id)!),
    );
  }
  return out;
}

/** The share of (post, related post) pairs in `a`'s top lists that `b`'s hold too. */
function agreement(a: Map<string, string[]>, b: Map<string, string[]>): number {
  let same = 0;
  let all = 0;
  for (const [url, list] of a) {
    const other = new Set(b.get(url) ?? []);
    all += list.length;
    same += list.filter((u) => other.has(u)).length;
  }
  return all === 0 ? 1 : same / all;
}

async function rebuild(t: TempDatabase): Promise<void> {
  await t.writeStore.writer().rebuildReadModel();
}

function move(from: string, to: string, files: string[]): void {
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(to, f)), { recursive: true });
    fs.renameSync(path.join(from, f), path.join(to, f));
  }
}

function postFiles(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.md') && f.includes('_posts'))
    .sort();
}

test('after one import every stored list is the ranking itself: equal to the live ranking and to a rebuild', async () => {
  const t = await tempDatabase();
  try {
    await importArchives(t.writeStore, [SEED]);
    const ids = await postIds(t);
    const stored = await storedLists(t);
    expect([...stored.keys()].sort((a, b) => a - b)).toEqual(ids);
    const live = await runOnRunner(t.store.runner(), rankLive(ids, RELATED_KEPT));
    for (const id of ids) expect(stored.get(id)).toEqual(live.get(id));
    expect([...stored.values()].filter((l) => l.length > 0).length).toBeGreaterThan(ids.length / 2);
    await rebuild(t);
    expect(await storedLists(t)).toEqual(stored);
  } finally {
    await t.close();
  }
});

test('an import that ranks at its end (NEWSGRAPH_RANK_AT_END_AFTER) leaves the same lists as a rebuild', async () => {
  const t = await tempDatabase();
  process.env.NEWSGRAPH_RANK_AT_END_AFTER = '10';
  try {
    await importArchives(t.writeStore, [SEED], { batchSize: 7 });
    const stored = await storedLists(t);
    expect(stored.size).toBe((await postIds(t)).length);
    await rebuild(t);
    expect(await storedLists(t)).toEqual(stored);
  } finally {
    delete process.env.NEWSGRAPH_RANK_AT_END_AFTER;
    await t.close();
  }
});

test('a rebuild ranks a thing whose key needs more than 32 bits as the live path does', async () => {
  const t = await tempDatabase();
  try {
    await importArchives(t.writeStore, [SEED]);
    const ids = await postIds(t);
    const before = await storedLists(t);
    // A tag id past 2^29: its key (id x 4 + kind) no longer fits the rebuild's 32-bit arrays.
    const big = 2 ** 30 + 7;
    const linked = ids.filter((_, i) => i % 3 === 0);
    await t.exec(
      `INSERT INTO tag (id, name, slug, post_count) VALUES (?, 'big key', 'big-key', ?)`,
      big,
      linked.length,
    );
    for (const id of linked)
      await t.exec(
        'INSERT INTO post_tag (post_id, tag_id, position, date_ms) SELECT id, ?, 99, date_ms FROM post WHERE id = ?',
        big,
        id,
      );
    await rebuild(t);
    const stored = await storedLists(t);
    const live = await runOnRunner(t.store.runner(), rankLive(ids, RELATED_KEPT));
    for (const id of ids) expect(stored.get(id)).toEqual(live.get(id));
    expect(
      ids.filter((id) => JSON.stringify(stored.get(id)) !== JSON.stringify(before.get(id))).length,
    ).toBeGreaterThan(linked.length / 2);
  } finally {
    await t.close();
  }
});

describe('a growing generated archive', () => {
  const schema = buildNewsgraphSchema();
  let grown: TempDatabase;
  let fresh: TempDatabase;
  let archive: string;

  beforeAll(async () => {
    archive = path.join(tempDir(), 'generated');
    await generateArchive({ posts: 1200, out: archive, seed: 11, force: true });
    grown = await tempDatabase();
    fresh = await tempDatabase();
    // The newest 100 posts and every 20th older one arrive later, as a live archive's pulls do.
    const files = postFiles(archive);
    const later = [...files.slice(-100), ...files.slice(0, -100).filter((_, i) => i % 20 === 0)];
    const parked = tempDir('newsgraph-parked-');
    move(archive, parked, later);
    await importArchives(grown.writeStore, [archive], { batchSize: 50 });
    move(parked, archive, later);
    const s = await importArchives(grown.writeStore, [archive], { batchSize: 25 });
    expect(s.new).toBe(later.length);
    await importArchives(fresh.writeStore, [archive]);
  }, 120_000);
  afterAll(async () => {
    await grown.close();
    await fresh.close();
  });

  test('the first 5 related posts agree at least 90% with one import of everything and with a rebuild', async () => {
    const grownTop = await topByUrl(grown, 5);
    const freshTop = await topByUrl(fresh, 5);
    await rebuild(fresh);
    const rebuilt = await topByUrl(fresh, 5);
    expect(agreement(grownTop, freshTop)).toBeGreaterThanOrEqual(0.9);
    expect(agreement(grownTop, rebuilt)).toBeGreaterThanOrEqual(0.9);
  });

  test('deleted and re-linked posts: no list holds a post that is gone, and the lists still agree with a rebuild', async () => {
    const files = postFiles(archive);
    const deleted = files.filter((_, i) => i % 37 === 5);
    for (const f of deleted) fs.rmSync(path.join(archive, f));
    let edited = 0;
    for (const f of files.filter((_, i) => i % 41 === 7 && i % 37 !== 5)) {
      const file = path.join(archive, f);
      const text = fs.readFileSync(file, 'utf8');
      const body = text.indexOf('---', 3);
      // Every stock code in the body becomes 600519: the post's stocks change.
      const next = text.slice(0, body) + text.slice(body).replace(/\b[036]\d{5}\b/g, '600519');
      if (next === text) continue;
      edited++;
      fs.writeFileSync(file, next);
      const at = new Date(Date.now() + 60_000);
      fs.utimesSync(file, at, at);
    }
    expect(edited).toBeGreaterThan(10);
    const s = await importArchives(grown.writeStore, [archive], { prune: true, batchSize: 10 });
    expect(s.pruned).toBe(deleted.length);
    expect(s.updated).toBe(edited);
    const ids = new Set(await postIds(grown));
    const stored = await storedLists(grown);
    expect(new Set(stored.keys())).toEqual(ids);
    const dangling = [...stored].filter(([, list]) => list.some((e) => !ids.has(e.id)));
    expect(dangling).toEqual([]);
    const before = await topByUrl(grown, 5);
    await rebuild(grown);
    expect(agreement(before, await topByUrl(grown, 5))).toBeGreaterThanOrEqual(0.9);
  });

  test('pages past the stored list continue it: ranks in order, no post twice, the stored ones first', async () => {
    const api = {
      query: grown.query,
      ok: async (source: string, variableValues: Record<string, unknown>) => {
        const res = await graphql({
          schema,
          source,
          variableValues,
          contextValue: createContext(grown.store.runner()),
        });
        if (res.errors?.length) throw new Error(res.errors.map((e) => e.message).join('\n'));
        return res.data;
      },
    };
    {
      const [{ id }] = await api.query<{ id: number }>(
        'SELECT post_id AS id FROM post_stock GROUP BY post_id ORDER BY count(*) DESC, post_id LIMIT 1',
      );
      const slug = (await api.query<{ slug: string }>('SELECT slug FROM post WHERE id = ?', id))[0].slug;
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 12; page++) {
        const data = (await api.ok(
          `query($slug: String!, $after: String) { post(slug: $slug) { relatedCoverage(first: 7, after: $after) {
             edges { cursor node { url } } pageInfo { hasNextPage endCursor } } } }`,
          { slug, after },
        )) as {
          post: {
            relatedCoverage: {
              edges: { node: { url: string } }[];
              pageInfo: { hasNextPage: boolean; endCursor: string };
            };
          };
        };
        const rc = data.post.relatedCoverage;
        seen.push(...rc.edges.map((e) => e.node.url));
        if (!rc.pageInfo.hasNextPage) break;
        after = rc.pageInfo.endCursor;
      }
      expect(seen.length).toBeGreaterThan(RELATED_KEPT);
      expect(new Set(seen).size).toBe(seen.length);
      const stored = decodeList(
        (await api.query<{ ranked: string }>('SELECT ranked FROM post_related WHERE post_id = ?', id))[0].ranked,
      );
      const urls = new Map(
        (await api.query<{ id: number; url: string }>('SELECT id, url FROM post')).map((r) => [Number(r.id), r.url]),
      );
      expect(seen.slice(0, RELATED_KEPT - 1)).toEqual(stored.slice(0, RELATED_KEPT - 1).map((e) => urls.get(e.id)));
    }
  });
});

test("each list carries the write stamp of its last write: a batch's changed lists are the ones stamped after it began", async () => {
  const archive = path.join(tempDir(), 'generated');
  await generateArchive({ posts: 400, out: archive, seed: 5, force: true });
  const t = await tempDatabase();
  const lists = async () =>
    new Map(
      (
        await t.query<{ id: number; ranked: string; stamp: number }>(
          'SELECT post_id AS id, ranked, stamp FROM post_related',
        )
      ).map((r) => [Number(r.id), { ranked: r.ranked, stamp: Number(r.stamp) }]),
    );
  try {
    // 360 first, then 40 newer in batches of 10: below the growth that ranks every list again.
    const files = postFiles(archive);
    const parked = tempDir('newsgraph-parked-');
    move(archive, parked, files.slice(-40));
    await importArchives(t.writeStore, [archive]);
    move(parked, archive, files.slice(-40));
    const before = await lists();
    const stampBefore = await writeStamp(t.store.runner());
    expect(Math.max(...[...before.values()].map((l) => l.stamp))).toBeLessThanOrEqual(stampBefore);

    expect((await importArchives(t.writeStore, [archive], { batchSize: 10 })).new).toBe(40);
    const after = await lists();
    const stampAfter = await writeStamp(t.store.runner());
    const changed = [...after].filter(([id, l]) => before.get(id)?.ranked !== l.ranked).map(([id]) => id);
    const stamped = [...after].filter(([, l]) => l.stamp > stampBefore).map(([id]) => id);
    // New posts' lists, and older lists the new posts entered.
    expect(changed.length).toBeGreaterThan(40);
    expect(stamped).toEqual(expect.arrayContaining(changed));
    // The stamp says something: most lists were not written by these batches.
    expect(stamped.length).toBeLessThan(after.size / 2);
    expect(Math.max(...[...after.values()].map((l) => l.stamp))).toBeLessThanOrEqual(stampAfter);
    const since = await runOnRunner(t.store.runner(), listsWrittenSince(stampBefore, [...after.keys()]));
    expect([...since].sort((a, b) => a - b)).toEqual(stamped.sort((a, b) => a - b));

    // A rebuild writes every list.
    await rebuild(t);
    const rebuilt = await lists();
    expect([...rebuilt.values()].every((l) => l.stamp > stampAfter)).toBe(true);
  } finally {
    await t.close();
  }
});
