import type { Pool } from 'pg';
import type { FileOutcome, PostRecord } from '../ingest/types';
import {
  mentionTotal,
  outranksFile,
  slugifyName,
  type ArchiveWriter,
  type BatchCounts,
  type FileMeta,
  type PendingFile,
  type ReportEntry,
  type SourceFileRow,
} from './archive-writer';
import { pgArray, PgType, unnest } from './pg-binary';
import { Part, Pipeline } from './pg-pipeline';
import { searchVectorBinary } from './pg-search-vector';

type EntityKind = 'category' | 'tag' | 'stock' | 'board' | 'organization';
const KINDS: EntityKind[] = ['category', 'tag', 'stock', 'board', 'organization'];
type Touched = Record<EntityKind, Set<number>>;

/** source_file rows fetched per round trip by `file()` and `prune()`, in path order. */
const FILE_PAGE = 2000;
/** Posts per search-vector INSERT (see BatchWrite.flush). */
const SEARCH_SLICE = 50;

// --- What SqliteWriter's statements become ----------------------------------------------------

/** Entity tables: the identifying column first, then what a new row is inserted with. */
const ENTITY: Record<EntityKind, { table: string; cols: [string, PgType][] }> = {
  category: {
    table: 'category',
    cols: [
      ['slug', 'text'],
      ['name', 'text'],
    ],
  },
  tag: {
    table: 'tag',
    cols: [
      ['name', 'text'],
      ['slug', 'text'],
    ],
  },
  organization: { table: 'organization', cols: [['name', 'text']] },
  stock: {
    table: 'stock',
    cols: [
      ['symbol', 'text'],
      ['code', 'text'],
      ['market', 'text'],
      ['market_id', 'int'],
      ['exchange', 'text'],
      ['secid', 'text'],
      ['name', 'text'],
    ],
  },
  board: {
    table: 'board',
    cols: [
      ['code', 'text'],
      ['secid', 'text'],
      ['name', 'text'],
    ],
  },
};

const LINK: Record<EntityKind, { table: string; col: string }> = {
  category: { table: 'post_category', col: 'category_id' },
  tag: { table: 'post_tag', col: 'tag_id' },
  stock: { table: 'post_stock', col: 'stock_id' },
  board: { table: 'post_board', col: 'board_id' },
  organization: { table: 'post_organization', col: 'organization_id' },
};

/**
 * Count column and its value, as SqliteWriter's recount. An organization counts the posts that
 * name it or that it published: SqliteWriter's UNION of both, written as "named, plus published
 * and not named" (the same number, 4x faster here: no hashing of every post id).
 */
const COUNT: Record<EntityKind, [string, string]> = {
  category: ['post_count', 'SELECT count(*) FROM post_category WHERE category_id = u.id'],
  tag: ['post_count', 'SELECT count(*) FROM post_tag WHERE tag_id = u.id'],
  stock: ['coverage_count', 'SELECT count(*) FROM post_stock WHERE stock_id = u.id'],
  board: ['post_count', 'SELECT count(*) FROM post_board WHERE board_id = u.id'],
  organization: [
    'post_count',
    `(SELECT count(*) FROM post_organization WHERE organization_id = u.id)
    + (SELECT count(*) FROM post p WHERE p.publisher_id = u.id
         AND NOT EXISTS (SELECT 1 FROM post_organization o WHERE o.post_id = p.id AND o.organization_id = u.id))`,
  ],
};

const POST_COLS: [string, PgType][] = [
  ['id', 'int'],
  ['url', 'text'],
  ['slug', 'text'],
  ['title', 'text'],
  ['date_ms', 'bigint'],
  ['date_offset', 'int'],
  ['excerpt', 'text'],
  ['html', 'text'],
  ['text', 'text'],
  ['body', 'text'],
  ['front_matter', 'text'],
  ['source_url', 'text'],
  ['archive_id', 'int'],
  ['path', 'text'],
  ['content_hash', 'text'],
  ['publisher_id', 'int'],
];

const FILE_COLS: [string, PgType][] = [
  ['id', 'int'],
  ['archive_id', 'int'],
  ['path', 'text'],
  ['size', 'bigint'],
  ['mtime_ms', 'bigint'],
  ['file_hash', 'text'],
  ['status', 'text'],
  ['reason', 'text'],
  ['url', 'text'],
];

function emptyTouched(): Touched {
  return { category: new Set(), tag: new Set(), stock: new Set(), board: new Set(), organization: new Set() };
}

function fileRow(r: Record<string, any>): SourceFileRow {
  return {
    id: r.id,
    size: Number(r.size),
    mtimeMs: Number(r.mtime_ms),
    fileHash: r.file_hash,
    status: r.status,
    reason: r.reason,
    url: r.url,
  };
}

function fileKey(f: { archiveId: number; path: string }): string {
  return `${f.archiveId}\0${f.path}`;
}

/** Order of PostgreSQL's COLLATE "C" (UTF-8 bytes), which JS's `<` on UTF-16 units is not. */
function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

const noNul = (s: string) => (s.includes('\0') ? s.replace(/\0/g, '\uFFFD') : s);
const noNulOrNull = (s: string | null) => (s === null ? null : noNul(s));

/**
 * PostgreSQL text cannot hold U+0000 (SQLite's can): it becomes U+FFFD, as Markdown makes it in
 * bodies. Only the short strings YAML can fill with one (`title: "a\0b"`) are checked: a file with
 * a NUL byte is not read, so bodies and renderings never hold one.
 */
