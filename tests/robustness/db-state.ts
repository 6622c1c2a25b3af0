// Shared by the robustness tests: a canonical, id-free dump of what an import wrote, and the
// invariants that must hold after every committed transaction (so also after a crash).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BACKEND, TempDatabase } from '../helpers/db';

export const ROOT = path.join(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'newsgraph.js');

/**
 * The compiled CLI, checked: these tests run `node bin/newsgraph.js` (the real process, with its
 * parser worker threads), which needs `dist/` (`npm test` builds it first).
 */
export function requireCompiledCli(): string {
  const main = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
  const importer = path.join(ROOT, 'dist', 'src', 'db', 'importer.js');
  if (!fs.existsSync(main) || !fs.existsSync(importer)) {
    throw new Error(
      `the compiled CLI is missing (${path.relative(ROOT, main)}): run \`npm run build\` (or \`npm test\`, which builds first)`,
    );
  }
  if (!fs.readFileSync(importer, 'utf8').includes('NEWSGRAPH_BATCH_SIZE')) {
    throw new Error(
      `${path.relative(ROOT, importer)} is older than src/db/importer.ts (no NEWSGRAPH_BATCH_SIZE): run \`npm run build\``,
    );
  }
  return BIN;
}

const rows = (db: Database, sql: string) => db.prepare(sql).raw().all() as unknown[][];

/**
 * Everything an import decides, without row ids (they depend on insertion history): posts by url,
 * link rows by (url, entity key), entity counts, source files, and the full-text rows.
 */
const DUMP: Record<string, string> = {
  post: `SELECT url, path, content_hash, title, date_ms, date_offset, slug, source_url, sha256(html), sha256(text), o.name
         FROM post p LEFT JOIN organization o ON o.id = p.publisher_id`,
  post_category: `SELECT p.url, c.slug, pc.position, pc.date_ms FROM post_category pc JOIN post p ON p.id = pc.post_id JOIN category c ON c.id = pc.category_id`,
  post_tag: `SELECT p.url, t.name, pt.position, pt.date_ms FROM post_tag pt JOIN post p ON p.id = pt.post_id JOIN tag t ON t.id = pt.tag_id`,
  post_stock: `SELECT p.url, s.symbol, ps.count, ps.embed_count, ps.link_count, ps.text_count, ps.date_ms
               FROM post_stock ps JOIN post p ON p.id = ps.post_id JOIN stock s ON s.id = ps.stock_id`,
  post_board: `SELECT p.url, b.code, pb.count, pb.embed_count, pb.link_count, pb.text_count FROM post_board pb JOIN post p ON p.id = pb.post_id JOIN board b ON b.id = pb.board_id`,
  post_organization: `SELECT p.url, o.name, po.count, po.embed_count, po.link_count, po.text_count
                      FROM post_organization po JOIN post p ON p.id = po.post_id JOIN organization o ON o.id = po.organization_id`,
  category: 'SELECT slug, name, title, post_count FROM category',
  tag: 'SELECT name, slug, post_count FROM tag',
  stock:
    'SELECT s.symbol, s.name, s.exchange, s.coverage_count, o.name FROM stock s LEFT JOIN organization o ON o.id = s.organization_id',
  board: 'SELECT code, name, post_count FROM board',
  organization: 'SELECT name, post_count FROM organization',
  source_file: 'SELECT path, size, mtime_ms, file_hash, status, reason, url, publish_at_ms FROM source_file',
  archive: 'SELECT root, config_hash FROM archive',
  post_fts: 'SELECT p.url FROM post_fts f JOIN post p ON p.id = f.rowid',
  // The index is contentless: compare its vocabulary (term, documents, occurrences), which does
  // not depend on row ids.
  post_fts_vocab: 'SELECT term, col, doc, cnt FROM temp.newsgraph_fts_vocab',
};

