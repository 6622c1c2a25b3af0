import { inList, placeholders } from '../sql-runner';
import { CLAIM_WRITE_STAMP } from '../writes/write-stamp';
import { chunks, insertRows, Program, Row } from './program';
import {
  CANDIDATES_PER_SIDE,
  candidateSources,
  compareEntries,
  decodeList,
  encodeList,
  LinkKind,
  Neighbors,
  offer,
  RankedPost,
  RELATED_KEPT,
  RELATED_LINKS,
  RelatedEntry,
  scoreCandidates,
  Thing,
  thingKey,
} from './rank';

// Related lists read from and written to the database, as programs (./program.ts). The stored
// list of a post is `post_related.ranked`; see docs/contract.md, "Read model".

/** Ids per IN list: 4 link tables × 2,000 stay far below both databases' parameter limits. */
const IDS_PER_STATEMENT = 2000;

/** The largest post id: it stands in for the number of posts in the weights. */
export function* largestId(): Program<number> {
  const rows = yield { sql: 'SELECT coalesce(max(id), 1) AS n FROM post', params: [] };
  return Math.max(1, Number(rows[0].n));
}

/** Each post's things with their post counts, and its date; posts that link nothing are absent. */
export function* postsWithThings(ids: readonly number[]): Program<Map<number, RankedPost>> {
  const out = new Map<number, RankedPost & { things: Thing[] }>();
  for (const part of chunks(ids, IDS_PER_STATEMENT)) {
    const list = inList(part);
    const sql = RELATED_LINKS.map(
      (l) => `SELECT x.post_id AS src, '${l.kind}' AS kind, x.${l.col} AS eid, e.${l.df} AS df, x.date_ms AS d
        FROM ${l.table} x JOIN ${l.entity} e ON e.id = x.${l.col} WHERE x.post_id IN ${list.sql}`,
    ).join('\nUNION ALL\n');
    const rows = yield { sql, params: RELATED_LINKS.flatMap(() => list.params) };
    for (const r of rows) {
      const id = Number(r.src);
      let p = out.get(id);
      if (!p) out.set(id, (p = { id, dateMs: Number(r.d), things: [] }));
      p.things.push({ kind: r.kind as LinkKind, eid: Number(r.eid), df: Number(r.df) });
    }
  }
  return out;
}

/**
 * Branches per nearest-posts statement. Each statement holds branches of one link table and one
 * direction, and the last of a group is padded to the next of these sizes with branches that
 * match nothing: the statements' texts repeat, so each is prepared (or planned) once per
 * connection instead of per batch (a 400-branch compound took ~100 ms to prepare on SQLite, and a
 * batch of 100 posts used four new ones).
 */
const BRANCH_SHAPES = [1, 4, 16, 64] as const;

/** One nearest-posts branch: a post's neighbours in one thing, on one side. */
interface Branch {
  src: number;
  eid: number | null;
  dateMs: number;
}

/**
 * The posts nearest in date (then id) on each side of each post in the given things: what a
 * (thing, date, post) index range gives, so a thing in 20,000 posts costs what one in 20 does.
 */