function cleanOutcome(o: FileOutcome): FileOutcome {
  if (o.kind === 'page') {
    return o.page
      ? { ...o, page: { ...o.page, category: noNul(o.page.category), title: noNulOrNull(o.page.title) } }
      : o;
  }
  if (o.kind !== 'post') return { ...o, reason: noNul(o.reason) };
  const r = o.record;
  const x = r.extraction;
  const strings = [
    r.title,
    r.slug,
    r.url,
    ...r.categories,
    ...r.tags,
    x.publisher ?? '',
    ...x.stocks.map((s) => s.name ?? ''),
    ...x.boards.map((b) => b.name ?? ''),
    ...x.organizations.map((g) => g.name),
  ];
  if (!strings.some((s) => s.includes('\0'))) return o;
  return {
    kind: 'post',
    record: {
      ...r,
      title: noNul(r.title),
      slug: noNul(r.slug),
      url: noNul(r.url),
      categories: r.categories.map(noNul),
      tags: r.tags.map(noNul),
      extraction: {
        publisher: noNulOrNull(x.publisher),
        stocks: x.stocks.map((s) => ({ ...s, name: noNulOrNull(s.name) })),
        boards: x.boards.map((b) => ({ ...b, name: noNulOrNull(b.name) })),
        organizations: x.organizations.map((g) => ({ ...g, name: noNul(g.name) })),
      },
    },
  };
}

/** The tables the read queries plan over. */
const ANALYZED_TABLES = [
  'post',
  'post_category',
  'post_tag',
  'post_stock',
  'post_board',
  'post_organization',
  'post_search',
  'category',
  'tag',
  'stock',
  'board',
  'organization',
  'source_file',
];

/**
 * The PostgreSQL twin of SqliteWriter: the same rows, ids included, after the same imports.
 * SqliteWriter runs ~15 statements per post, each a network round trip here; this writer plays a
 * batch in memory instead, in order, exactly as SqliteWriter's statements would play it, against
 * the rows the batch can reach (fetched with one statement per table), then writes the outcome
 * with a few multi-row statements per table.
 */

export class PgWriter implements ArchiveWriter {
  /** Entity ids by key (category slug, tag name, stock symbol, board code, organization name). */
  readonly ids: Record<EntityKind, Map<string, number>> = {
    category: new Map(),
    tag: new Map(),
    stock: new Map(),
    board: new Map(),
    organization: new Map(),
  };
  /** Stocks/boards whose name or issuer we have set already, so we skip needless updates. */
  readonly named = new Set<string>();
  private readonly roots = new Map<number, string>();
  readonly orphanUrls = new Set<string>();
  /**
   * source_file rows of one archive from path `from` to `to` (null: to the end), in path order.
   * The walk asks for every file in (nearly) that order, so one query answers thousands of calls,
   * and memory stays bounded whatever the archive's size (all rows of a 1M-file archive at once
   * would take hundreds of MB). Dropped on every write, so it never answers with a stale row.
   */
  private page: { archiveId: number; from: string; to: string | null; rows: Map<string, SourceFileRow> } | null = null;
  /** Whether the server compresses with lz4 (PostgreSQL 14+ built with it); asked once. */
  private lz4: Promise<boolean> | null = null;
  /** Something was committed since the last `finish`. */
  private wroteAny = false;

  constructor(private readonly pool: Pool) {}

  /**
   * Runs `fn` in one transaction on one client; on failure the id caches are dropped with the
   * rolled-back rows. `fn` says whether it wrote (then `finish` refreshes statistics; data_version
   * response cache keys on it), so an import that changes nothing writes nothing.
   */
  private async tx<T>(fn: (p: Pipeline) => Promise<{ result: T; wrote: boolean }>): Promise<T> {
    this.lz4 ??= this.pool
      .query(`SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`)
      .then((r) => r.rows.length > 0);
    const lz4 = await this.lz4;
    const c = await this.pool.connect();
    const p = new Pipeline(c);
    let broken: Error | undefined;
    try {
      // JIT: a batch's statements run once each, and their estimated costs crossed jit_above_cost:
      // compiling took 250 ms of a 290 ms recount. Bodies, renderings and search vectors are
      // TOASTed: pglz took half of a post insert's server time, lz4 a fifth of that (reading
      // either is transparent).
      p.send(`BEGIN; SET LOCAL jit = off${lz4 ? '; SET LOCAL default_toast_compression = lz4' : ''}`);
      const { result, wrote } = await fn(p);
      this.wroteAny ||= wrote;
      p.send('COMMIT');
      await p.done();
      return result;
    } catch (err) {
      try {
        await p.rollback();
      } catch (e) {
        broken = e as Error; // the connection is unusable: the pool must not hand it out again
      }
      for (const map of Object.values(this.ids)) map.clear();
      this.named.clear();
      throw err;
    } finally {
      c.release(broken);
      this.page = null;
    }
  }

  /**
   * Fresh planner statistics once an import wrote: autovacuum gets to it minutes later, and until
   * then the read queries were planned for an empty database (related coverage took 0.5 s instead
   * of 30 ms at 20k posts: hash joins over whole tables).
   */
  async finish(): Promise<void> {
    if (!this.wroteAny) return;
    this.wroteAny = false;
    await this.pool.query(`ANALYZE ${ANALYZED_TABLES.join(', ')}`);
  }

  async archive(root: string, configHash: string): Promise<{ id: number; configChanged: boolean }> {
    const { rows } = await this.pool.query('SELECT id, config_hash FROM archive WHERE root = $1', [root]);
    if (rows.length) {
      this.roots.set(rows[0].id, root);
      return { id: rows[0].id, configChanged: rows[0].config_hash !== configHash };
    }
    // The hash is stored on insert, and replaced by saveConfigHash only (see SqliteWriter.archive).
    const id = await this.tx(async (p) => ({
      result: (
        await p.query('INSERT INTO archive (root, config_hash) VALUES ($1, $2) RETURNING id', [root, configHash])
      )[0].id as number,
      wrote: true,
    }));
    this.roots.set(id, root);
    return { id, configChanged: true };
  }