export function canonicalDump(db: Database): Record<string, string[]> {
  const q = DUMP;
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.newsgraph_fts_vocab USING fts5vocab('main', 'post_fts', 'col')`);
  db.function('sha256', (s: string | number | bigint | Buffer | null) =>
    s === null ? null : createHash('sha256').update(String(s)).digest('hex').slice(0, 16),
  );
  const out: Record<string, string[]> = {};
  for (const [name, sql] of Object.entries(q))
    out[name] = rows(db, sql)
      .map((r) => JSON.stringify(r))
      .sort();
  return out;
}

/** The first difference between two dumps, readable; null when they are equal. */
export function dumpDifference(actual: Record<string, string[]>, expected: Record<string, string[]>): string | null {
  for (const table of Object.keys(expected)) {
    const a = actual[table] ?? [];
    const e = expected[table];
    if (a.length === e.length && a.every((r, i) => r === e[i])) continue;
    const aSet = new Set(a);
    const eSet = new Set(e);
    const missing = e.filter((r) => !aSet.has(r)).slice(0, 3);
    const extra = a.filter((r) => !eSet.has(r)).slice(0, 3);
    return `${table}: ${a.length} rows, expected ${e.length}; missing ${JSON.stringify(missing)}; unexpected ${JSON.stringify(extra)}`;
  }
  return null;
}

const DUPLICATES_CHECK = 'duplicates whose permalink has no post';
/** Invariant checks common to both databases: each query returns the violating rows. */
const CHECKS: [string, string][] = [
  [
    'posts without their source file',
    `SELECT p.url, p.path FROM post p LEFT JOIN source_file f ON f.archive_id = p.archive_id AND f.path = p.path
                                       WHERE f.id IS NULL OR f.status <> 'post' OR f.url IS DISTINCT FROM p.url`,
  ],
  [
    'source files marked post without a post',
    `SELECT f.path FROM source_file f LEFT JOIN post p ON p.archive_id = f.archive_id AND p.path = f.path
                                                WHERE f.status = 'post' AND p.id IS NULL`,
  ],
  [
    'category.post_count',
    'SELECT slug, post_count FROM category c WHERE post_count <> (SELECT count(*) FROM post_category WHERE category_id = c.id)',
  ],
  [
    'tag.post_count',
    'SELECT name, post_count FROM tag t WHERE post_count <> (SELECT count(*) FROM post_tag WHERE tag_id = t.id)',
  ],
  [
    'stock.coverage_count',
    'SELECT symbol, coverage_count FROM stock s WHERE coverage_count <> (SELECT count(*) FROM post_stock WHERE stock_id = s.id)',
  ],
  [
    'board.post_count',
    'SELECT code, post_count FROM board b WHERE post_count <> (SELECT count(*) FROM post_board WHERE board_id = b.id)',
  ],
  [
    'organization.post_count',
    `SELECT name, post_count FROM organization o WHERE post_count <> (SELECT count(*) FROM (
                                 SELECT post_id FROM post_organization WHERE organization_id = o.id UNION SELECT id FROM post WHERE publisher_id = o.id) AS x)`,
  ],
  // A duplicate takes over a permalink at the end of an import (after a crash: at the end of the next one).
  [
    DUPLICATES_CHECK,
    `SELECT f.path, f.url FROM source_file f WHERE f.status = 'duplicate' AND NOT EXISTS (SELECT 1 FROM post p WHERE p.url = f.url)`,
  ],
];

/** A change-feed row, and where the feed stands (read_model_state). */
export interface FeedRow {
  seq: number;
  kind: string;
  postId: number;
  url: string;
}
export interface FeedState {
  rows: FeedRow[];
  head: number;
  pruned: number;
}

const FEED_SQL = 'SELECT seq, kind, post_id AS "postId", url FROM post_change ORDER BY seq';
const FEED_STATE_SQL = `SELECT name, value FROM read_model_state WHERE name IN ('change_seq', 'change_pruned_through')`;

function feedState(rows: Record<string, unknown>[], state: { name: string; value: unknown }[]): FeedState {
  const value = (name: string) => Number(state.find((r) => r.name === name)?.value ?? 0);
  return {
    rows: rows.map((r) => ({ seq: Number(r.seq), kind: String(r.kind), postId: Number(r.postId), url: String(r.url) })),
    head: value('change_seq'),
    pruned: value('change_pruned_through'),
  };
}

/** The change feed of a SQLite database (empty before its migration ran). */
export function readFeed(db: Database): FeedState {
  if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'post_change'`).get())
    return { rows: [], head: 0, pruned: 0 };
  return feedState(
    db.prepare(FEED_SQL).all() as Record<string, unknown>[],
    db.prepare(FEED_STATE_SQL).all() as { name: string; value: number }[],
  );
}

