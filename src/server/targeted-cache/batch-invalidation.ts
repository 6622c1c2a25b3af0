import { changePage, type ChangeRow } from '../../db/queries/changes';
import { boardsByIds, stocksByIds } from '../../db/queries/lookups';
import { relatedCoverage } from '../../db/queries/related';
import { listsWrittenSince } from '../../db/related/lists';
import { runOnRunner } from '../../db/related/program';
import { writeStamp, writtenPosts } from '../../db/queries/written-posts';
import type { SqlRunner } from '../../db/sql-runner';
import type { ReadStore } from '../../db/store';
import { boardSignature, relatedSignature, stockSignature } from '../../graphql/read-log';
import { logger } from '../logger';
import { DependencyIndex, postTag, type SeenDependency } from './dependency-index';

/** Changes read per statement while catching up with the feed. */
const FEED_PAGE = 1000;
/** Stocks, boards or related pages checked per statement. */
const CHECK_CHUNK = 400;

export interface CacheDrops {
  /** Forget these entries (cache keys as the index knows them). */
  drop: (keys: Iterable<string>) => void;
  /** Forget every entry. */
  dropAll: () => void;
}

/** What the last catch-up did, for tests and logs. */
export interface CatchUp {
  changes: number;
  dropped: number | 'all';
  ms: number;
}

/** Where this process last saw the database: its version, the feed, the import's write stamp, its own writes. */
interface Seen {
  version: string;
  feedId: number;
  seq: number;
  stamp: number;
  own: number;
}

/**
 * Keeps the response cache in step with imports, batch by batch, dropping only the entries a batch
 * changed. Before any request reads the cache it calls `sync`: when the database's data version
 * moved, the changes the feed gained since the last look are read and the entries that depend on
 * them dropped, while every request waits (so no request started after a commit is answered from
 * before it). What a batch changed, from the change feed and the database as it is now:
 *  - every post added, updated or removed (entries that read it: its row, links, related list);
 *  - the windows of post pages where a written post now stands (new, or moved by a new date);
 *    a post that left a window was on its page (or was the one past it), so is a post it read;
 *  - the stocks and boards the written posts link, read again: entries that saw another name or
 *    issuer go (a written post may fill them);
 *  - related pages of lists written since (each list carries the write stamp of its last write:
 *    the upkeep offers new posts to other posts' lists and ranks lists again, which the feed does
 *    not say), read again; entries that showed something else go;
 *  - entries that depend on what is not followed (counts, search, ...) go with every import commit.
 * An import commit is known by the write stamp (db/writes/write-stamp.ts); a commit with no
 * changes in the feed (category pages, a reindex, the related lists ranked at an import's end) is
 * followed the same way. Every entry goes when the feed was replaced (another database) or
 * expired past where this process stood, when the server's own connection wrote, or when the
 * version moved for nothing of that on a database whose version moves only with commits
 * (PostgreSQL: a write outside the importer). On SQLite such a move is a writer starting a new
 * write-ahead log, and nothing is dropped: a write to the file by anything but newsgraph's
 * importer is not followed (docs/performance.md).
 *
 * `generation` moves whenever entries may go: a response computed by a request that started
 * before must not be stored (it may have read what the batch changed and been checked already).
 */