  async saveConfigHash(archiveId: number, configHash: string): Promise<void> {
    await this.tx(async (p) => {
      await p.query('UPDATE archive SET config_hash = $1 WHERE id = $2', [configHash, archiveId]);
      return { result: undefined, wrote: true };
    });
  }

  async orphanedDuplicateUrls(): Promise<string[]> {
    const { rows } = await this.pool
      .query(`SELECT DISTINCT f.url FROM source_file f WHERE f.status = 'duplicate' AND f.url IS NOT NULL
                                              AND NOT EXISTS (SELECT 1 FROM post p WHERE p.url = f.url) ORDER BY f.url`);
    return rows.map((r) => r.url);
  }

  async file(archiveId: number, path: string): Promise<SourceFileRow | undefined> {
    const p = this.page;
    if (
      p &&
      p.archiveId === archiveId &&
      byteCompare(path, p.from) >= 0 &&
      (p.to === null || byteCompare(path, p.to) <= 0)
    ) {
      return p.rows.get(path);
    }
    const { rows } = await this.pool.query(
      `SELECT id, path, size, mtime_ms, file_hash, status, reason, url FROM source_file
        WHERE archive_id = $1 AND path >= $2 ORDER BY path LIMIT ${FILE_PAGE}`,
      [archiveId, path],
    );
    const map = new Map<string, SourceFileRow>(rows.map((r) => [r.path, fileRow(r)]));
    this.page = { archiveId, from: path, to: rows.length === FILE_PAGE ? rows[rows.length - 1].path : null, rows: map };
    return map.get(path);
  }

  /** Knows the roots of these archives (for `outranks`). */
  async loadRoots(archiveIds: Iterable<number>): Promise<void> {
    for (const id of archiveIds) {
      if (this.roots.has(id)) continue;
      this.roots.set(id, (await this.pool.query('SELECT root FROM archive WHERE id = $1', [id])).rows[0].root);
    }
  }

  /** Needs the archives' roots known (`loadRoots`). */
  outranks(a: { archiveId: number; path: string }, b: { archiveId: number; path: string }): boolean {
    return outranksFile(
      { root: this.roots.get(a.archiveId)!, path: a.path },
      { root: this.roots.get(b.archiveId)!, path: b.path },
    );
  }

  async candidatesFor(url: string): Promise<{ archiveId: number; root: string; path: string }[]> {
    const { rows } = await this.pool.query(
      `SELECT f.archive_id AS "archiveId", a.root, f.path FROM source_file f JOIN archive a ON a.id = f.archive_id
        WHERE f.url = $1 AND f.status = 'duplicate'`,
      [url],
    );
    for (const r of rows) this.roots.set(r.archiveId, r.root);
    return rows.sort((a, b) => (this.outranks(a, b) ? -1 : this.outranks(b, a) ? 1 : 0));
  }

  async report(
    archiveId: number,
  ): Promise<{ skipped: ReportEntry[]; failed: ReportEntry[]; duplicates: ReportEntry[] }> {
    const out = { skipped: [] as ReportEntry[], failed: [] as ReportEntry[], duplicates: [] as ReportEntry[] };
    const { rows } = await this.pool.query(
      `SELECT path, status, reason FROM source_file WHERE archive_id = $1 AND status IN ('skipped', 'failed', 'duplicate', 'unpublished') ORDER BY path`,
      [archiveId],
    );
    for (const r of rows) {
      const entry = { path: r.path, reason: r.reason };
      if (r.status === 'failed') out.failed.push(entry);
      else if (r.status === 'duplicate') out.duplicates.push(entry);
      else out.skipped.push(entry);
    }
    return out;
  }

  async writeBatch(batch: PendingFile[]): Promise<BatchCounts> {
    if (batch.length === 0) return { new: 0, updated: 0, unchanged: 0 };
    return this.tx(async (p) => ({ result: await new BatchWrite(this, p).run(batch), wrote: true }));
  }

  /** Forgets files gone from disk (their posts go too), in one transaction; returns their paths. */
  async prune(archiveId: number, exists: (path: string) => boolean): Promise<string[]> {
    return this.tx(async (p) => {
      // In pages, in path order (SqliteWriter's order: its query walks the (archive_id, path) index).
      const gone: { id: number; path: string; status: string; url: string | null }[] = [];
      for (let after = ''; ;) {
        const rows = await p.query(
          `SELECT id, path, status, url FROM source_file WHERE archive_id = $1 AND path > $2 ORDER BY path LIMIT ${FILE_PAGE}`,
          [archiveId, after],
        );
        for (const r of rows) if (!exists(r.path)) gone.push(r as (typeof gone)[number]);
        if (rows.length < FILE_PAGE) break;
        after = rows[rows.length - 1].path;
      }
      if (gone.length === 0) return { result: [], wrote: false };
      // The posts these files own go (SqliteWriter.dropPostOf), their permalinks left to duplicates.
      const owners = gone.filter((f) => f.status === 'post' && f.url);
      const v = unnest([
        ['url', 'text', owners.map((f) => f.url)],
        ['path', 'text', owners.map((f) => f.path)],
      ]);
      const posts = await p.query(
        `SELECT p.id, p.url FROM post p JOIN ${v.from} ON p.url = v.url AND p.path = v.path AND p.archive_id = $3`,
        [...v.args, archiveId],
      );
      const byUrl = new Map<string, number>(posts.map((r) => [r.url, r.id]));
      const doomed: number[] = [];
      for (const f of owners) {
        const id = byUrl.get(f.url!);
        if (id === undefined) continue;
        doomed.push(id);
        this.orphanUrls.add(f.url!);
      }
      const touched = emptyTouched();
      await deletePosts(p, doomed, doomed, touched);
      p.send('DELETE FROM source_file WHERE id = ANY($1::int[])', [
        pgArray(
          'int',
          gone.map((f) => f.id),
        ),
      ]);
      p.sendTogether(recount(touched));
      await p.done();
      return { result: gone.map((f) => f.path), wrote: true };
    });
  }
}

