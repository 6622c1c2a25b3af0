// Rebuilds stored posts' search tokens from their stored title and text, for a database whose
// index was written by an older tokenizer (the migrations that brought in simplified /
// traditional folding, then unicode61's folding in JavaScript). Both databases read the same
// pages and make the same tokens.
import type { QueryRunner } from 'typeorm';
import { indexTokens } from '../ingest/search';
import { lastTokensFolded } from '../ingest/search/tokens';
import { unpackText, type StoredText } from '../ingest/render/packed';
import { nativeSqlite } from './native';
import { searchVector } from '../ingest/search/tsvector';

/** Posts re-tokenized per statement (PostgreSQL) or per prepared-statement loop (SQLite). */
const PAGE = 1000;

interface StoredPost {
  id: number;
  title: string;
  text: StoredText;
}

/** A post's tokens, and whether unicode61's folding changed any of them (fts-fold.ts). */
function tokensOf(p: StoredPost): { title: string; body: string; folded: boolean } {
  const title = indexTokens(p.title);
  const titleFolded = lastTokensFolded();
  const body = indexTokens(unpackText(p.text, `post ${p.id}`));
  return { title, body, folded: titleFolded || lastTokensFolded() };
}

/** SQLite: the contentless FTS5 table emptied and filled again, in the caller's transaction. */
export function refoldSqliteSearch(q: QueryRunner): number {
  const db = nativeSqlite(q.connection);
  db.prepare(`INSERT INTO post_fts (post_fts) VALUES ('delete-all')`).run();
  const page = db.prepare(`SELECT id, title, text FROM post WHERE id > ? ORDER BY id LIMIT ${PAGE}`);
  const insert = db.prepare('INSERT INTO post_fts (rowid, title, body) VALUES (?, ?, ?)');
  let done = 0;
  for (let after = 0; ;) {
    const rows = page.all(after) as StoredPost[];
    if (rows.length === 0) return done;
    for (const p of rows) {
      const t = tokensOf(p);
      insert.run(p.id, t.title, t.body);
    }
    done += rows.length;
    after = rows[rows.length - 1].id;
  }
}

/**
 * PostgreSQL: each post's tsvector replaced, a page of posts a statement. `folding`: only the posts
 * whose tokens unicode61's folding changes (the others' stored vectors are already right).
 */
export async function refoldPostgresSearch(q: QueryRunner, which: 'all' | 'folding' = 'all'): Promise<number> {
  let done = 0;
  for (let after = 0; ;) {
    const rows = (await q.query(`SELECT id, title, text FROM post WHERE id > $1 ORDER BY id LIMIT ${PAGE}`, [
      after,
    ])) as StoredPost[];
    if (rows.length === 0) return done;
    const made = rows.map((p) => ({ id: p.id, ...tokensOf(p) })).filter((t) => which === 'all' || t.folded);
    if (made.length > 0)
      await q.query(
        `UPDATE post_search s SET tsv = v.tsv::tsvector FROM unnest($1::int[], $2::text[]) AS v(id, tsv) WHERE s.post_id = v.id`,
        [made.map((t) => t.id), made.map((t) => searchVector(t))],
      );
    done += made.length;
    after = rows[rows.length - 1].id;
  }
}