export class BatchInvalidation {
  generation = 0;
  last: CatchUp | null = null;
  private seen: Seen | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: Pick<ReadStore, 'dataVersion' | 'runner' | 'versionMovesWithoutCommits' | 'ownWrites'>,
    private readonly index: DependencyIndex,
    private readonly cache: CacheDrops,
  ) {}

  /** Responses the index follows: never more than the cache holds. */
  get indexed(): number {
    return this.index.size;
  }

  /** Resolves once the cache holds nothing older than the database's committed state. */
  sync(): Promise<void> {
    if (this.running) return this.running;
    const version = this.store.dataVersion();
    if (typeof version === 'string') {
      // SQLite answers at once: the common case, an unchanged version, costs no promise chain.
      if (version === this.seen?.version) return Promise.resolve();
      return this.start(version);
    }
    return version.then((v) => (v === this.seen?.version ? undefined : (this.running ?? this.start(v))));
  }

  private start(version: string): Promise<void> {
    this.generation++;
    const started = performance.now();
    this.running = this.catchUp(version)
      .catch((err: unknown) => {
        // Whatever failed, nothing stale may be served: start afresh and look again next time.
        logger.warn({ err }, 'following an import commit failed; the response cache starts afresh');
        this.dropAll();
        this.seen = null;
      })
      .finally(() => {
        if (this.last) {
          this.last.ms = performance.now() - started;
          logger.debug(this.last, 'the response cache followed an import commit');
        }
        this.running = null;
      });
    return this.running;
  }

  private dropAll(): void {
    this.cache.dropAll();
    this.index.clear();
    this.last = { changes: 0, dropped: 'all', ms: 0 };
  }

  private async catchUp(version: string): Promise<void> {
    const run = this.store.runner();
    const from = this.seen;
    const own = this.store.ownWrites?.() ?? 0;
    const stamp = await writeStamp(run);
    const rows: ChangeRow[] = [];
    let page = await changePage(run, from?.seq ?? 0, from ? FEED_PAGE : 0);
    rows.push(...page.rows);
    while (from && page.hasMore) {
      page = await changePage(run, rows.at(-1)!.seq, FEED_PAGE);
      rows.push(...page.rows);
    }
    const seq = Math.max(page.head, rows.at(-1)?.seq ?? 0);
    this.seen = { version, feedId: page.feedId, seq, stamp, own };
    // First look: nothing is cached yet.
    if (!from) return;
    if (from.feedId !== page.feedId || page.prunedThrough > from.seq || own !== from.own) return this.dropAll();
    if (stamp === from.stamp && rows.length === 0) {
      if (!this.store.versionMovesWithoutCommits) this.dropAll();
      return;
    }
    const drop = new Set<string>();
    const add = (keys: Iterable<string>) => {
      for (const k of keys) drop.add(k);
    };
    const written = [...new Set(rows.filter((r) => r.kind !== 'REMOVED').map((r) => r.postId))];
    const now = await writtenPosts(run, written);
    add(this.index.tagged(rows.map((r) => postTag(r.postId))));
    add(this.index.windowsHolding(now.keys));
    const still = (deps: SeenDependency[]) =>
      deps.map((d) => ({ ...d, seenBy: new Map([...d.seenBy].filter(([key]) => !drop.has(key))) }));
    add(await changed(still(this.index.seen('s', now.stockIds)), (ids) => stockRows(run, ids)));
    add(await changed(still(this.index.seen('b', now.boardIds)), (ids) => boardRows(run, ids)));
    add(await this.changedRelated(run, await this.relatedWrittenSince(run, from.stamp, still(this.index.seen('r')))));
    this.cache.drop(drop);
    for (const key of drop) this.index.forget(key);
    this.last = { changes: rows.length, dropped: drop.size, ms: 0 };
  }

  /**
   * Of the related pages entries saw, those of lists written since write stamp `after` (each list
   * carries the stamp of its last write): their rows' stamps read by key, no list decoded.
   */
  private async relatedWrittenSince(run: SqlRunner, after: number, deps: SeenDependency[]) {
    if (deps.length === 0) return deps;
    const postOf = (d: SeenDependency) => Number(d.what.slice(0, d.what.indexOf(':')));
    const written = await runOnRunner(run, listsWrittenSince(after, [...new Set(deps.map(postOf))]));
    return deps.filter((d) => written.has(postOf(d)));
  }

  /** Entries that showed a related page which now reads otherwise, pages grouped by offset and limit. */
  private async changedRelated(run: SqlRunner, deps: SeenDependency[]): Promise<Set<string>> {
    const out = new Set<string>();
    const groups = new Map<string, SeenDependency[]>();
    for (const d of deps) {
      const group = d.what.slice(d.what.indexOf(':') + 1);
      if (!groups.has(group)) groups.set(group, []);
      groups.get(group)!.push(d);
    }
    for (const [group, list] of groups) {
      const [offset, limit] = group.split(':').map(Number);
      for (const key of await changed(
        list,
        async (ids) => {
          const live = new Set<number>();
          const pairs = await relatedCoverage(run, ids.map(Number), offset, limit, (l) =>
            l.forEach((id) => live.add(id)),
          );
          const now = new Map<string, string>();
          for (const id of ids) {
            const shown = pairs.filter((p) => p.src === Number(id));
            // A list gone live follows the archive's weights: whatever it shows now, it is not followed.
            if (!live.has(Number(id))) now.set(`${id}:${group}`, relatedSignature(shown));
          }
          return now;
        },
        (d) => d.what.slice(0, d.what.indexOf(':')),
      ))
        out.add(key);
    }
    return out;
  }
}

/**
 * Entries whose signature of a dependency differs from the database's now. `read` takes ids (per
 * CHECK_CHUNK) and returns the current signature by `what`; a dependency it does not return is gone.
 */
async function changed(
  deps: SeenDependency[],
  read: (ids: string[]) => Promise<Map<string, string>>,
  idOf: (d: SeenDependency) => string = (d) => d.what,
): Promise<Set<string>> {
  const out = new Set<string>();
  const live = deps.filter((d) => d.seenBy.size > 0);
  for (let i = 0; i < live.length; i += CHECK_CHUNK) {
    const chunk = live.slice(i, i + CHECK_CHUNK);
    const now = await read(chunk.map(idOf));
    for (const d of chunk) for (const [key, signature] of d.seenBy) if (now.get(d.what) !== signature) out.add(key);
  }
  return out;
}

async function stockRows(run: SqlRunner, ids: string[]): Promise<Map<string, string>> {
  const rows = await stocksByIds(run, ids.map(Number));
  return new Map(rows.map((s) => [String(s.id), stockSignature(s)]));
}

async function boardRows(run: SqlRunner, ids: string[]): Promise<Map<string, string>> {
  const rows = await boardsByIds(run, ids.map(Number));
  return new Map(rows.map((b) => [String(b.id), boardSignature(b)]));
}