/**
 * Deletes the link and search rows of posts `unlink`, marking what the links pointed at and the
 * posts' publishers for recounting; then the posts `remove` (a subset).
 */
async function deletePosts(p: Pipeline, unlink: number[], remove: number[], touched: Touched): Promise<void> {
  if (unlink.length === 0) return;
  // Both sent before the first wait: later statements may insert posts at the freed permalinks.
  const rows = p.ask(
    `WITH ${KINDS.map((k) => `d_${k} AS (DELETE FROM ${LINK[k].table} WHERE post_id = ANY($1::int[]) RETURNING ${LINK[k].col} AS id)`).join(', ')},
          s AS (DELETE FROM post_search WHERE post_id = ANY($1::int[]))
     ${KINDS.map((k) => `SELECT '${k}' AS kind, id FROM d_${k}`).join(' UNION ALL ')}
     UNION ALL SELECT 'organization', publisher_id FROM post WHERE id = ANY($1::int[]) AND publisher_id IS NOT NULL`,
    [pgArray('int', unlink)],
  );
  if (remove.length) p.send('DELETE FROM post WHERE id = ANY($1::int[])', [pgArray('int', remove)]);
  for (const r of await rows) touched[r.kind as EntityKind].add(r.id);
}

/**
 * Recomputes the counts of touched entities; writes only what differs. Sent after the links are
 * written: a statement does not see what its own CTEs write.
 */
function recount(touched: Touched): Part[] {
  return KINDS.filter((k) => touched[k].size > 0).map((k) => {
    const [col, count] = COUNT[k];
    return {
      sql: `UPDATE ${ENTITY[k].table} t SET ${col} = n.count FROM (SELECT u.id, (${count}) AS count FROM unnest($1::int[]) AS u(id)) n
             WHERE t.id = n.id AND t.${col} <> n.count`,
      args: [pgArray('int', [...touched[k]])],
    };
  });
}

/** A source_file row as the batch being played leaves it. */
interface FileState extends Omit<SourceFileRow, 'id'> {
  archiveId: number;
  path: string;
  /** Has a row (before the batch, or inserted by it). */
  exists: boolean;
  /** Row id before the batch; null for a row the batch inserts. */
  id: number | null;
  /** For a row the batch inserts: which of the batch's upserts inserted it (its id comes from there). */
  insertAt: number;
  dirty: boolean;
}

/** A post row as the batch being played leaves it. */
interface PostState {
  /** Row id before the batch; null for a post the batch inserts. */
  id: number | null;
  /** For a post the batch inserts: which of the batch's inserts it is (its id comes from there). */
  seq: number;
  archiveId: number;
  path: string;
  contentHash: string;
  title: string;
  dateMs: number;
  /** publisher_id before the batch (its count changes when the post is rewritten or deleted). */
  oldPublisherId: number | null;
  /** What the batch writes to the row. */
  written: { meta: FileMeta; rec: PostRecord } | null;
}

/**
 * One writeBatch: plays the batch in memory, in order, as SqliteWriter runs it statement by
 * statement (each file sees what the files before it in the batch did), then writes the result.
 */
class BatchWrite {
  private readonly files = new Map<string, FileState>();
  /** Posts by permalink (null where there is none): every permalink the batch can reach. */
  private readonly posts = new Map<string, PostState | null>();
  /** Posts of the table that the batch deletes. */
  private readonly deleted: PostState[] = [];
  /** Files outside the batch that lose their permalink to a file of the batch. */
  private readonly marks = new Map<string, { archiveId: number; path: string; reason: string }>();
  /** Writes that name entities, in order: SqliteWriter assigns entity ids in this order. */
  private readonly ops: ({ rec: PostRecord } | { page: { category: string; title: string } })[] = [];
  /** source_file upserts so far: SQLite's AUTOINCREMENT spends an id on each, inserting or not. */
  private upserts = 0;
  private inserts = 0;
  private readonly counts: BatchCounts = { new: 0, updated: 0, unchanged: 0 };
  private readonly touched = emptyTouched();
  /** The batch's writes to posts, links and files: sent together (they touch different rows). */
  private readonly writes: Part[] = [];

  constructor(
    private readonly w: PgWriter,
    private readonly p: Pipeline,
  ) {}

  async run(batch: PendingFile[]): Promise<BatchCounts> {
    const items = batch.map((it) => ('touch' in it ? it : { meta: it.meta, outcome: cleanOutcome(it.outcome) }));
    await this.prefetch(items);
    for (const item of items) {
      const f = this.files.get(fileKey(item.meta))!;
      if ('touch' in item) {
        // SqliteWriter.touchFile: an UPDATE, of nothing when there is no row.
        if (f.exists) Object.assign(f, { size: item.meta.size, mtimeMs: item.meta.mtimeMs, dirty: true });
        continue;
      }
      const result =
        item.outcome.kind === 'post'
          ? this.writePost(item.meta, item.outcome.record, f)
          : this.writeOther(item.meta, item.outcome, f);
      if (result === 'new' || result === 'updated' || result === 'unchanged') this.counts[result]++;
    }
    await this.flush();
    return this.counts;
  }