export function* nearestPosts(
  wanted: readonly { post: RankedPost; things: readonly Thing[] }[],
  perSide: number,
): Program<Map<number, Neighbors>> {
  const table = new Map(RELATED_LINKS.map((l) => [l.kind, l]));
  // Branches grouped by (link table, side); rows are gathered per branch, then handed out in the
  // order of the posts and their things, as one compound statement per post would give them.
  const groups = new Map<string, { kind: LinkKind; before: boolean; branches: number[] }>();
  const branches: Branch[] = [];
  for (const { post, things } of wanted) {
    for (const t of things) {
      for (const before of [true, false]) {
        const key = `${t.kind}${before ? '<' : '>'}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { kind: t.kind, before, branches: [] }));
        g.branches.push(branches.length);
        branches.push({ src: post.id, eid: t.eid, dateMs: post.dateMs });
      }
    }
  }
  const rowsOf: Row[][] = branches.map(() => []);
  for (const g of groups.values()) {
    const { table: tab, col } = table.get(g.kind)!;
    const [cmp, dir] = g.before ? ['<', 'DESC'] : ['>', 'ASC'];
    for (const part of chunks(g.branches, BRANCH_SHAPES.at(-1)!)) {
      const shape = BRANCH_SHAPES.find((n) => n >= part.length)!;
      const sql = Array.from(
        { length: shape },
        () => `SELECT * FROM (SELECT CAST(? AS INTEGER) AS bi, post_id AS id, date_ms AS d FROM ${tab}
            WHERE ${col} = ? AND (date_ms, post_id) ${cmp} (CAST(? AS BIGINT), CAST(? AS INTEGER))
            ORDER BY date_ms ${dir}, post_id ${dir} LIMIT ${perSide}) AS b`,
      ).join('\nUNION ALL\n');
      const params: unknown[] = [];
      for (let i = 0; i < shape; i++) {
        const bi = part[i];
        const b = bi === undefined ? null : branches[bi];
        // A padding branch: a NULL thing matches no row.
        params.push(bi ?? -1, b?.eid ?? null, b?.dateMs ?? 0, b?.src ?? 0);
      }
      for (const r of yield { sql, params }) rowsOf[Number(r.bi)].push(r);
    }
  }
  const out = new Map<number, Neighbors>();
  branches.forEach((b, i) => {
    for (const r of rowsOf[i]) {
      let list = out.get(b.src);
      if (!list) out.set(b.src, (list = new Neighbors()));
      list.push(Number(r.id), Number(r.d));
    }
  });
  return out;
}

/** The thing keys (rank.ts `thingKey`) each post links. */
export function* thingKeysOf(ids: readonly number[]): Program<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  for (const part of chunks(ids, IDS_PER_STATEMENT)) {
    const list = inList(part);
    const sql = RELATED_LINKS.map(
      (l) => `SELECT post_id AS id, '${l.kind}' AS kind, ${l.col} AS eid FROM ${l.table} WHERE post_id IN ${list.sql}`,
    ).join('\nUNION ALL\n');
    const rows = yield { sql, params: RELATED_LINKS.flatMap(() => list.params) };
    for (const r of rows) {
      const id = Number(r.id);
      const keys = out.get(id) ?? [];
      keys.push(thingKey(r.kind as LinkKind, Number(r.eid)));
      out.set(id, keys);
    }
  }
  return out;
}

/** Every candidate of each post, scored against the links stored now (unordered). */
function* scoredCandidates(ids: readonly number[]): Program<Map<number, RelatedEntry[]>> {
  const n = yield* largestId();
  const posts = yield* postsWithThings(ids);
  const wanted = [...posts.values()].map((post) => ({ post, things: candidateSources(post.things) }));
  const near = yield* nearestPosts(wanted, CANDIDATES_PER_SIDE);
  const candidates = new Set<number>();
  for (const list of near.values()) for (const id of list.ids) candidates.add(id);
  const keys = yield* thingKeysOf([...candidates]);
  const out = new Map<number, RelatedEntry[]>();
  for (const id of ids) {
    const post = posts.get(id);
    out.set(id, post ? scoreCandidates(post, near.get(id) ?? new Neighbors(), (c) => keys.get(c), n) : []);
  }
  return out;
}

/** Each post's related posts ranked from the stored links, `keep` best (the live path). */
export function* rankLive(ids: readonly number[], keep: number): Program<Map<number, RelatedEntry[]>> {
  const scored = yield* scoredCandidates(ids);
  const out = new Map<number, RelatedEntry[]>();
  for (const [id, list] of scored) out.set(id, top(list, keep));
  return out;
}

function top(list: RelatedEntry[], keep: number): RelatedEntry[] {
  return [...list].sort(compareEntries).slice(0, keep);
}

/** The stored lists of these posts (their first `limit` entries); a post without one (not yet ranked) is absent. */
export function* storedLists(ids: readonly number[], limit = Infinity): Program<Map<number, RelatedEntry[]>> {
  const out = new Map<number, RelatedEntry[]>();
  for (const part of chunks(ids, IDS_PER_STATEMENT * 4)) {
    const list = inList(part);
    const rows = yield {
      sql: `SELECT post_id AS id, ranked FROM post_related WHERE post_id IN ${list.sql}`,
      params: list.params,
    };
    for (const r of rows) out.set(Number(r.id), decodeList(String(r.ranked), limit));
  }
  return out;
}

/** The write stamp the lists written in this transaction carry (claimed once per transaction). */
export function* claimStamp(): Program<number> {
  const rows = yield { sql: CLAIM_WRITE_STAMP, params: [] };
  return Number(rows[0].value);
}

/** Writes lists (insert or replace) with the transaction's `stamp`, in multi-row statements. */
export function* writeLists(lists: ReadonlyMap<number, readonly RelatedEntry[]>, stamp: number): Program<void> {
  yield* insertRows(
    'post_related',
    ['post_id', 'ranked', 'stamp'],
    [...lists].sort((a, b) => a[0] - b[0]).map(([id, list]) => [id, encodeList(list), stamp]),
    'ON CONFLICT (post_id) DO UPDATE SET ranked = excluded.ranked, stamp = excluded.stamp',
  );
}

/** Which of these posts' lists were written since a reader saw write stamp `after`. */
export function* listsWrittenSince(after: number, among: readonly number[]): Program<Set<number>> {
  const out = new Set<number>();
  for (const part of chunks(among, IDS_PER_STATEMENT * 4)) {
    const list = inList(part);
    const rows = yield {
      sql: `SELECT post_id AS id FROM post_related WHERE post_id IN ${list.sql} AND stamp > ?`,
      params: [...list.params, after],
    };
    for (const r of rows) out.add(Number(r.id));
  }
  return out;
}

/**
 * Before posts lose their links (removed or rewritten): the posts whose lists may hold them,
 * those near them in date in any thing they link, twice as far out as candidates reach (a list
 * holds a post that was among its candidates, or that offered itself from its own candidates).
 */
export function* possibleHolders(ids: readonly number[]): Program<Set<number>> {
  if (ids.length === 0) return new Set();
  const posts = yield* postsWithThings(ids);
  const near = yield* nearestPosts(
    [...posts.values()].map((post) => ({ post, things: post.things })),
    2 * CANDIDATES_PER_SIDE,
  );
  const out = new Set<number>();
  for (const list of near.values()) for (const id of list.ids) out.add(id);
  for (const id of ids) out.delete(id);
  return out;
}

/**
 * After a batch's links are written: the batch's posts get fresh lists; each offers itself to the
 * lists of its candidates (where it now outranks their last entry); lists that held a post that
 * was rewritten or removed are ranked afresh; removed posts' lists go.
 */
export function* maintainLists(change: {
  written: readonly number[];
  unlinked: readonly number[];
  removed: readonly number[];
  holders: ReadonlySet<number>;
}): Program<void> {
  if (change.removed.length) {
    for (const part of chunks(change.removed, IDS_PER_STATEMENT * 4)) {
      yield { sql: `DELETE FROM post_related WHERE post_id IN (${placeholders(part.length)})`, params: part };
    }
  }
  const written = new Set(change.written);
  const removed = new Set(change.removed);
  const stale = new Set(change.unlinked);
  const rerank = new Set(written);
  const held = yield* storedLists([...change.holders].filter((id) => !written.has(id) && !removed.has(id)));
  for (const [id, list] of held) if (list.some((e) => stale.has(e.id))) rerank.add(id);
  if (rerank.size === 0) return;

  const scored = yield* scoredCandidates([...rerank]);
  const lists = new Map<number, RelatedEntry[]>();
  for (const [id, list] of scored) lists.set(id, top(list, RELATED_KEPT));

  // The batch's posts enter the lists of the posts they found (score and distance are symmetric).
  const offers = new Map<number, RelatedEntry[]>();
  for (const id of written) {
    for (const e of scored.get(id) ?? []) {
      if (rerank.has(e.id)) continue;
      const list = offers.get(e.id) ?? [];
      list.push({ id, score: e.score, dist: e.dist });
      offers.set(e.id, list);
    }
  }
  const targets = yield* storedLists([...offers.keys()]);
  for (const [target, entries] of offers) {
    let list = targets.get(target);
    if (!list) continue; // not ranked yet: it will be, with everything stored
    let changed = false;
    for (const e of entries) {
      const next = offer(list, e, RELATED_KEPT);
      if (next) {
        list = next;
        changed = true;
      }
    }
    if (changed) lists.set(target, list);
  }
  if (lists.size) yield* writeLists(lists, yield* claimStamp());
}