/** The change feed of the suite's database. */
export async function readFeedOf(t: TempDatabase): Promise<FeedState> {
  if (BACKEND === 'sqlite') return readFeed(t.db);
  return feedState(await t.query(FEED_SQL), await t.query(FEED_STATE_SQL));
}

/**
 * The change feed's invariants in a committed state: numbered with no gap from the last seq
 * retention dropped up to the head, and, when nothing was dropped, replaying it from the start
 * gives exactly the stored posts: a post is ADDED once, then only UPDATED until it is REMOVED, and
 * a removed post's id never comes back. So no committed change is missing and none is there twice.
 */
export function feedProblems(feed: FeedState, posts: { id: number; url: string }[]): string[] {
  const problems: string[] = [];
  const gaps = feed.rows.filter((r, i) => i > 0 && r.seq !== feed.rows[i - 1].seq + 1);
  if (gaps.length)
    problems.push(
      `feed: ${gaps.length} gaps, e.g. before seq ${gaps
        .slice(0, 3)
        .map((r) => r.seq)
        .join(', ')}`,
    );
  const last = feed.rows.length ? feed.rows[feed.rows.length - 1].seq : feed.head;
  if (last !== feed.head) problems.push(`feed: the last change is ${last}, the head ${feed.head}`);
  if (feed.rows.length && feed.rows[0].seq !== feed.pruned + 1) {
    problems.push(`feed: starts at ${feed.rows[0].seq}, but only up to ${feed.pruned} was dropped`);
  }
  if (feed.pruned > 0) return problems;
  const live = new Map<number, string>();
  const gone = new Set<number>();
  for (const c of feed.rows) {
    const wrong = (why: string) => {
      if (problems.length < 10) problems.push(`feed: seq ${c.seq} ${c.kind} ${c.postId} ${c.url}: ${why}`);
    };
    if (c.kind === 'ADDED') {
      if (live.has(c.postId) || gone.has(c.postId)) wrong('the post was added before');
      live.set(c.postId, c.url);
    } else if (c.kind === 'UPDATED' || c.kind === 'REMOVED') {
      if (live.get(c.postId) !== c.url) wrong('no such post in the feed');
      if (c.kind === 'REMOVED') {
        live.delete(c.postId);
        gone.add(c.postId);
      }
    } else wrong('unknown kind');
  }
  const stored = new Map(posts.map((p) => [Number(p.id), p.url]));
  const missing = [...stored].filter(([id, url]) => live.get(id) !== url);
  const extra = [...live].filter(([id]) => !stored.has(id));
  if (missing.length)
    problems.push(`feed: ${missing.length} stored posts not replayed, e.g. ${JSON.stringify(missing.slice(0, 3))}`);
  if (extra.length)
    problems.push(`feed: ${extra.length} replayed posts not stored, e.g. ${JSON.stringify(extra.slice(0, 3))}`);
  return problems;
}

/** Each permalink's changes, oldest first, from the changes after `afterSeq`. */
export function kindsByUrl(feed: FeedState, afterSeq = 0): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of feed.rows) {
    if (c.seq <= afterSeq) continue;
    const list = out.get(c.url) ?? [];
    list.push(c.kind);
    out.set(c.url, list);
  }
  return out;
}