  /** The batch's source_file rows, and the posts at every permalink the batch can reach. */
  private async prefetch(items: PendingFile[]): Promise<void> {
    const v = unnest([
      ['archive_id', 'int', items.map((i) => i.meta.archiveId)],
      ['path', 'text', items.map((i) => i.meta.path)],
    ]);
    const rows = await this.p.query(
      `SELECT f.id, f.archive_id, f.path, f.size, f.mtime_ms, f.file_hash, f.status, f.reason, f.url
         FROM source_file f JOIN ${v.from} ON f.archive_id = v.archive_id AND f.path = v.path`,
      v.args,
    );
    const known = new Map<string, SourceFileRow>(
      rows.map((r) => [fileKey({ archiveId: r.archive_id, path: r.path }), fileRow(r)]),
    );
    const urls = new Set<string>();
    const archives = new Set<number>();
    for (const item of items) {
      const { meta } = item;
      const row = known.get(fileKey(meta));
      archives.add(meta.archiveId);
      this.files.set(fileKey(meta), {
        archiveId: meta.archiveId,
        path: meta.path,
        exists: !!row,
        id: row?.id ?? null,
        insertAt: -1,
        size: row?.size ?? 0,
        mtimeMs: row?.mtimeMs ?? 0,
        fileHash: row?.fileHash ?? '',
        status: row?.status ?? '',
        reason: row?.reason ?? null,
        url: row?.url ?? null,
        dirty: false,
      });
      // The permalinks a write can reach: the file's own, and the one it held.
      if (row?.status === 'post' && row.url) urls.add(row.url);
      if ('outcome' in item && item.outcome.kind === 'post') urls.add(item.outcome.record.url);
    }
    for (const url of urls) this.posts.set(url, null);
    const posts = await this.p.query(
      'SELECT id, url, archive_id, path, content_hash, title, date_ms, publisher_id FROM post WHERE url = ANY($1::text[])',
      [pgArray('text', [...urls])],
    );
    for (const r of posts) {
      archives.add(r.archive_id);
      this.posts.set(r.url, {
        id: r.id,
        seq: -1,
        archiveId: r.archive_id,
        path: r.path,
        contentHash: r.content_hash,
        title: r.title,
        dateMs: Number(r.date_ms),
        oldPublisherId: r.publisher_id,
        written: null,
      });
    }
    await this.w.loadRoots(archives);
  }

  private post(url: string): PostState | null {
    const p = this.posts.get(url);
    if (p === undefined) throw new Error(`PgWriter: permalink ${url} was not fetched`);
    return p;
  }

  /** SqliteWriter.write for a file that gives no post. */
  private writeOther(meta: FileMeta, outcome: Exclude<FileOutcome, { kind: 'post' }>, f: FileState): string {
    if (f.exists && f.status === 'post' && f.url) this.dropPostOf(meta.archiveId, meta.path, f.url);
    if (outcome.kind === 'page') {
      if (outcome.page?.title != null)
        this.ops.push({ page: { category: outcome.page.category, title: outcome.page.title } });
      this.saveFile(f, meta, 'page', null, null);
    } else {
      this.saveFile(f, meta, outcome.kind, outcome.reason, null);
    }
    return 'recorded';
  }

  /** SqliteWriter.writePost */
  private writePost(meta: FileMeta, rec: PostRecord, f: FileState): string {
    if (f.exists && f.status === 'post' && f.url && f.url !== rec.url)
      this.dropPostOf(meta.archiveId, meta.path, f.url);
    const existing = this.post(rec.url);
    const sameFile = existing && existing.archiveId === meta.archiveId && existing.path === meta.path;
    if (existing && !sameFile) {
      if (!this.w.outranks(meta, existing)) {
        this.saveFile(f, meta, 'duplicate', `same permalink ${rec.url} as ${existing.path}`, rec.url);
        return 'duplicate';
      }
      this.markDuplicate(existing, `same permalink ${rec.url} as ${meta.path}`);
    }
    this.saveFile(f, meta, 'post', null, rec.url);
    if (
      sameFile &&
      existing.contentHash === rec.contentHash &&
      existing.title === rec.title &&
      existing.dateMs === rec.dateMs
    ) {
      return 'unchanged';
    }
    this.ops.push({ rec });
    const now = {
      archiveId: meta.archiveId,
      path: meta.path,
      contentHash: rec.contentHash,
      title: rec.title,
      dateMs: rec.dateMs,
      written: { meta, rec },
    };
    if (existing) {
      Object.assign(existing, now);
      return 'updated';
    }
    this.posts.set(rec.url, { id: null, seq: this.inserts++, oldPublisherId: null, ...now });
    return 'new';
  }

  /** SqliteWriter.dropPostOf */
  private dropPostOf(archiveId: number, path: string, url: string): void {
    const existing = this.post(url);
    if (!existing || existing.archiveId !== archiveId || existing.path !== path) return;
    // A post the batch inserted is just not inserted (its id stays spent, as in SQLite).
    if (existing.id !== null) this.deleted.push(existing);
    this.posts.set(url, null);
    this.w.orphanUrls.add(url);
  }

  /** An upsert: inserts the row, or updates it and spends an id (see `upserts`). */
  private saveFile(f: FileState, meta: FileMeta, status: string, reason: string | null, url: string | null): void {
    if (!f.exists) {
      f.exists = true;
      f.insertAt = this.upserts;
    }
    this.upserts++;
    Object.assign(f, {
      size: meta.size,
      mtimeMs: meta.mtimeMs,
      fileHash: meta.fileHash,
      status,
      reason,
      url,
      dirty: true,
    });
  }

