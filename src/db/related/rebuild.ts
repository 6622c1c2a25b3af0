import { Program } from './program';
import { claimStamp, writeLists } from './lists';
import {
  CANDIDATES_PER_SIDE,
  candidateSources,
  FlatThings,
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

/**
 * The archive's links held both ways in flat arrays (compressed rows): each post's thing keys, and
 * each thing's posts in (date, id) order. About 8 bytes a link and 17 a post: at 1M posts (~9M
 * links) ~90 MB, where a JS array per post and per thing held ~330 MB.
 */
interface LinkIndex {
  maxId: number;
  posts: number;
  dateOf: Float64Array;
  /** Which ids are posts (a post without links still gets its empty list). */
  isPost: Uint8Array;
  /** Post id -> its thing keys: `keys[start[id]] .. keys[start[id + 1] - 1]`. */
  postThings: FlatThings;
  things: Thing[];
  /** Thing index -> its posts: `thingPosts[thingStart[i]] .. thingPosts[thingStart[i + 1] - 1]`. */
  thingStart: Int32Array;
  thingPosts: Int32Array;
  thingIndex: Map<number, number>;
}

/**
 * Ranks every post's related posts at once, in memory (what an import of many posts and
 * `newsgraph reindex` do): the whole archive's links are read into flat arrays, each thing's posts
 * sorted by date once, and every post ranked with the same function as the live path.
 */
export function* rebuildRelatedLists(onProgress?: (done: number, total: number) => void): Program<void> {
  const ix = yield* readLinks();
  const n = Math.max(ix.maxId, 1);

  // Written as ranked, 500 lists a statement: the whole archive's lists are never held at once.
  yield { sql: 'DELETE FROM post_related', params: [] };
  const stamp = yield* claimStamp();
  let lists = new Map<number, RelatedEntry[]>();
  let done = 0;
  const near = new Neighbors();
  const { start, keys } = ix.postThings;
  for (let id = 1; id <= ix.maxId; id++) {
    if (!ix.isPost[id]) continue;
    if (start[id] === start[id + 1]) {
      lists.set(id, []);
    } else {
      const things: Thing[] = [];
      for (let i = start[id]; i < start[id + 1]; i++) things.push(ix.things[ix.thingIndex.get(keys[i])!]);
      const post = { id, dateMs: ix.dateOf[id], things };
      near.clear();
      for (const s of candidateSources(things)) nearest(ix, ix.thingIndex.get(thingKey(s.kind, s.eid))!, post, near);
      lists.set(id, rankPost(post, near, ix.postThings, n, RELATED_KEPT));
    }
    if (lists.size === WRITE_EVERY) {
      yield* writeLists(lists, stamp);
      lists = new Map();
    }
    if (++done % 5000 === 0) onProgress?.(done, ix.posts);
  }
  yield* writeLists(lists, stamp);
  onProgress?.(done, ix.posts);
  yield {
    sql: `INSERT INTO read_model_state (name, value) VALUES ('${RANKED_AT}', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    params: [ix.maxId],
  };
}

/** The `read_model_state` row holding the largest post id when every list was last ranked at once. */
export const RANKED_AT = 'related_ranked_at';

/**
 * Reads the links twice, page by page: once to count each post's and each thing's links, once to
 * fill the arrays those counts size. Each post's keys keep the order of the reads (kinds in
 * RELATED_LINKS order, then as the page gives them), so scores add up in the live path's order.
 */
function* readLinks(): Program<LinkIndex> {
  const rows = yield { sql: 'SELECT coalesce(max(id), 0) AS n, count(*) AS c FROM post', params: [] };
  const maxId = Number(rows[0].n);
  const isPost = new Uint8Array(maxId + 2);
  for (let from = 0; from < maxId; from += PAGE)
    for (const r of yield { sql: 'SELECT id FROM post WHERE id > ? AND id <= ?', params: [from, from + PAGE] })
      isPost[Number(r.id)] = 1;

  const dateOf = new Float64Array(maxId + 1);
  const postCount = new Int32Array(maxId + 2);
  const things: Thing[] = [];
  const thingIndex = new Map<number, number>();
  let thingCount: number[] = [];
  let maxKey = 0;
  for (const l of RELATED_LINKS) {
    const df = new Map<number, number>();
    for (const r of yield { sql: `SELECT id, ${l.df} AS df FROM ${l.entity}`, params: [] })
      df.set(Number(r.id), Number(r.df));
    yield* eachLink(l, maxId, (id, eid, d) => {
      const key = thingKey(l.kind, eid);
      let t = thingIndex.get(key);
      if (t === undefined) {
        thingIndex.set(key, (t = things.length));
        things.push({ kind: l.kind, eid, df: df.get(eid) ?? 0 });
        thingCount.push(0);
      }
      thingCount[t]++;
      postCount[id + 1]++;
      dateOf[id] = d;
      if (key > maxKey) maxKey = key;
    });
  }
  // Prefix sums: start[i] is where i's entries begin.
  const postStart = postCount;
  for (let i = 1; i < postStart.length; i++) postStart[i] += postStart[i - 1];
  const thingStart = new Int32Array(things.length + 1);
  for (let i = 0; i < things.length; i++) thingStart[i + 1] = thingStart[i] + thingCount[i];
  thingCount = [];

  const links = postStart[maxId + 1];
  const keys = maxKey < 2 ** 31 ? new Int32Array(links) : new Float64Array(links);
  const thingPosts = new Int32Array(links);
  const postFill = postStart.slice(0, maxId + 1);
  const thingFill = thingStart.slice(0, things.length);
  for (const l of RELATED_LINKS) {
    yield* eachLink(l, maxId, (id, eid) => {
      const key = thingKey(l.kind, eid);
      keys[postFill[id]++] = key;
      thingPosts[thingFill[thingIndex.get(key)!]++] = id;
    });
  }
  const byDate = (a: number, b: number) => dateOf[a] - dateOf[b] || a - b;
  for (let i = 0; i < things.length; i++) thingPosts.subarray(thingStart[i], thingStart[i + 1]).sort(byDate);
  return {
    maxId,
    posts: Number(rows[0].c),
    dateOf,
    isPost,
    postThings: { start: postStart, keys },
    things,
    thingStart,
    thingPosts,
    thingIndex,
  };
}

function* eachLink(
  l: (typeof RELATED_LINKS)[number],
  maxId: number,
  fn: (id: number, eid: number, dateMs: number) => void,
): Program<void> {
  for (let from = 0; from < maxId; from += PAGE) {
    const page = yield {
      sql: `SELECT post_id AS id, ${l.col} AS eid, date_ms AS d FROM ${l.table} WHERE post_id > ? AND post_id <= ?`,
      params: [from, from + PAGE],
    };
    for (const r of page) fn(Number(r.id), Number(r.eid), Number(r.d));
  }
}

/** The CANDIDATES_PER_SIDE posts before and after `post` in the thing's (date, id) order. */
function nearest(ix: LinkIndex, thing: number, post: { id: number; dateMs: number }, out: Neighbors): void {
  const { thingPosts: ids, dateOf } = ix;
  const first = ix.thingStart[thing];
  const end = ix.thingStart[thing + 1];
  let lo = first;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const d = dateOf[ids[mid]];
    if (d < post.dateMs || (d === post.dateMs && ids[mid] < post.id)) lo = mid + 1;
    else hi = mid;
  }
  // lo: the post's own position (it links the thing).
  for (let i = lo - 1; i >= first && i >= lo - CANDIDATES_PER_SIDE; i--) out.push(ids[i], dateOf[ids[i]]);
  const after = lo < end && ids[lo] === post.id ? lo + 1 : lo;
  for (let i = after; i < end && i < after + CANDIDATES_PER_SIDE; i++) out.push(ids[i], dateOf[ids[i]]);
}
