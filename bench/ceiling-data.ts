/**
 * What the in-memory ceiling serves, read from the database once at start with the product's own
 * read queries, so that its answers equal the product's: the date and id of every post, newest
 * first (cursors are resolved against these), and the front-page view of every post on the pages
 * it is to serve. Responses are not stored: each request is still executed (ceiling-server.ts).
 */
import * as L from '../src/db/queries/lookups';
import { relatedCoverage } from '../src/db/queries/related';
import type { SqlRunner } from '../src/db/sql-runner';
import { manyEach } from '../src/graphql/loaders/order';
import { toGlobalId } from '../src/graphql/relay/node-id';
import { decodeCursor, encodeCursor, isInt } from '../src/graphql/relay/page-args';
import { formatInstant } from '../src/graphql/scalars/date-time';
import { CeilingOrganization, CeilingPost, RELATED_HELD } from './ceiling-types';

export interface CeilingData {
  /** Every post's date (epoch ms) and id, in the order of `posts`: newest first. */
  dateMs: Float64Array;
  ids: Float64Array;
  /** The front-page view of each post on a preloaded page, by id. */
  posts: Map<number, CeilingPost>;
}

/** Posts read per statement: a front page's worth, the batch the product's loaders see. */
const CHUNK = 20;

const isPostCursor = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && isInt(v[0]) && isInt(v[1]);

const dateOf = (row: { dateMs: number | string; dateOffset: number }) =>
  formatInstant({ ms: Number(row.dateMs), offset: row.dateOffset });

/** Position of the page after `after` (a post cursor, as the product issues them), else 0. */
export function pagePosition(data: CeilingData, after: string | null | undefined): number {
  if (after == null) return 0;
  const [d, id] = decodeCursor('post', after, isPostCursor);
  // The first post older than (d, id) in (date, id) order, by binary search.
  let lo = 0;
  let hi = data.ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const older = data.dateMs[mid] < d || (data.dateMs[mid] === d && data.ids[mid] < id);
    if (older) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

async function viewsOf(run: SqlRunner, ids: number[]): Promise<CeilingPost[]> {
  const rows = await L.postsByIds(run, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const cats = manyEach(ids, await L.categoriesOfPosts(run, ids), (r) => r.postId);
  const tags = manyEach(ids, await L.tagsOfPosts(run, ids), (r) => r.postId);
  const stocks = manyEach(ids, await L.mentionsOfPosts(run, 'stock', ids), (r) => r.postId);
  const related = manyEach(ids, await relatedCoverage(run, ids, 0, RELATED_HELD), (r) => r.src);
  const relatedIds = [...new Set(related.flat().map((r) => r.id))];
  const relatedRows = new Map((relatedIds.length ? await L.postsByIds(run, relatedIds) : []).map((r) => [r.id, r]));
  const pubIds = [...new Set(rows.map((r) => r.publisherId).filter((v): v is number => v !== null))];
  const pubs = new Map(
    (pubIds.length ? await L.organizationsByIds(run, pubIds) : []).map((o): [number, CeilingOrganization] => [
      o.id,
      { id: toGlobalId('Organization', o.id), name: o.name },
    ]),
  );
  return ids.map((id, i) => {
    const row = byId.get(id);
    if (!row) throw new Error(`ceiling: post ${id} vanished while loading`);
    return Object.assign(new CeilingPost(), {
      id: toGlobalId('Post', row.id),
      url: row.url,
      title: row.title,
      date: dateOf(row),
      excerpt: row.excerpt,
      categories: cats[i].map((c) => ({ slug: c.slug, name: c.name })),
      tags: tags[i].map((t) => ({ name: t.name })),
      publisher: row.publisherId === null ? null : (pubs.get(row.publisherId) ?? null),
      stocks: stocks[i].map((s) => ({ symbol: s.symbol, name: s.name })),
      cursor: encodeCursor('post', [Number(row.dateMs), row.id]),
      relatedRanked: related[i].length,
      // As the product does, a related post removed since its list was ranked is left out.
      related: related[i].flatMap((r) => {
        const post = relatedRows.get(r.id);
        if (!post) return [];
        return [
          {
            rank: r.rank,
            cursor: encodeCursor('related', r.rank),
            score: Math.round(r.score * 1000) / 1000,
            node: { id: toGlobalId('Post', post.id), url: post.url, title: post.title, date: dateOf(post) },
          },
        ];
      }),
    });
  });
}

/**
 * Loads the pages after each of `afters` (null: the first page) of `pageSize` posts. `onProgress`
 * hears how many posts are loaded so far (related coverage costs a few ms a post).
 */
export async function loadCeilingData(
  runner: () => SqlRunner,
  afters: readonly (string | null)[],
  pageSize: number,
  onProgress?: (loaded: number, total: number) => void,
): Promise<CeilingData> {
  const run = runner();
  const keys = await run.all<{ dateMs: number | string; id: number }>(
    'SELECT date_ms AS "dateMs", id FROM post ORDER BY date_ms DESC, id DESC',
    [],
  );
  const data: CeilingData = {
    dateMs: Float64Array.from(keys, (k) => Number(k.dateMs)),
    ids: Float64Array.from(keys, (k) => k.id),
    posts: new Map(),
  };
  const wanted = new Set<number>();
  for (const after of afters) {
    const at = pagePosition(data, after);
    for (let i = at; i < Math.min(at + pageSize, data.ids.length); i++) wanted.add(data.ids[i]);
  }
  const ids = [...wanted];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const views = await viewsOf(run, chunk);
    chunk.forEach((id, j) => data.posts.set(id, views[j]));
    onProgress?.(Math.min(i + CHUNK, ids.length), ids.length);
  }
  return data;
}