  /** SqliteWriter's fileMarkDuplicate: an UPDATE of the file that held the permalink. */
  private markDuplicate(holder: { archiveId: number; path: string }, reason: string): void {
    const f = this.files.get(fileKey(holder));
    if (!f) this.marks.set(fileKey(holder), { archiveId: holder.archiveId, path: holder.path, reason });
    else if (f.exists) Object.assign(f, { status: 'duplicate', reason, dirty: true });
  }

  /** Writes what `run` played; the statements go out while the next ones are prepared. */
  private async flush(): Promise<void> {
    const p = this.p;
    // Ids from the sequences, in the order SQLite's inserts take them (a session's nextval increases).
    const sequences = p.ask(
      `SELECT (SELECT array_agg(nextval(pg_get_serial_sequence('post', 'id'))) FROM generate_series(1, $1::int)) AS post,
              (SELECT array_agg(nextval(pg_get_serial_sequence('source_file', 'id'))) FROM generate_series(1, $2::int)) AS file`,
      [this.inserts, this.upserts],
    );
    await this.resolveEntities();
    this.names();
    const [seq] = await sequences;
    const sorted = (a: unknown[] | null) => (a ?? []).map(Number).sort((x, y) => x - y);
    const postIds = sorted(seq.post);

    // Posts rewritten or deleted lose their links and search rows first.
    const finals = [...this.posts.values()].filter((s): s is PostState => s !== null && s.written !== null);
    const rewritten = finals.filter((s) => s.id !== null);
    const inserted = finals.filter((s) => s.id === null);
    for (const s of [...rewritten, ...this.deleted])
      if (s.oldPublisherId !== null) this.touched.organization.add(s.oldPublisherId);
    const unlinked = deletePosts(
      p,
      [...rewritten, ...this.deleted].map((s) => s.id!),
      this.deleted.map((s) => s.id!),
      this.touched,
    );
    for (const s of inserted) s.id = postIds[s.seq];
    this.writePosts(rewritten, 'update');
    this.writePosts(inserted, 'insert');
    this.writeLinks(finals);
    this.writeFiles(sorted(seq.file));
    await unlinked;
    p.sendTogether(this.writes);
    p.sendTogether(recount(this.touched));
    // Last, in slices: the vectors are the most JS work of a batch and their insert the most server
    // work (the GIN index), so the server inserts a slice while the next one is built.
    for (let i = 0; i < finals.length; i += SEARCH_SLICE) {
      const slice = finals.slice(i, i + SEARCH_SLICE);
      const v = unnest([
        ['post_id', 'int', slice.map((s) => s.id)],
        ['tsv', 'tsvector', slice.map((s) => searchVectorBinary(s.written!.rec.searchTokens))],
      ]);
      p.send(`INSERT INTO post_search (post_id, tsv) SELECT * FROM ${v.from}`, v.args);
      await new Promise(setImmediate); // let the slice go out before building the next
    }
    await p.done();
  }

  /** Ids of every entity the batch's writes name, inserting the new ones in first-seen order. */
  private async resolveEntities(): Promise<void> {
    const { ids } = this.w;
    const want: Record<EntityKind, Map<string, unknown[]>> = {
      category: new Map(),
      tag: new Map(),
      stock: new Map(),
      board: new Map(),
      organization: new Map(),
    };
    const need = (kind: EntityKind, row: unknown[]) => {
      const k = row[0] as string;
      if (!ids[kind].has(k) && !want[kind].has(k)) want[kind].set(k, row);
    };
    // SqliteWriter's order: a post's publisher, then its categories, tags, stocks, boards, organizations.
    for (const op of this.ops) {
      if ('page' in op) {
        need('category', [op.page.category.toLowerCase(), op.page.category]);
        continue;
      }
      const r = op.rec;
      if (r.extraction.publisher) need('organization', [r.extraction.publisher]);
      for (const name of r.categories) need('category', [name.toLowerCase(), name]);
      for (const name of r.tags) need('tag', [name, slugifyName(name) || name]);
      for (const m of r.extraction.stocks)
        need('stock', [m.symbol, m.code, m.market, m.marketId, m.exchange, m.secid, m.name]);
      for (const b of r.extraction.boards) need('board', [b.code, b.secid, b.name]);
      for (const o of r.extraction.organizations) need('organization', [o.name]);
    }
    for (const kind of KINDS) {
      if (want[kind].size === 0) continue;
      const { table, cols } = ENTITY[kind];
      const rows = [...want[kind].values()];
      const key = cols[0][0];
      const names = cols.map(([n]) => n).join(', ');
      const v = unnest(
        cols.map(([n, t], i) => [n, t, rows.map((r) => r[i])]),
        true,
      );
      // Only the missing are inserted, in order: ON CONFLICT alone would spend a sequence value on
      // each existing one, and ids would no longer be SQLite's.
      let found = await this.p.query(
        `WITH v AS (SELECT * FROM ${v.from}),
              old AS (SELECT t.id, t.${key} AS key FROM ${table} t WHERE t.${key} IN (SELECT ${key} FROM v)),
              ins AS (INSERT INTO ${table} (${names})
                      SELECT ${names} FROM v WHERE NOT EXISTS (SELECT 1 FROM old WHERE old.key = v.${key}) ORDER BY ord
                      ON CONFLICT DO NOTHING RETURNING id, ${key} AS key)
         SELECT id, key FROM old UNION ALL SELECT id, key FROM ins`,
        v.args,
      );
      if (found.length < rows.length) {
        // Another writer inserted one meanwhile (not in our snapshot, so ON CONFLICT skipped it).
        found = await this.p.query(`SELECT id, ${key} AS key FROM ${table} WHERE ${key} = ANY($1)`, [v.args[0]]);
      }
      for (const r of found) ids[kind].set(r.key, r.id);
    }
  }

