/**
 * What the search page's full-text statements cost over the bench's searches, in process.
 *
 *   node dist/bench/search-cost.js --db FILE
 *
 * The searches are the bench's (SEARCH_WORDS and the stock names, most covered first, as
 * pickRequests takes them). Each statement runs over every query once to warm up, then once
 * timed; prints mean, p50 and p90 in ms. The first is the one `searchPage` runs (bm25 over the
 * newest RANKED_TEXT_LIMIT matches); the others take its parts away (docs/performance.md,
 * "Eleventh session").
 */
import Database from 'better-sqlite3';
import { queryExpression } from '../src/ingest/search';
import { RANKED_TEXT_LIMIT } from '../src/db/queries/search';
import { SEARCH_WORDS } from './queries';

function argValue(name: string): string {
  const i = process.argv.indexOf(name);
  if (i < 0 || !process.argv[i + 1])
    throw new Error(`usage: node dist/bench/search-cost.js --db FILE (${name} missing)`);
  return process.argv[i + 1];
}

const STATEMENTS: Record<string, string> = {
  'bm25, newest first': `SELECT rowid, bm25(post_fts, 10.0, 1.0) FROM post_fts WHERE post_fts MATCH ? ORDER BY rowid DESC LIMIT ${RANKED_TEXT_LIMIT}`,
  'bm25, rowid order': `SELECT rowid, bm25(post_fts, 10.0, 1.0) FROM post_fts WHERE post_fts MATCH ? LIMIT ${RANKED_TEXT_LIMIT}`,
  'no bm25, newest first': `SELECT rowid FROM post_fts WHERE post_fts MATCH ? ORDER BY rowid DESC LIMIT ${RANKED_TEXT_LIMIT}`,
  [`counted up to ${RANKED_TEXT_LIMIT + 1}`]: `SELECT count(*) FROM (SELECT rowid FROM post_fts WHERE post_fts MATCH ? LIMIT ${RANKED_TEXT_LIMIT + 1})`,
};

function main(): void {
  const db = new Database(argValue('--db'), { readonly: true, fileMustExist: true });
  // As the server reads (sqliteReadStore).
  db.pragma(`mmap_size = ${4 * 1024 ** 3}`);
  db.pragma(`cache_size = -${64 * 1024}`);
  const names = (
    db
      .prepare(
        `SELECT DISTINCT name FROM stock WHERE name IS NOT NULL AND length(name) >= 2 ORDER BY coverage_count DESC, name`,
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
  const queries = [...new Set([...SEARCH_WORDS, ...names])].map(queryExpression).filter((e): e is string => !!e);
  const posts = (db.prepare('SELECT count(*) AS n FROM post').get() as { n: number }).n;
  console.log(`${posts} posts, ${queries.length} searches; ms per query`);
  for (const [label, sql] of Object.entries(STATEMENTS)) {
    const st = db.prepare(sql);
    for (const q of queries) st.all(q);
    const ms: number[] = [];
    for (const q of queries) {
      const t0 = process.hrtime.bigint();
      st.all(q);
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    ms.sort((a, b) => a - b);
    const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
    const at = (p: number) => ms[Math.min(ms.length - 1, Math.floor(ms.length * p))];
    console.log(`${label.padEnd(24)} mean ${mean.toFixed(3)}  p50 ${at(0.5).toFixed(3)}  p90 ${at(0.9).toFixed(3)}`);
  }
  db.close();
}

main();
