import { type PostKey, type PostWindow, ReadLog, windowHolds } from '../../graphql/read-log';

/**
 * Tags of what an entry depends on: `*` every batch, `p:<id>` a post (its row, links, related
 * list). Tags with a signature, what the entry saw, checked against the database after a batch:
 * `s:<id>` a stock's name and issuer, `b:<id>` a board's name, `r:<post>:<offset>:<limit>` a page
 * of related posts.
 */
const EVERY_BATCH = '*';
const ENTRY_BYTES = 650;
const TAG_BYTES = 300;
const WINDOW_BYTES = 200;
export const postTag = (id: number) => `p:${id}`;
export type SeenKind = 's' | 'b' | 'r';

interface Entry {
  tags: string[];
  windows: PostWindow[];
  /** Tag -> what this entry's answer saw of it. */
  seen: Map<string, string>;
}

/** Something entries saw (a stock, a board, a related page), and what each of them saw of it. */
export interface SeenDependency {
  /** The tag without its kind: a stock's or board's id, or `post:offset:limit`. */
  what: string;
  seenBy: Map<string, string>;
}

/**
 * Which cached responses depend on what: entries by cache key, keys by tag. An entry is added when
 * its response is stored, and forgotten when the cache drops it (evicted, expired, deleted), so
 * the index never outgrows the cache.
 */
export class DependencyIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly byTag = new Map<string, Set<string>>();

  get size(): number {
    return this.entries.size;
  }

  /**
   * About what `key`'s entry holds in memory, 0 when there is none: the cache counts it with the
   * answer, so that its budget bounds both. Measured on V8 (node --expose-gc, 5,000 entries):
   * ~650 bytes an entry, 250-330 a tag (its string, its seen signature, its place in `byTag`).
   */
  bytesOf(key: string): number {
    const entry = this.entries.get(key);
    return entry ? ENTRY_BYTES + TAG_BYTES * entry.tags.length + WINDOW_BYTES * entry.windows.length : 0;
  }

  /** `reads` null: the answer depends on anything a batch may change. */
  add(key: string, reads: ReadLog | null): void {
    this.forget(key);
    const entry: Entry = { tags: [], windows: [], seen: new Map() };
    if (!reads || reads.untracked) entry.tags.push(EVERY_BATCH);
    else {
      for (const id of reads.posts) entry.tags.push(postTag(id));
      const see = (tag: string, signature: string) => {
        entry.tags.push(tag);
        entry.seen.set(tag, signature);
      };
      for (const [id, signature] of reads.stocks) see(`s:${id}`, signature);
      for (const [id, signature] of reads.boards) see(`b:${id}`, signature);
      for (const [k, signature] of reads.related) see(`r:${k}`, signature);
      entry.windows.push(...reads.windows);
    }
    this.entries.set(key, entry);
    for (const tag of entry.tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
  }

  clear(): void {
    this.entries.clear();
    this.byTag.clear();
  }

  /** Entries that depend on every batch, or on one of `tags`. */
  tagged(tags: Iterable<string>): Set<string> {
    const out = new Set(this.byTag.get(EVERY_BATCH));
    for (const tag of tags) for (const key of this.byTag.get(tag) ?? []) out.add(key);
    return out;
  }

  /** Entries showing a page of posts whose window a post now at one of `keys` falls into. */
  windowsHolding(keys: readonly PostKey[]): Set<string> {
    const out = new Set<string>();
    if (keys.length === 0) return out;
    for (const [key, entry] of this.entries)
      if (entry.windows.some((w) => keys.some((k) => windowHolds(w, k)))) out.add(key);
    return out;
  }

  /** Every `kind` some entry saw (only those in `among`, when given), with what each entry saw of it. */
  seen(kind: SeenKind, among?: Iterable<string | number>): SeenDependency[] {
    const out: SeenDependency[] = [];
    const whats = among
      ? [...among].map(String)
      : [...this.byTag.keys()].filter((t) => t.startsWith(`${kind}:`)).map((t) => t.slice(2));
    for (const what of whats) {
      const tag = `${kind}:${what}`;
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      out.push({ what, seenBy: new Map([...keys].map((key) => [key, this.entries.get(key)!.seen.get(tag)!])) });
    }
    return out;
  }
}