  /**
   * Touched entities, and names and issuers filled once (the first that comes, as SqliteWriter),
   * category titles set by every page (the last wins). Posts rewritten later in the batch count too.
   */
  private names(): void {
    const { ids, named } = this.w;
    const touched = this.touched;
    const stockNames = new Map<number, string>();
    const boardNames = new Map<number, string>();
    const issuers = new Map<number, number>();
    const titles = new Map<number, string>();
    const filled: string[] = [];
    for (const op of this.ops) {
      if ('page' in op) {
        titles.set(ids.category.get(op.page.category.toLowerCase())!, op.page.title);
        continue;
      }
      const x = op.rec.extraction;
      if (x.publisher) touched.organization.add(ids.organization.get(x.publisher)!);
      for (const name of op.rec.categories) touched.category.add(ids.category.get(name.toLowerCase())!);
      for (const name of op.rec.tags) touched.tag.add(ids.tag.get(name)!);
      const stockIds = new Map<string, number>();
      for (const m of x.stocks) {
        const id = ids.stock.get(m.symbol)!;
        stockIds.set(m.symbol, id);
        touched.stock.add(id);
        if (m.name && !named.has(`name:${m.symbol}`) && !stockNames.has(id)) {
          stockNames.set(id, m.name);
          filled.push(`name:${m.symbol}`);
        }
      }
      for (const b of x.boards) {
        const id = ids.board.get(b.code)!;
        touched.board.add(id);
        if (b.name && !named.has(`board:${b.code}`) && !boardNames.has(id)) {
          boardNames.set(id, b.name);
          filled.push(`board:${b.code}`);
        }
      }
      for (const o of x.organizations) {
        const id = ids.organization.get(o.name)!;
        touched.organization.add(id);
        for (const symbol of o.issues) {
          const stockId = stockIds.get(symbol);
          if (stockId !== undefined && !named.has(`issuer:${symbol}`) && !issuers.has(stockId)) {
            issuers.set(stockId, id);
            filled.push(`issuer:${symbol}`);
          }
        }
      }
    }
    // A stock's name and issuer in one UPDATE: a statement must not update a row twice.
    const stocks = [...new Set([...stockNames.keys(), ...issuers.keys()])];
    if (stocks.length) {
      const v = unnest([
        ['id', 'int', stocks],
        ['name', 'text', stocks.map((id) => stockNames.get(id))],
        ['org', 'int', stocks.map((id) => issuers.get(id))],
      ]);
      this.writes.push({
        sql: `UPDATE stock t SET name = coalesce(t.name, v.name), organization_id = coalesce(t.organization_id, v.org) FROM ${v.from}
               WHERE t.id = v.id AND ((t.name IS NULL AND v.name IS NOT NULL) OR (t.organization_id IS NULL AND v.org IS NOT NULL))`,
        args: v.args,
      });
    }
    const set = (table: string, col: string, values: Map<number, string>, when: string) => {
      if (values.size === 0) return;
      const v = unnest([
        ['id', 'int', [...values.keys()]],
        ['value', 'text', [...values.values()]],
      ]);
      this.writes.push({
        sql: `UPDATE ${table} t SET ${col} = v.value FROM ${v.from} WHERE t.id = v.id AND ${when}`,
        args: v.args,
      });
    };
    set('board', 'name', boardNames, 't.name IS NULL');
    set('category', 'title', titles, 't.title IS DISTINCT FROM v.value');
    // Filled for good once committed (a rollback clears `named`).
    for (const n of filled) named.add(n);
  }

  private writePosts(posts: PostState[], how: 'insert' | 'update'): void {
    if (posts.length === 0) return;
    const orgs = this.w.ids.organization;
    const get: Record<string, (m: FileMeta, r: PostRecord, s: PostState) => unknown> = {
      id: (m, r, s) => s.id,
      url: (m, r) => r.url,
      slug: (m, r) => r.slug,
      title: (m, r) => r.title,
      date_ms: (m, r) => r.dateMs,
      date_offset: (m, r) => r.dateOffset,
      excerpt: (m, r) => r.rendering.excerpt,
      html: (m, r) => r.rendering.html,
      text: (m, r) => r.rendering.text,
      body: (m, r) => r.body,
      front_matter: (m, r) => JSON.stringify(r.frontMatter),
      source_url: (m, r) => r.rendering.sourceUrl,
      archive_id: (m) => m.archiveId,
      path: (m) => m.path,
      content_hash: (m, r) => r.contentHash,
      publisher_id: (m, r) => (r.extraction.publisher ? orgs.get(r.extraction.publisher) : null),
    };
    const v = unnest(POST_COLS.map(([n, t]) => [n, t, posts.map((s) => get[n](s.written!.meta, s.written!.rec, s))]));
    const names = POST_COLS.map(([n]) => n);
    this.writes.push({
      sql:
        how === 'insert'
          ? `INSERT INTO post (${names.join(', ')}) SELECT * FROM ${v.from}`
          : // The permalink (url) never changes: a post is found by it.
            `UPDATE post p SET ${names
              .slice(2)
              .map((n) => `${n} = v.${n}`)
              .join(', ')} FROM ${v.from} WHERE p.id = v.id`,
      args: v.args,
    });
  }