/**
 * Invariants of every committed state: each post belongs to the source file that says so, has its
 * full-text row, every stored count equals its link rows, and the change feed replays to the stored
 * posts. `complete`: the last import ran to its end. Returns the violations.
 */
export function consistencyProblems(db: Database, opts: { complete: boolean }): string[] {
  const problems: string[] = [];
  problems.push(
    ...feedProblems(readFeed(db), db.prepare('SELECT id, url FROM post').all() as { id: number; url: string }[]),
  );
  const check = (what: string, sql: string) => {
    const bad = rows(db, sql);
    if (bad.length > 0) problems.push(`${what}: ${bad.length} rows, e.g. ${JSON.stringify(bad.slice(0, 3))}`);
  };
  for (const [what, sql] of CHECKS) if (opts.complete || what !== DUPLICATES_CHECK) check(what, sql);
  check(
    'posts without a full-text row',
    'SELECT p.url FROM post p WHERE NOT EXISTS (SELECT 1 FROM post_fts f WHERE f.rowid = p.id)',
  );
  check(
    'full-text rows without a post',
    'SELECT f.rowid FROM post_fts f WHERE NOT EXISTS (SELECT 1 FROM post p WHERE p.id = f.rowid)',
  );
  try {
    // FTS5's own check of its index (reads only).
    db.prepare(`INSERT INTO post_fts (post_fts) VALUES ('integrity-check')`).run();
  } catch (err) {
    problems.push(`post_fts integrity-check: ${(err as Error).message}`);
  }
  return problems;
}

// The same two checks on the suite's database, SQLite or PostgreSQL (whose search index is a
// tsvector per post instead of FTS5 rows).

const PG_DUMP: Record<string, string> = {
  post: `SELECT url, path, content_hash, title, date_ms, date_offset, slug, source_url, md5(html), md5(text), o.name
         FROM post p LEFT JOIN organization o ON o.id = p.publisher_id`,
  post_search: 'SELECT p.url, md5(s.tsv::text) FROM post_search s JOIN post p ON p.id = s.post_id',
};

export async function canonicalDumpOf(t: TempDatabase): Promise<Record<string, string[]>> {
  if (BACKEND === 'sqlite') return canonicalDump(t.db);
  const sqliteOnly = new Set(['post', 'post_fts', 'post_fts_vocab']);
  const shared = Object.entries(DUMP).filter(([name]) => !sqliteOnly.has(name));
  const out: Record<string, string[]> = {};
  for (const [name, sql] of [...shared, ...Object.entries(PG_DUMP)]) {
    out[name] = (await t.query<Record<string, unknown>>(sql)).map((r) => JSON.stringify(Object.values(r))).sort();
  }
  return out;
}

export async function consistencyProblemsOf(t: TempDatabase, opts: { complete: boolean }): Promise<string[]> {
  if (BACKEND === 'sqlite') return consistencyProblems(t.db, opts);
  const problems: string[] = [];
  const checks: [string, string][] = [
    ...CHECKS.filter(([what]) => opts.complete || what !== DUPLICATES_CHECK),
    [
      'posts without a search row',
      'SELECT p.url FROM post p WHERE NOT EXISTS (SELECT 1 FROM post_search s WHERE s.post_id = p.id)',
    ],
    [
      'search rows without a post',
      'SELECT s.post_id FROM post_search s WHERE NOT EXISTS (SELECT 1 FROM post p WHERE p.id = s.post_id)',
    ],
  ];
  for (const [what, sql] of checks) {
    const bad = await t.query(sql);
    if (bad.length > 0) problems.push(`${what}: ${bad.length} rows, e.g. ${JSON.stringify(bad.slice(0, 3))}`);
  }
  problems.push(
    ...feedProblems(await readFeedOf(t), await t.query<{ id: number; url: string }>('SELECT id, url FROM post')),
  );
  return problems;
}
