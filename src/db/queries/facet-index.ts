// The server's facet columns (facet-columns.ts), built in the background from `post` and
// `post_links` and kept current from the change feed, which every import appends to in the
// transaction that changes posts: the posts it names are read again before a set is counted.
import { envInt } from '../../config/env-int';
import { inList, type SqlRunner } from '../sql-runner';
import { changePage } from './changes';
import { FacetColumns, facetKeysOf, facetKeysSql, type FacetKeyRow, type PostFacetKeys, Tally } from './facet-columns';
import type { FacetCounts } from './facet-counts';

export const DEFAULT_FACET_INDEX_MB = 256;

/** NEWSGRAPH_FACET_INDEX_MB: the most memory the facet columns may take (0: none, facets count in SQL). */
export function facetIndexMbFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return envInt(env, 'NEWSGRAPH_FACET_INDEX_MB', DEFAULT_FACET_INDEX_MB, 0, 'a whole number of megabytes (0: off)');
}

export interface FacetIndexOptions {
  /** The most bytes the columns may take; a larger archive keeps counting in SQL. */
  maxBytes: number;
  /** Posts read a statement while building; the event loop runs between statements. */
  chunk?: number;
  /** Changes read a sync; more than that since the last one, and the columns are built again. */
  maxChanges?: number;
  /** Changed posts held beside the columns before they are built again (in the background). */
  maxPatched?: number;
  /** Called when a build or a count fails (the SQL path answers meanwhile). */
  onError?: (err: unknown) => void;
  /** Waits after a failed build before the next try. */
  retryMs?: number;
  now?: () => number;
}

/** Keys of `ids`, one statement a thousand. */
async function keysOf(run: SqlRunner, ids: readonly number[]): Promise<Map<number, PostFacetKeys>> {
  const out = new Map<number, PostFacetKeys>();
  for (let i = 0; i < ids.length; i += 1000) {
    const list = inList(ids.slice(i, i + 1000));
    for (const r of await run.all<FacetKeyRow>(facetKeysSql(`p.id IN ${list.sql}`), list.params)) {
      const k = facetKeysOf(r);
      out.set(k.id, k);
    }
  }
  return out;
}

/** The columns as of a feed position, and the posts changed since they were read (null: removed). */
interface Snapshot {
  columns: FacetColumns;
  patched: Map<number, PostFacetKeys | null>;
  feedId: number;
  seq: number;
}

/**
 * Counts the facets of sets of posts from memory. `count` answers null until the first build is
 * done (and whenever the feed says more changed than a sync reads): the caller counts in SQL then.
 */
export class FacetIndex {
  private snapshot: Snapshot | null = null;
  private building: Promise<void> | null = null;
  private syncing: Promise<Snapshot | null> | null = null;
  private retryAt = 0;
  private tooLarge = false;
  private builds = 0;
  private sets = 0;
  private readonly tally = new Tally();
  private readonly chunk: number;
  private readonly maxChanges: number;
  private readonly maxPatched: number;
  private readonly now: () => number;

  constructor(
    private readonly runner: () => SqlRunner,
    private readonly opts: FacetIndexOptions,
  ) {
    this.chunk = opts.chunk ?? 5000;
    this.maxChanges = opts.maxChanges ?? 5000;
    this.maxPatched = opts.maxPatched ?? 50_000;
    this.now = opts.now ?? Date.now;
  }

  /** Whether the columns can count now (else a build may be under way). */
  get ready(): boolean {
    return this.snapshot !== null;
  }

  /**
   * Whether the columns can count now; when they cannot, starts building them (unless a build
   * is under way, or failed less than `retryMs` ago): the first set asked for builds them.
   */
  start(): boolean {
    if (this.snapshot) return true;
    if (this.now() >= this.retryAt) void this.build();
    return false;
  }

  /** Bytes the columns take (0 before the first build). */
  bytes(): number {
    return this.snapshot?.columns.bytes() ?? 0;
  }

  /** Builds the columns now, if they are not being built (the server starts it; tests await it). */
  build(): Promise<void> {
    if (this.tooLarge || this.opts.maxBytes <= 0) return Promise.resolve();
    this.building ??= this.buildOnce().finally(() => (this.building = null));
    return this.building;
  }

  /**
   * The facets of the posts `ids` (each once, as a statement selected them, all in the database
   * now), or null when the columns cannot answer. `run` reads the feed and the posts it names,
   * on the request's own connection.
   */
  async count(run: SqlRunner, ids: readonly number[]): Promise<FacetCounts | null> {
    try {
      return await this.countSet(run, ids);
    } catch (err) {
      // A row the columns cannot read (a damaged post_links row): this set counts in SQL.
      this.opts.onError?.(err);
      return null;
    }
  }

