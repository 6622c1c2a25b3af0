// Every post's facet keys (its UTC day, its publisher, the ids of its categories, tags, stocks and
// boards) in flat typed arrays indexed by post id. Counting the facets of a set then reads memory:
// the statement that counted them read four link tables a post (about 2.3 us a post at 1M posts,
// 1.2 s for a category holding a quarter of them), this about 0.15 us a post (8 ms for 50,000).
import { decodePostLinks } from '../schema/post-links';
import { dayOf } from '../writes/read-model';
import { emptyFacetCounts, type FacetCounts, type FacetKind } from './facet-counts';

/** The kinds a post links to lists of; `publisher` is one value a post. */
export const LINK_KINDS = ['category', 'tag', 'stock', 'board'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** What a post's facets count, as read from its `post` and `post_links` rows. */
export interface PostFacetKeys {
  id: number;
  /** Days since the epoch, UTC (rounded down, negative before 1970). */
  day: number;
  publisher: number | null;
  links: Record<LinkKind, readonly number[]>;
}

/** The columns a key row is read from (facetKeysSql). */
export interface FacetKeyRow {
  id: number | string;
  dateMs: number | string;
  publisherId: number | string | null;
  links: string | null;
}

/** `id, dateMs, publisherId, links` of the posts `where` selects (a condition on `p`). */
export const facetKeysSql = (where: string) =>
  `SELECT p.id, p.date_ms AS "dateMs", p.publisher_id AS "publisherId", l.links
     FROM post p LEFT JOIN post_links l ON l.post_id = p.id WHERE ${where}`;

/** A key row decoded; a post without its `post_links` row (which `reindex` restores) links nothing. */
export function facetKeysOf(r: FacetKeyRow): PostFacetKeys {
  const id = Number(r.id);
  const l = r.links === null ? null : decodePostLinks(r.links, `post ${id}`);
  return {
    id,
    day: dayOf(Number(r.dateMs)),
    publisher: r.publisherId === null ? null : Number(r.publisherId),
    links: {
      category: l ? l.c : [],
      tag: l ? l.t : [],
      stock: l ? l.s.map((s) => s[0]) : [],
      board: l ? l.b.map((b) => b[0]) : [],
    },
  };
}

/** `day` of an id no post holds. */
const ABSENT = -2147483648;

/** An Int32Array that doubles as it fills. */
class Growing {
  data = new Int32Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * The columns of posts 1..capacity-1 as they were read. Built by appending posts in ascending id
 * order (`add`, then `finish`); ids never added read as absent.
 */
export class FacetColumns {
  private readonly day: Int32Array;
  /** Publisher id, 0 for none (ids start at 1 on both databases). */
  private readonly publisher: Int32Array;
  /** Per kind, CSR: the ids of post p are `values[offsets[p]] .. values[offsets[p + 1] - 1]`. */
  private readonly offsets: Record<LinkKind, Int32Array>;
  private values: Record<LinkKind, Int32Array> | null = null;
  private readonly filling: Record<LinkKind, Growing> = {
    category: new Growing(),
    tag: new Growing(),
    stock: new Growing(),
    board: new Growing(),
  };
  /** The next id `add` has not passed. */
  private next = 0;

  constructor(readonly capacity: number) {
    this.day = new Int32Array(capacity).fill(ABSENT);
    this.publisher = new Int32Array(capacity);
    this.offsets = {
      category: new Int32Array(capacity + 1),
      tag: new Int32Array(capacity + 1),
      stock: new Int32Array(capacity + 1),
      board: new Int32Array(capacity + 1),
    };
  }

  /** Appends a post; ids must ascend, and those at or past `capacity` are left to the caller. */
  add(k: PostFacetKeys): boolean {
    if (this.values) throw new Error('facet columns: add after finish');
    if (k.id < this.next || k.id >= this.capacity) return false;
    this.skipTo(k.id);
    this.day[k.id] = k.day;
    this.publisher[k.id] = k.publisher ?? 0;
    for (const kind of LINK_KINDS) {
      const into = this.filling[kind];
      for (const id of k.links[kind]) into.push(id);
      this.offsets[kind][k.id + 1] = into.length;
    }
    this.next = k.id + 1;
    return true;
  }

  finish(): this {
    this.skipTo(this.capacity);
    this.values = {
      category: this.filling.category.done(),
      tag: this.filling.tag.done(),
      stock: this.filling.stock.done(),
      board: this.filling.board.done(),
    };
    return this;
  }

  /** Posts between the last added and `id` hold nothing: their ranges are empty. */
  private skipTo(id: number): void {
    for (const kind of LINK_KINDS) {
      const o = this.offsets[kind];
      const end = this.filling[kind].length;
      for (let p = this.next; p < id; p++) o[p + 1] = end;
    }
  }

  /** Whether post `id` was read into the columns. */
  holds(id: number): boolean {
    return id >= 0 && id < this.capacity && this.day[id] !== ABSENT;
  }

  /** Bytes the arrays take. */
  bytes(): number {
    let n = this.day.byteLength + this.publisher.byteLength;
    for (const kind of LINK_KINDS)
      n += this.offsets[kind].byteLength + (this.values?.[kind] ?? this.filling[kind].data).byteLength;
    return n;
  }

  /** Adds post `id` (which `holds`) to `into`. */
  countInto(id: number, into: Tally): void {
    const values = this.values;
    if (!values) throw new Error('facet columns: counted before finish');
    into.post(this.day[id], this.publisher[id] || null);
    for (const kind of LINK_KINDS) {
      const o = this.offsets[kind];
      const v = values[kind];
      const t = into.kinds[kind];
      for (let j = o[id], end = o[id + 1]; j < end; j++) t.add(v[j]);
    }
  }
}

/** Counts per entity id in a reusable array, remembering which ids it touched. */
class Counter {
  private counts = new Int32Array(1024);
  private readonly touched: number[] = [];

  add(id: number): void {
    if (id >= this.counts.length) {
      const next = new Int32Array(Math.max(id + 1, this.counts.length * 2));
      next.set(this.counts);
      this.counts = next;
    }
    if (this.counts[id]++ === 0) this.touched.push(id);
  }

  /** The counts as a map, and the counter zeroed for the next set. */
  drain(): Map<number, number> {
    const out = new Map<number, number>();
    for (const id of this.touched) {
      out.set(id, this.counts[id]);
      this.counts[id] = 0;
    }
    this.touched.length = 0;
    return out;
  }
}

/**
 * The counts of one set as posts are added to it. Reused from set to set (counting is synchronous),
 * so a count allocates no per-entity arrays.
 */
export class Tally {
  readonly kinds: Record<LinkKind, Counter> = {
    category: new Counter(),
    tag: new Counter(),
    stock: new Counter(),
    board: new Counter(),
  };
  private readonly publishers = new Counter();
  private readonly days = new Counter();
  /** Days before 1970, which an array cannot index. */
  private readonly early = new Map<number, number>();
  private total = 0;

  post(day: number, publisher: number | null): void {
    this.total++;
    if (day >= 0) this.days.add(day);
    else this.early.set(day, (this.early.get(day) ?? 0) + 1);
    if (publisher !== null) this.publishers.add(publisher);
  }

  keys(k: PostFacetKeys): void {
    this.post(k.day, k.publisher);
    for (const kind of LINK_KINDS) for (const id of k.links[kind]) this.kinds[kind].add(id);
  }

  /** What was counted, and the tally emptied. */
  drain(): FacetCounts {
    const out = emptyFacetCounts();
    out.total = this.total;
    for (const kind of LINK_KINDS) out.byKind[kind as FacetKind] = this.kinds[kind].drain();
    out.byKind.publisher = this.publishers.drain();
    out.days = [...this.early, ...this.days.drain()].map(([day, n]) => ({ day, n })).sort((a, b) => a.day - b.day);
    this.early.clear();
    this.total = 0;
    return out;
  }
}
