// The ranking of related coverage (docs/contract.md, "relatedCoverage, exactly"), pure: the same
// function ranks a post at import (its stored list), in a rebuild over the whole archive, and live
// for pages past the stored list; only where the links come from differs.

/** What a shared thing is worth per kind: each tier outweighs what posts share in the tiers below. */
export const RELATED_WEIGHTS = { S: 1000, O: 100, B: 10, T: 1 } as const;
export type LinkKind = keyof typeof RELATED_WEIGHTS;

/** The link tables a post's things come from, with the column of the thing and its post count. */
export const RELATED_LINKS: readonly { kind: LinkKind; table: string; col: string; entity: string; df: string }[] = [
  { kind: 'S', table: 'post_stock', col: 'stock_id', entity: 'stock', df: 'coverage_count' },
  { kind: 'O', table: 'post_organization', col: 'organization_id', entity: 'organization', df: 'post_count' },
  { kind: 'B', table: 'post_board', col: 'board_id', entity: 'board', df: 'post_count' },
  { kind: 'T', table: 'post_tag', col: 'tag_id', entity: 'tag', df: 'post_count' },
];

/** Per shared thing, the posts nearest in date on each side that become candidates. */
export const CANDIDATES_PER_SIDE = 12;
/** Things per post that bring candidates: its stocks first, then the rarest of the rest. */
export const CANDIDATE_SOURCES = 8;
/**
 * Related posts stored per post: a page of the default size (20) and one more, which says whether
 * there is a next page. Pages reaching past them are ranked live.
 */
export const RELATED_KEPT = 21;

/** One thing a post links: its kind, id and how many posts link it. */
export interface Thing {
  kind: LinkKind;
  eid: number;
  df: number;
}

/** A post as a ranking sees it. */
export interface RankedPost {
  id: number;
  dateMs: number;
  things: readonly Thing[];
}

/** Candidates near a source post in its things' date order (parallel arrays: a rebuild makes ~10 million). */
export class Neighbors {
  readonly ids: number[] = [];
  readonly dates: number[] = [];

  push(id: number, dateMs: number): void {
    this.ids.push(id);
    this.dates.push(dateMs);
  }

  clear(): void {
    this.ids.length = 0;
    this.dates.length = 0;
  }
}

/**
 * Where a candidate's thing keys come from: a lookup (the live path's few hundred posts), or flat
 * arrays read in place (a rebuild's million posts: a view per candidate would be ~100M objects).
 */
export type ThingsOf = ((id: number) => ArrayLike<number> | undefined) | FlatThings;

/** Post id -> thing keys: `keys[start[id]] .. keys[start[id + 1] - 1]`. */
export interface FlatThings {
  start: Int32Array;
  keys: Int32Array | Float64Array;
}

/** One related post: who, its score and how far apart the two posts are in time (seconds). */
export interface RelatedEntry {
  id: number;
  score: number;
  dist: number;
}

const KIND_INDEX: Record<LinkKind, number> = { S: 0, O: 1, B: 2, T: 3 };

/** A number naming a thing across kinds (ids stay far below 2^50). */
export function thingKey(kind: LinkKind, eid: number): number {
  return eid * 4 + KIND_INDEX[kind];
}

/** The things that bring a post's candidates: stocks first, then rarest first; a thing only it links brings none. */
export function candidateSources(things: readonly Thing[]): Thing[] {
  return things
    .filter((t) => t.df > 1)
    .sort((a, b) => Number(b.kind === 'S') - Number(a.kind === 'S') || a.df - b.df || a.eid - b.eid)
    .slice(0, CANDIDATE_SOURCES);
}

/** `weight × ln(1 + N/df) / ln(1 + N)`: what sharing this thing is worth, N the largest post id. */
export function thingWeight(t: Thing, n: number): number {
  const total = Math.max(n, 1);
  return (RELATED_WEIGHTS[t.kind] * Math.log(1 + total / Math.max(t.df, 1))) / Math.log(1 + total);
}

/** Better first: higher score, then nearer in date, then the higher post id. */
export function compareEntries(a: RelatedEntry, b: RelatedEntry): number {
  return b.score - a.score || a.dist - b.dist || b.id - a.id;
}

/** Seconds between two instants (Jekyll dates have whole seconds). */
export function distance(a: number, b: number): number {
  return Math.round(Math.abs(a - b) / 1000);
}

/**
 * Ranks the candidates of one post: every neighbor the sources brought, scored on everything the
 * two posts link. `thingsOf` gives a candidate's thing keys; `keep` bounds the list.
 */
export function rankPost(
  src: RankedPost,
  neighbors: Neighbors,
  thingsOf: ThingsOf,
  n: number,
  keep: number,
): RelatedEntry[] {
  // A bounded insertion list: a post has ~100 candidates and keeps 21, so most never become entries.
  const top: RelatedEntry[] = [];
  eachScored(src, neighbors, thingsOf, n, (id, score, dist) => {
    const last = top[top.length - 1];
    if (
      top.length >= keep &&
      (score < last.score || (score === last.score && (dist > last.dist || (dist === last.dist && id < last.id))))
    )
      return;
    const e = { id, score, dist };
    let i = top.length;
    while (i > 0 && compareEntries(e, top[i - 1]) < 0) i--;
    top.splice(i, 0, e);
    if (top.length > keep) top.pop();
  });
  return top;
}