  /** What the index has done, for tests and diagnostics. */
  stats(): { builds: number; building: boolean; sets: number; patched: number; bytes: number } {
    return {
      builds: this.builds,
      building: this.building !== null,
      sets: this.sets,
      patched: this.snapshot?.patched.size ?? 0,
      bytes: this.bytes(),
    };
  }

  private async countSet(run: SqlRunner, ids: readonly number[]): Promise<FacetCounts | null> {
    const snap = await this.current(run);
    if (!snap) return null;
    this.sets++;
    const { columns, patched } = snap;
    // Posts the columns have not seen (added since the last sync): read now, kept for the next set.
    let unseen: number[] | null = null;
    for (const id of ids) if (!columns.holds(id) && !patched.has(id)) (unseen ??= []).push(id);
    const found = unseen ? await keysOf(run, unseen) : null;
    if (found && this.snapshot === snap) for (const [id, k] of found) patched.set(id, k);
    const t = this.tally;
    if (patched.size === 0) {
      for (const id of ids) columns.countInto(id, t);
      return t.drain();
    }
    for (const id of ids) {
      const changed = patched.get(id);
      if (changed !== undefined) {
        // null: removed after the set was read; not counted.
        if (changed) t.keys(changed);
      } else if (columns.holds(id)) columns.countInto(id, t);
      else {
        const k = found?.get(id);
        if (k) t.keys(k);
      }
    }
    return t.drain();
  }

  /** The snapshot brought up to the feed's head as `run` sees it, or null when it cannot answer. */
  private current(run: SqlRunner): Promise<Snapshot | null> {
    const snap = this.snapshot;
    if (!snap) {
      this.start();
      return Promise.resolve(null);
    }
    this.syncing ??= this.sync(run, snap).finally(() => (this.syncing = null));
    return this.syncing;
  }

  private async sync(run: SqlRunner, snap: Snapshot): Promise<Snapshot | null> {
    const page = await changePage(run, snap.seq, this.maxChanges);
    if (page.feedId !== snap.feedId || page.prunedThrough > snap.seq || page.hasMore) {
      // Changes the feed no longer holds, or more than a sync reads: read every post again.
      if (this.snapshot === snap) this.snapshot = null;
      void this.build();
      return null;
    }
    if (page.rows.length === 0) return snap;
    const ids = [...new Set(page.rows.map((r) => r.postId))];
    const keys = await keysOf(run, ids);
    if (this.snapshot !== snap) return this.snapshot;
    for (const id of ids) snap.patched.set(id, keys.get(id) ?? null);
    snap.seq = page.rows[page.rows.length - 1].seq;
    if (snap.patched.size > this.maxPatched) void this.build();
    return snap;
  }

  private async buildOnce(): Promise<void> {
    try {
      const snap = await this.read(this.runner());
      if (snap) {
        this.snapshot = snap;
        this.builds++;
      }
    } catch (err) {
      this.retryAt = this.now() + (this.opts.retryMs ?? 60_000);
      this.opts.onError?.(err);
    }
  }

  /**
   * Every post's keys, a chunk a statement. The feed's head is read first: whatever changes while
   * the chunks are read is read again by the first sync after.
   */
  private async read(run: SqlRunner): Promise<Snapshot | null> {
    const head = await changePage(run, 0, 0);
    const max = await run.get<{ n: number | string | null }>('SELECT max(id) AS n FROM post');
    const columns = new FacetColumns(Number(max?.n ?? 0) + 1);
    // Before reading: the fixed arrays alone may be past the bound.
    if (columns.bytes() > this.opts.maxBytes) return this.giveUp(columns.bytes());
    const sql = `${facetKeysSql('p.id > ?')} ORDER BY p.id LIMIT ?`;
    let after = 0;
    for (;;) {
      const rows = await run.all<FacetKeyRow>(sql, [after, this.chunk]);
      for (const r of rows) columns.add(facetKeysOf(r));
      if (rows.length < this.chunk) break;
      after = Number(rows[rows.length - 1].id);
      if (columns.bytes() > this.opts.maxBytes) return this.giveUp(columns.bytes());
      await new Promise(setImmediate); // requests go on between chunks (SQLite reads block)
    }
    columns.finish();
    if (columns.bytes() > this.opts.maxBytes) return this.giveUp(columns.bytes());
    return { columns, patched: new Map(), feedId: head.feedId, seq: head.head };
  }

  private giveUp(bytes: number): null {
    this.tooLarge = true;
    this.opts.onError?.(
      new Error(
        `facet columns need more than ${Math.round(bytes / 1048576)} MB, past NEWSGRAPH_FACET_INDEX_MB=${Math.round(this.opts.maxBytes / 1048576)}: facets count in SQL`,
      ),
    );
    return null;
  }
}