  /** Link rows of the posts the batch wrote, as their last write left them. */
  private writeLinks(posts: PostState[]): void {
    if (posts.length === 0) return;
    const { ids } = this.w;
    const listed = { category: [[], [], [], []], tag: [[], [], [], []] } as Record<'category' | 'tag', unknown[][]>;
    const counted = {
      stock: [[], [], [], [], [], [], []],
      board: [[], [], [], [], [], [], []],
      organization: [[], [], [], [], [], [], []],
    } as Record<'stock' | 'board' | 'organization', unknown[][]>;
    const push = (cols: unknown[][], ...values: unknown[]) => values.forEach((v, i) => cols[i].push(v));
    for (const s of posts) {
      const r = s.written!.rec;
      const d = r.dateMs;
      // `Foo` and `foo` are one category (its slug): linked once, at its first place, as in SqliteWriter.
      const slugs = r.categories.map((name) => name.toLowerCase());
      slugs.forEach((slug, i) => {
        if (slugs.indexOf(slug) === i) push(listed.category, s.id, ids.category.get(slug), i, d);
      });
      r.tags.forEach((name, i) => push(listed.tag, s.id, ids.tag.get(name), i, d));
      for (const m of r.extraction.stocks)
        push(
          counted.stock,
          s.id,
          ids.stock.get(m.symbol),
          mentionTotal(m.counts),
          m.counts.embed,
          m.counts.link,
          m.counts.text,
          d,
        );
      for (const b of r.extraction.boards)
        push(
          counted.board,
          s.id,
          ids.board.get(b.code),
          mentionTotal(b.counts),
          b.counts.embed,
          b.counts.link,
          b.counts.text,
          d,
        );
      // An organization named twice in a post is one row with the counts added (SqliteWriter's ON CONFLICT).
      const orgs = new Map<number, number[]>();
      for (const o of r.extraction.organizations) {
        const id = ids.organization.get(o.name)!;
        const sum = orgs.get(id) ?? [0, 0, 0, 0];
        const add = [mentionTotal(o.counts), o.counts.embed, o.counts.link, o.counts.text];
        orgs.set(
          id,
          sum.map((n, i) => n + add[i]),
        );
      }
      for (const [id, n] of orgs) push(counted.organization, s.id, id, ...n, d);
    }
    for (const k of ['category', 'tag'] as const) {
      const [post, entity, position, date] = listed[k];
      if (post.length === 0) continue;
      const v = unnest([
        ['post_id', 'int', post],
        ['id', 'int', entity],
        ['position', 'int', position],
        ['date_ms', 'bigint', date],
      ]);
      this.writes.push({
        sql: `INSERT INTO ${LINK[k].table} (post_id, ${LINK[k].col}, position, date_ms) SELECT * FROM ${v.from}`,
        args: v.args,
      });
    }
    for (const k of ['stock', 'board', 'organization'] as const) {
      const [post, entity, count, embed, link, text, date] = counted[k];
      if (post.length === 0) continue;
      const v = unnest([
        ['post_id', 'int', post],
        ['id', 'int', entity],
        ['count', 'int', count],
        ['embed', 'int', embed],
        ['link', 'int', link],
        ['text', 'int', text],
        ['date_ms', 'bigint', date],
      ]);
      this.writes.push({
        sql: `INSERT INTO ${LINK[k].table} (post_id, ${LINK[k].col}, count, embed_count, link_count, text_count, date_ms) SELECT * FROM ${v.from}`,
        args: v.args,
      });
    }
  }

  /** New rows with the ids their upsert took, changed rows, and the files that lost a permalink. */
  private writeFiles(fileIds: number[]): void {
    const dirty = [...this.files.values()].filter((f) => f.dirty);
    const rows = (files: FileState[], id: (f: FileState) => number) => {
      const values: Record<string, (f: FileState) => unknown> = {
        id,
        archive_id: (f) => f.archiveId,
        path: (f) => f.path,
        size: (f) => f.size,
        mtime_ms: (f) => f.mtimeMs,
        file_hash: (f) => f.fileHash,
        status: (f) => f.status,
        reason: (f) => f.reason,
        url: (f) => f.url,
      };
      return unnest(FILE_COLS.map(([n, t]) => [n, t, files.map(values[n])]));
    };
    const names = FILE_COLS.map(([n]) => n);
    const fresh = dirty.filter((f) => f.id === null).sort((a, b) => a.insertAt - b.insertAt);
    if (fresh.length) {
      const v = rows(fresh, (f) => fileIds[f.insertAt]);
      this.writes.push({ sql: `INSERT INTO source_file (${names.join(', ')}) SELECT * FROM ${v.from}`, args: v.args });
    }
    const old = dirty.filter((f) => f.id !== null);
    if (old.length) {
      const v = rows(old, (f) => f.id!);
      this.writes.push({
        sql: `UPDATE source_file f SET ${names
          .slice(3)
          .map((n) => `${n} = v.${n}`)
          .join(', ')} FROM ${v.from} WHERE f.id = v.id`,
        args: v.args,
      });
    }
    if (this.marks.size) {
      const m = [...this.marks.values()];
      const v = unnest([
        ['archive_id', 'int', m.map((x) => x.archiveId)],
        ['path', 'text', m.map((x) => x.path)],
        ['reason', 'text', m.map((x) => x.reason)],
      ]);
      this.writes.push({
        sql: `UPDATE source_file f SET status = 'duplicate', reason = v.reason FROM ${v.from} WHERE f.archive_id = v.archive_id AND f.path = v.path`,
        args: v.args,
      });
    }
  }
}
