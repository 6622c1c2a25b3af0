import type { Database } from 'better-sqlite3';
import { packText } from '../ingest/render/packed';

/** Posts packed a transaction: short enough that a server's reads and an import's batches go on. */
const PAGE = 500;

export interface CompactResult {
  /** Posts whose HTML or text was stored as text and is packed now. */
  packed: number;
  /** The file's size before and after (pages in use, bytes). */
  bytesBefore: number;
  bytesAfter: number;
  vacuumed: boolean;
}

const fileBytes = (db: Database) =>
  (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);

/**
 * Packs the HTML and text that a build before packing stored as text (render/packed.ts), a page
 * of posts a transaction, then (`vacuum`) rewrites the file so the freed pages leave it. Reads
 * answer the same before, during and after: they take either form.
 */
export function compactSqlite(
  db: Database,
  opts: { vacuum: boolean; onProgress?: (done: number, total: number) => void },
): CompactResult {
  const bytesBefore = fileBytes(db);
  const plain = `(typeof(html) = 'text' OR typeof(text) = 'text')`;
  const total = (db.prepare(`SELECT count(*) AS n FROM post WHERE ${plain}`).get() as { n: number }).n;
  const next = db.prepare(`SELECT id, html, text FROM post WHERE id > ? AND ${plain} ORDER BY id LIMIT ${PAGE}`);
  const update = db.prepare('UPDATE post SET html = ?, text = ? WHERE id = ?');
  const pack = (v: string | Uint8Array) => (typeof v === 'string' ? packText(v) : v);
  let packed = 0;
  let after = 0;
  opts.onProgress?.(0, total);
  for (;;) {
    const rows = next.all(after) as { id: number; html: string | Uint8Array; text: string | Uint8Array }[];
    if (rows.length === 0) break;
    db.transaction(() => {
      for (const r of rows) update.run(pack(r.html), pack(r.text), r.id);
    })();
    packed += rows.length;
    after = rows[rows.length - 1].id;
    opts.onProgress?.(packed, Math.max(total, packed));
  }
  if (opts.vacuum) db.exec('VACUUM');
  return { packed, bytesBefore, bytesAfter: fileBytes(db), vacuumed: opts.vacuum };
}
