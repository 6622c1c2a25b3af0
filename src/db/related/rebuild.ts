import { Program } from './program';
import { claimStamp, writeLists } from './lists';
import {
  CANDIDATES_PER_SIDE,
  candidateSources,
  Neighbors,
  rankPost,
  RELATED_KEPT,
  RELATED_LINKS,
  RelatedEntry,
  Thing,
  thingKey,
} from './rank';

/** Post ids per page when reading the whole archive's links (bounded memory per statement). */
const PAGE = 20000;
/** Lists per write. */
const WRITE_EVERY = 500;

interface ThingPosts {
  thing: Thing;
  /** Post ids in (date, id) order, and their dates. */
  ids: number[];
  dates: number[];
}

/**
 * Ranks every post's related posts at once, in memory (what an import of many posts and
 * `newsgraph reindex` do): the whole archive's links are read page by page, each thing's posts
 * sorted by date once, and every post ranked with the same function as the live path.
 */
export function* rebuildRelatedLists(onProgress?: (done: number, total: number) => void): Program<void> {
  const rows = yield { sql: 'SELECT coalesce(max(id), 0) AS n, count(*) AS c FROM post', params: [] };
  const maxId = Number(rows[0].n);
  const n = Math.max(maxId, 1);
  const byThing = new Map<number, ThingPosts>();
  // Arrays indexed by post id (ids are dense): a Map lookup per candidate cost more than the scoring.
  const thingsOfPost: (number[] | undefined)[] = new Array<number[] | undefined>(maxId + 1);
  const dateOf = new Float64Array(maxId + 1);
  for (const l of RELATED_LINKS) {
    const df = new Map<number, number>();
    for (const r of yield { sql: `SELECT id, ${l.df} AS df FROM ${l.entity}`, params: [] })
      df.set(Number(r.id), Number(r.df));
    for (let from = 0; from < maxId; from += PAGE) {
      const page = yield {
        sql: `SELECT post_id AS id, ${l.col} AS eid, date_ms AS d FROM ${l.table} WHERE post_id > ? AND post_id <= ?`,
        params: [from, from + PAGE],
      };
      for (const r of page) {
        const id = Number(r.id);
        const eid = Number(r.eid);
        const key = thingKey(l.kind, eid);
        let t = byThing.get(key);
        if (!t) byThing.set(key, (t = { thing: { kind: l.kind, eid, df: df.get(eid) ?? 0 }, ids: [], dates: [] }));
        t.ids.push(id);
        t.dates.push(Number(r.d));
        dateOf[id] = Number(r.d);
        const keys = thingsOfPost[id];
        if (keys) keys.push(key);
        else thingsOfPost[id] = [key];
      }
    }
  }
  for (const t of byThing.values()) sortByDate(t);

  // Written as ranked, 500 lists a statement: the whole archive's lists are never held at once.
  yield { sql: 'DELETE FROM post_related', params: [] };
  const stamp = yield* claimStamp();
  let lists = new Map<number, RelatedEntry[]>();
  const allIds = yield* postIds(maxId);
  let done = 0;
  const near = new Neighbors();
  for (const id of allIds) {
    const keys = thingsOfPost[id];
    if (!keys) {
      lists.set(id, []);
    } else {
      const things = keys.map((k) => byThing.get(k)!.thing);
      const post = { id, dateMs: dateOf[id], things };
      near.clear();
      for (const s of candidateSources(things)) nearest(byThing.get(thingKey(s.kind, s.eid))!, post, near);
      lists.set(
        id,
        rankPost(post, near, (c) => thingsOfPost[c], n, RELATED_KEPT),
      );
    }
    if (lists.size === WRITE_EVERY) {
      yield* writeLists(lists, stamp);
      lists = new Map();
    }
    if (++done % 5000 === 0) onProgress?.(done, allIds.length);
  }
  yield* writeLists(lists, stamp);
  onProgress?.(done, allIds.length);
  yield {
    sql: `INSERT INTO read_model_state (name, value) VALUES ('${RANKED_AT}', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    params: [maxId],
  };
}

/** The `read_model_state` row holding the largest post id when every list was last ranked at once. */
export const RANKED_AT = 'related_ranked_at';

function* postIds(maxId: number): Program<number[]> {
  const out: number[] = [];
  for (let from = 0; from < maxId; from += PAGE) {
    const page = yield { sql: 'SELECT id FROM post WHERE id > ? AND id <= ? ORDER BY id', params: [from, from + PAGE] };
    for (const r of page) out.push(Number(r.id));
  }
  return out;
}

function sortByDate(t: ThingPosts): void {
  const order = t.ids.map((_, i) => i).sort((a, b) => t.dates[a] - t.dates[b] || t.ids[a] - t.ids[b]);
  t.ids = order.map((i) => t.ids[i]);
  t.dates = order.map((i) => t.dates[i]);
}

/** The CANDIDATES_PER_SIDE posts before and after `post` in the thing's (date, id) order. */
function nearest(t: ThingPosts, post: { id: number; dateMs: number }, out: Neighbors): void {
  let lo = 0;
  let hi = t.ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.dates[mid] < post.dateMs || (t.dates[mid] === post.dateMs && t.ids[mid] < post.id)) lo = mid + 1;
    else hi = mid;
  }
  // lo: the post's own position (it links the thing).
  for (let i = lo - 1; i >= 0 && i >= lo - CANDIDATES_PER_SIDE; i--) out.push(t.ids[i], t.dates[i]);
  const after = t.ids[lo] === post.id ? lo + 1 : lo;
  for (let i = after; i < t.ids.length && i < after + CANDIDATES_PER_SIDE; i++) out.push(t.ids[i], t.dates[i]);
}