/** Every candidate that shares something with the post, scored (scores to 6 decimals, as stored), unordered. */
export function scoreCandidates(src: RankedPost, neighbors: Neighbors, thingsOf: ThingsOf, n: number): RelatedEntry[] {
  const out: RelatedEntry[] = [];
  eachScored(src, neighbors, thingsOf, n, (id, score, dist) => out.push({ id, score, dist }));
  return out;
}

/**
 * What each of the source's things is worth, by thing key: an open-addressed table sized for the
 * source's few things. Keys are ids x 4, so a table indexed by key grows with the largest id
 * (a tag id of 2^30 asked for a 32 GB array) where this one stays a few hundred bytes.
 */
class WorthByKey {
  private keys = new Float64Array(64);
  private worth = new Float64Array(64);
  private mask = 63;

  set(keys: readonly number[], worth: (i: number) => number): void {
    let size = 64;
    while (size < keys.length * 2) size *= 2;
    if (this.keys.length < size) {
      this.keys = new Float64Array(size);
      this.worth = new Float64Array(size);
    }
    this.mask = size - 1;
    this.keys.fill(-1, 0, size);
    for (let i = 0; i < keys.length; i++) {
      let at = slot(keys[i]) & this.mask;
      while (this.keys[at] !== -1 && this.keys[at] !== keys[i]) at = (at + 1) & this.mask;
      this.keys[at] = keys[i];
      this.worth[at] = worth(i);
    }
  }

  /** The worth of `key` to the source: 0 when the source does not link it. */
  get(key: number): number {
    for (let at = slot(key) & this.mask; ; at = (at + 1) & this.mask) {
      const k = this.keys[at];
      if (k === key) return this.worth[at];
      if (k === -1) return 0;
    }
  }
}

/** A well-mixed 32-bit hash of a non-negative integer key (keys pass 2^31 only for ids past 2^29). */
function slot(key: number): number {
  return Math.imul(key < 2147483648 ? key : key % 2147483647, 0x9e3779b1) >>> 16;
}

// Scratch space reused across calls (a rebuild scores ~10 million pairs): the source's worth table,
// and which candidates this source has already scored, by post id.
const worthByKey = new WorthByKey();
let seenBy = new Int32Array(1024);
let stamp = 0;

function growSeen(index: number): void {
  const next = new Int32Array(Math.max(index + 1, seenBy.length * 2));
  next.set(seenBy);
  seenBy = next;
}

function eachScored(
  src: RankedPost,
  neighbors: Neighbors,
  thingsOf: ThingsOf,
  n: number,
  fn: (id: number, score: number, dist: number) => void,
): void {
  if (++stamp === 2 ** 31 - 1) {
    seenBy.fill(0);
    stamp = 1;
  }
  worthByKey.set(
    src.things.map((t) => thingKey(t.kind, t.eid)),
    (i) => thingWeight(src.things[i], n),
  );
  if (src.id >= seenBy.length) growSeen(src.id);
  seenBy[src.id] = stamp;
  const { ids, dates } = neighbors;
  for (let j = 0; j < ids.length; j++) {
    const id = ids[j];
    if (id >= seenBy.length) growSeen(id);
    if (seenBy[id] === stamp) continue;
    seenBy[id] = stamp;
    let theirs: ArrayLike<number> | undefined;
    let from = 0;
    let to: number;
    if (typeof thingsOf === 'function') {
      theirs = thingsOf(id);
      if (!theirs) continue;
      to = theirs.length;
    } else {
      theirs = thingsOf.keys;
      from = thingsOf.start[id];
      to = thingsOf.start[id + 1];
    }
    let score = 0;
    for (let i = from; i < to; i++) score += worthByKey.get(theirs[i]);
    if (score > 0) fn(id, Math.round(score * 1e6) / 1e6, distance(src.dateMs, dates[j]));
  }
}

/**
 * Offers a post to a stored list: its old entry goes, the offer goes in where it ranks, the list
 * stays `keep` long. Returns the new list, or null when nothing changed.
 */
export function offer(list: readonly RelatedEntry[], e: RelatedEntry, keep: number): RelatedEntry[] | null {
  const old = list.findIndex((x) => x.id === e.id);
  if (old < 0 && list.length >= keep && compareEntries(e, list[list.length - 1]) >= 0) return null;
  const rest = old < 0 ? [...list] : list.filter((_, i) => i !== old);
  const at = rest.findIndex((x) => compareEntries(e, x) < 0);
  rest.splice(at < 0 ? rest.length : at, 0, e);
  const next = rest.slice(0, keep);
  const same =
    next.length === list.length &&
    next.every((x, i) => x.id === list[i].id && x.score === list[i].score && x.dist === list[i].dist);
  return same ? null : next;
}

/** A stored list as text, `id:score:dist` joined by spaces: portable and compact (scores print exactly). */
export function encodeList(list: readonly RelatedEntry[]): string {
  return list.map((e) => `${e.id}:${e.score}:${e.dist}`).join(' ');
}

/** A stored list's first `limit` entries (a page needs a few of its 21). */
export function decodeList(text: string, limit = Infinity): RelatedEntry[] {
  const out: RelatedEntry[] = [];
  let at = 0;
  while (at < text.length && out.length < limit) {
    let end = text.indexOf(' ', at);
    if (end < 0) end = text.length;
    const a = text.indexOf(':', at);
    const b = text.indexOf(':', a + 1);
    out.push({
      id: Number(text.slice(at, a)),
      score: Number(text.slice(a + 1, b)),
      dist: Number(text.slice(b + 1, end)),
    });
    at = end + 1;
  }
  return out;
}
