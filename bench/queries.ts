/**
 * The four pages the benchmark loads, as GraphQL documents, and the arguments picked from the
 * imported database (deterministic for a given archive).
 */
import type { Database } from 'better-sqlite3';
import { queryExpression } from '../src/ingest/search';

export const FRONT_PAGE = `query FrontPage($after: String) {
  posts(first: 20, after: $after) {
    edges { node {
      id url title date excerpt
      categories { slug name }
      tags { name }
      publisher { id name }
      stocks { symbol name }
      relatedCoverage(first: 3) { edges { score node { id url title date } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const STOCK_PAGE = `query StockPage($symbol: String!, $from: DateTime, $to: DateTime) {
  stock(symbol: $symbol) {
    id symbol name coverageCount
    organization { id name }
    posts(first: 20, filter: { dateFrom: $from, dateTo: $to }) {
      totalCount
      edges { node { id url title date excerpt publisher { name } stocks { symbol name } } }
      pageInfo { hasNextPage endCursor }
    }
    coMentioned(first: 10) { count stock { symbol name } }
    coverageTimeline(interval: MONTH) { start count }
  }
}`;

export const SEARCH = `query Search($q: String!) {
  search(query: $q, first: 20) {
    totalCount
    edges { score snippet node { id url title date publisher { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const POST_PAGE = `query PostPage($slug: String!) {
  post(slug: $slug) {
    id url title date excerpt sourceUrl html text
    categories { slug name }
    tags { name }
    publisher { id name }
    stocks { symbol name }
    stockMentions { count via embedCount linkCount textCount stock { symbol } }
    boards { code name }
    organizations { id name }
    relatedCoverage(first: 5) { edges { score sharedStocks { symbol } node { id url title date } } }
  }
}`;

export interface BenchRequest {
  name: 'front' | 'stock' | 'search' | 'post';
  label: string;
  /** JSON request bodies; the load test sends them round-robin. */
  bodies: string[];
  /** What the arguments were, for the report. */
  detail: string;
}

const body = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });

/** Candidate two-character search words from bench/gen/words.ts (company and clause vocabulary). */
export const SEARCH_WORDS = ['联通', '储能', '回暖', '茅台'];

/** Posts with this word in title or body, via the FTS index. */
function ftsCount(db: Database, word: string): number {
  return (
    db.prepare('SELECT count(*) AS n FROM post_fts WHERE post_fts MATCH ?').get(queryExpression(word)) as { n: number }
  ).n;
}

/** Distinct request bodies per page: enough that a measurement at the uncached rates sends each once. */
export const LONG_TAIL = 2000;

/**
 * A long tail of distinct requests, as real traffic has it (deterministic for a given archive):
 * front pages reached by cursor all over the archive, the 200 most-covered stocks over each year
 * and all time, searches for the names of the most-covered stocks (and the SEARCH_WORDS), and
 * posts spread evenly over the archive (each linking a stock). The first body of each is the
 * classic one (first front page, the most-covered stock, ...), which the statement count and
 * the floor's identity check use.
 */
export function pickRequests(db: Database): BenchRequest[] {
  const total = (db.prepare('SELECT count(*) AS n FROM post').get() as { n: number }).n;

  const pageStep = Math.max(1, Math.floor(total / LONG_TAIL));
  const cursors = (
    db
      .prepare(
        `SELECT date_ms AS d, id FROM (SELECT date_ms, id, row_number() OVER (ORDER BY date_ms DESC, id DESC) AS i FROM post)
          WHERE i % ? = 0 ORDER BY i LIMIT ?`,
      )
      .all(pageStep, LONG_TAIL - 1) as { d: number; id: number }[]
  ).map((r) => Buffer.from(JSON.stringify(['post', [r.d, r.id]])).toString('base64url'));
  const front = [body(FRONT_PAGE), ...cursors.map((after) => body(FRONT_PAGE, { after }))];

  const stocks = db
    .prepare('SELECT symbol, name, coverage_count AS n FROM stock ORDER BY coverage_count DESC, id LIMIT 200')
    .all() as { symbol: string; name: string | null; n: number }[];
  const years = (
    db.prepare(`SELECT DISTINCT strftime('%Y', date_ms / 1000, 'unixepoch') AS y FROM post ORDER BY y`).all() as {
      y: string;
    }[]
  ).map((r) => r.y);
  const windows: { from?: string; to?: string }[] = [
    {},
    ...years.map((y) => ({ from: `${y}-01-01T00:00:00Z`, to: `${y}-12-31T23:59:59Z` })),
  ];
  // Stock by stock within a window, window after window: consecutive requests name different stocks.
  const stockBodies = windows.flatMap((w) => stocks.map((st) => body(STOCK_PAGE, { symbol: st.symbol, ...w })));

  const names = (
    db
      .prepare(
        `SELECT DISTINCT name FROM stock WHERE name IS NOT NULL AND length(name) >= 2
                 ORDER BY coverage_count DESC, name LIMIT ?`,
      )
      .all(LONG_TAIL) as { name: string }[]
  ).map((r) => r.name);
  const words = SEARCH_WORDS.filter((w) => ftsCountSafe(db, w) > 0);
  const searches = [...new Set([...words, ...names])].map((q) => body(SEARCH, { q }));

  const linked = (db.prepare('SELECT count(DISTINCT post_id) AS n FROM post_stock').get() as { n: number }).n;
  const step = Math.max(1, Math.floor(linked / LONG_TAIL));
  const slugs = (
    db
      .prepare(
        `SELECT slug FROM (SELECT p.id, p.slug, row_number() OVER (ORDER BY p.date_ms, p.id) AS i FROM post p
      WHERE EXISTS (SELECT 1 FROM post_stock x WHERE x.post_id = p.id)) WHERE i % ? = 0 ORDER BY i LIMIT ?`,
      )
      .all(step, LONG_TAIL) as { slug: string }[]
  ).map((r) => r.slug);

  return [
    {
      name: 'front',
      label: 'front page',
      bodies: front,
      detail: `posts(first: 20, after:) + categories, tags, publisher, stocks, relatedCoverage(first: 3); ${front.length} pages by cursor`,
    },
    {
      name: 'stock',
      label: 'stock page',
      bodies: stockBodies,
      detail: `stock(symbol:) posts(first: 20) in a year or all time, coMentioned(10), coverageTimeline(MONTH); ${stocks.length} stocks x ${windows.length} windows`,
    },
    {
      name: 'search',
      label: 'search',
      bodies: searches,
      detail: `search(query:, first: 20) with snippets and totalCount; ${searches.length} queries (stock names, ${words.join(' ')})`,
    },
    {
      name: 'post',
      label: 'post page',
      bodies: slugs.map((slug) => body(POST_PAGE, { slug })),
      detail: `post(slug:) with html, text, mentions, relatedCoverage(5); ${slugs.length} posts`,
    },
  ];
}

function ftsCountSafe(db: Database, word: string): number {
  try {
    return ftsCount(db, word);
  } catch {
    return 0;
  }
}
