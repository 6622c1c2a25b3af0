/**
 * The four pages the benchmark loads, as GraphQL documents, and the arguments picked from the
 * imported database (deterministic for a given archive).
 */
import type { Database } from 'better-sqlite3';
import { queryExpression } from '../src/ingest/search';

export const FRONT_PAGE = `query FrontPage {
  posts(first: 20) {
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

/**
 * The arguments: the most-covered stock over the archive's busiest year, the word of SEARCH_WORDS
 * closest to 2% of posts (frequent, not ubiquitous), and 50 posts spread evenly over the archive
 * (each linking at least one stock) for the post page.
 */
export function pickRequests(db: Database): BenchRequest[] {
  const stock = db
    .prepare('SELECT symbol, name, coverage_count AS n FROM stock ORDER BY coverage_count DESC, id LIMIT 1')
    .get() as { symbol: string; name: string; n: number };
  const year = db
    .prepare(
      `SELECT strftime('%Y', date_ms / 1000, 'unixepoch') AS y, count(*) AS n FROM post GROUP BY y ORDER BY n DESC, y LIMIT 1`,
    )
    .get() as { y: string };
  const from = `${year.y}-01-01T00:00:00Z`;
  const to = `${year.y}-12-31T23:59:59Z`;

  const total = (db.prepare('SELECT count(*) AS n FROM post').get() as { n: number }).n;
  const scored = SEARCH_WORDS.map((w) => ({ w, n: ftsCountSafe(db, w) })).filter((x) => x.n > 0);
  const target = total * 0.02;
  scored.sort((a, b) => Math.abs(Math.log((a.n + 1) / (target + 1))) - Math.abs(Math.log((b.n + 1) / (target + 1))));
  const word = scored[0] ?? { w: SEARCH_WORDS[0], n: 0 };

  const linked = (db.prepare('SELECT count(DISTINCT post_id) AS n FROM post_stock').get() as { n: number }).n;
  const step = Math.max(1, Math.floor(linked / 50));
  const slugs = (
    db
      .prepare(
        `SELECT slug FROM (SELECT p.id, p.slug, row_number() OVER (ORDER BY p.date_ms, p.id) AS i FROM post p
      WHERE EXISTS (SELECT 1 FROM post_stock x WHERE x.post_id = p.id)) WHERE i % ? = 0 ORDER BY i LIMIT 50`,
      )
      .all(step) as { slug: string }[]
  ).map((r) => r.slug);

  return [
    {
      name: 'front',
      label: 'front page',
      bodies: [body(FRONT_PAGE)],
      detail: 'posts(first: 20) + categories, tags, publisher, stocks, relatedCoverage(first: 3)',
    },
    {
      name: 'stock',
      label: 'stock page',
      bodies: [body(STOCK_PAGE, { symbol: stock.symbol, from, to })],
      detail: `stock(symbol: "${stock.symbol}") ${stock.name} (${stock.n} posts), posts(first: 20) in ${year.y}, coMentioned(10), coverageTimeline(MONTH)`,
    },
    {
      name: 'search',
      label: 'search',
      bodies: [body(SEARCH, { q: word.w })],
      detail: `search(query: "${word.w}", first: 20): ${word.n} matching posts`,
    },
    {
      name: 'post',
      label: 'post page',
      bodies: slugs.map((slug) => body(POST_PAGE, { slug })),
      detail: `post(slug:) with html, text, mentions, relatedCoverage(5); ${slugs.length} posts round-robin`,
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
