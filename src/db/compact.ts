import type { Database } from 'better-sqlite3';
import { HTML_AGAINST_TEXT, repackContent } from '../ingest/render/packed';
import { SQLITE_PAGE_SIZE } from './data-source';

/** Posts packed a transaction: short enough that a server's reads and an import's batches go on. */
const PAGE = 500;

export interface CompactResult {
  /** Posts whose HTML or text was stored as text, or whose HTML was packed alone, and are packed now. */
  packed: number;
  /** The file's size before and after (pages in use, bytes). */
  bytesBefore: number;
  bytesAfter: number;
  vacuumed: boolean;
  /** The file's page size before and after (the VACUUM moves an older file to `SQLITE_PAGE_SIZE`). */
  pageSizeBefore: number;
  pageSizeAfter: number;
  /** Segments of the full-text index before and after its merge into one. */
  searchSegmentsBefore: number;
  searchSegmentsAfter: number;
}

const pageSize = (db: Database) => db.pragma('page_size', { simple: true }) as number;
const fileBytes = (db: Database) => (db.pragma('page_count', { simple: true }) as number) * pageSize(db);

/**
 * VACUUM, and on the way a file made with other pages gets `SQLITE_PAGE_SIZE` ones. WAL fixes
 * the page size, and leaving WAL needs the file to itself: while another process (a server) has
 * it open, the pages stay as they are, and the next compact without it changes them.
 */
function vacuum(db: Database): void {
  if (pageSize(db) === SQLITE_PAGE_SIZE) {
    db.exec('VACUUM');
    return;
  }
  const mode = db.pragma('journal_mode', { simple: true }) as string;
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  let rollback = mode !== 'wal';
  if (!rollback) {
    db.pragma('busy_timeout = 0'); // another connection's hold does not end by waiting
    try {
      rollback = db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    } finally {
      db.pragma(`busy_timeout = ${timeout}`);
    }
  }
  try {
    if (rollback) db.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
    db.exec('VACUUM');
  } finally {
    if (mode === 'wal' && rollback) db.pragma('journal_mode = WAL');
  }
}

/** FTS5 keeps segment s's pages at rowids [s x 2^37, (s + 1) x 2^37) of its data table. */
const SEGMENT_ROWIDS = 2 ** 37;
/** Rowids from segment id 2^16 on are the tombstone pages of deleted rows, not segments. */
const TOMBSTONE_ROWIDS = 2 ** 16 * SEGMENT_ROWIDS;

/** How many segments the full-text index has: one index seek per segment. */
export function searchIndexSegments(db: Database): number {
  const next = db.prepare('SELECT min(id) AS id FROM post_fts_data WHERE id >= ?');
  let n = 0;
  for (let at = SEGMENT_ROWIDS; at < TOMBSTONE_ROWIDS; n++) {
    const { id } = next.get(at) as { id: number | null };
    if (id === null || id >= TOMBSTONE_ROWIDS) break;
    at = (Math.floor(id / SEGMENT_ROWIDS) + 1) * SEGMENT_ROWIDS;
  }
  return n;
}

/**
 * Packs the HTML and text that a build before packing stored as text, and packs against its text
 * the HTML that a build before that packed alone (render/packed.ts), a page
 * of posts a transaction; merges the full-text index into one segment; then (`vacuum`) rewrites
 * the file so the freed pages leave it. Reads answer the same before, during and after: they take
 * either form, and a merge changes no match.
 *
 * Imports leave the index in segments that FTS5 merges four at a time (14 at 1M posts), and a
 * query reads each term's doclist in every one of them: merged into one, the search page's
 * statement took 0.99-1.38 -> 0.66-0.70 ms (p50) over the bench's searches at 1M (docs/performance.md,
 * "Eleventh session"). The merge rewrites the whole index in one transaction (54 s at 1M), so it
 * belongs here, beside VACUUM, and not in imports. The VACUUM also gives a file made with 4 KB
 * pages 8 KB ones where it can (see `vacuum`).
 */
export function compactSqlite(
  db: Database,
  opts: { vacuum: boolean; onProgress?: (done: number, total: number) => void },
): CompactResult {
  const bytesBefore = fileBytes(db);
  const pageSizeBefore = pageSize(db);
  const against = `x'${HTML_AGAINST_TEXT.toString(16).padStart(2, '0')}'`;
  const plain = `(typeof(html) = 'text' OR typeof(text) = 'text' OR substr(html, 1, 1) <> ${against})`;
  const total = (db.prepare(`SELECT count(*) AS n FROM post WHERE ${plain}`).get() as { n: number }).n;
  const next = db.prepare(`SELECT id, html, text FROM post WHERE id > ? AND ${plain} ORDER BY id LIMIT ${PAGE}`);
  const update = db.prepare('UPDATE post SET html = ?, text = ? WHERE id = ?');
  let packed = 0;
  let after = 0;
  opts.onProgress?.(0, total);
  for (;;) {
    const rows = next.all(after) as { id: number; html: string | Uint8Array; text: string | Uint8Array }[];
    if (rows.length === 0) break;
    db.transaction(() => {
      for (const r of rows) {
        const content = repackContent(r.html, r.text, `post ${r.id}`);
        update.run(content.html, content.text, r.id);
      }
    })();
    packed += rows.length;
    after = rows[rows.length - 1].id;
    opts.onProgress?.(packed, Math.max(total, packed));
  }
  const searchSegmentsBefore = searchIndexSegments(db);
  if (searchSegmentsBefore > 1) db.exec(`INSERT INTO post_fts (post_fts) VALUES ('optimize')`);
  const searchSegmentsAfter = searchIndexSegments(db);
  if (opts.vacuum) vacuum(db);
  return {
    packed,
    bytesBefore,
    bytesAfter: fileBytes(db),
    vacuumed: opts.vacuum,
    pageSizeBefore,
    pageSizeAfter: pageSize(db),
    searchSegmentsBefore,
    searchSegmentsAfter,
  };
}
