/**
 * The four pages the benchmark loads, as GraphQL documents, and the arguments picked from the
 * imported database (deterministic for a given archive).
 */
import type { Database } from 'better-sqlite3';
import { RELATED_KEPT } from '../src/db/related/rank';
import { queryExpression } from '../src/ingest/search';
import { spread } from './spread';

/** The page sizes the documents take: the measured one, and the two the statement count compares. */
export const PAGE_SIZE = 20;
export const PAGE_SIZES_COMPARED = [5, 50] as const;

export const frontPage = (first: number) => `query FrontPage($after: String) {
  posts(first: ${first}, after: $after) {
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
export const FRONT_PAGE = frontPage(PAGE_SIZE);

export const stockPage = (first: number) => `query StockPage($symbol: String!, $from: DateTime, $to: DateTime) {
  stock(symbol: $symbol) {
    id symbol name coverageCount
    organization { id name }
    posts(first: ${first}, filter: { dateFrom: $from, dateTo: $to }) {
      totalCount
      edges { node { id url title date excerpt publisher { name } stocks { symbol name } } }
      pageInfo { hasNextPage endCursor }
    }
    coMentioned(first: 10) { count stock { symbol name } }
    coverageTimeline(interval: MONTH) { start count }
  }
}`;
export const STOCK_PAGE = stockPage(PAGE_SIZE);

export const search = (first: number) => `query Search($q: String!) {
  search(query: $q, first: ${first}) {
    totalCount
    edges { score snippet node { id url title date publisher { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
export const SEARCH = search(PAGE_SIZE);

/** A post page's list of posts is its related coverage: 5 as measured. */
export const postPage = (related: number) => `query PostPage($slug: String!) {
  post(slug: $slug) {
    id url title date excerpt sourceUrl html text
    categories { slug name }
    tags { name }
    publisher { id name }
    stocks { symbol name }
    stockMentions { count via embedCount linkCount textCount stock { symbol } }
    boards { code name }
    organizations { id name }
    relatedCoverage(first: ${related}) { edges { score sharedStocks { symbol } node { id url title date } } }
  }
}`;
export const POST_PAGE = postPage(5);

/** A search page's side panel: every facet of a filtered set (or a search's hits). */
export const facetsPage = (first: number) => `query Facets($filter: PostFilter, $search: String) {
  postFacets(filter: $filter, search: $search) {
    total
    categories(first: ${first}) { count category { slug title } }
    tags(first: ${first}) { count tag { name } }
    stocks(first: ${first}) { count stock { symbol name } }
    boards(first: ${first}) { count board { code name } }
    publishers(first: ${first}) { count publisher { name } }
    dates(interval: MONTH) { start count }
  }
}`;
export const FACETS_PAGE = facetsPage(10);

export interface BenchRequest {
  name: 'front' | 'stock' | 'search' | 'post' | 'stock-full' | 'search-full' | 'facets';
  label: string;
  /** JSON request bodies; the load test sends them round-robin. */
  bodies: string[];
  /** The document at another page size (posts per page; a post page's related posts). */
  document: (pageSize: number) => string;
  /** Page sizes whose statement counts must be equal; default 5, 20 and 50. */
  sizes?: readonly number[];
  /**
   * Larger sizes that #12 lets compute live (a post page's related posts past the stored lists):
   * their counts are reported and must be equal to one another, not to `sizes`.
   */
  liveSizes?: readonly number[];
  /** What the arguments were, for the report. */
  detail: string;
}

const body = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });

/** Candidate two-character search words from bench/gen/words.ts (company and clause vocabulary). */
export const SEARCH_WORDS = ['联通', '储能', '回暖', '茅台'];

/** The names the search long tail asks for: most-covered stocks first. */
function stockNames(db: Database): string[] {
  return (
    db
      .prepare(
        `SELECT DISTINCT name FROM stock WHERE name IS NOT NULL AND length(name) >= 2
                 ORDER BY coverage_count DESC, name LIMIT ?`,
      )
      .all(LONG_TAIL) as { name: string }[]
  ).map((r) => r.name);
}

/** Posts with this word in title or body, via the FTS index. */
function ftsCount(db: Database, word: string): number {
  return (
    db.prepare('SELECT count(*) AS n FROM post_fts WHERE post_fts MATCH ?').get(queryExpression(word)) as { n: number }
  ).n;
}

/**
 * Distinct request bodies per page, at most: enough that a measurement at the uncached rates
 * (warm-up, measured run and the serial requests together) sends each body once. The load test
 * reports when it had to send one again (LoadResult.bodies).
 */
export const LONG_TAIL = 20_000;
/**
 * Front pages by cursor. The in-memory ceiling (ceiling-data.ts) preloads every post on them: at
 * 100k posts, all of them, in seconds now that related lists are stored.
 */
export const FRONT_PAGES = LONG_TAIL;
/** Stock pages: this many stocks, most-covered first, in blocks of STOCK_BLOCK, each block over every window. */
const STOCKS = 2000;
const STOCK_BLOCK = 200;

const cursorOf = (dateMs: number, id: number) =>
  Buffer.from(JSON.stringify(['post', [dateMs, id]])).toString('base64url');

/**
 * A long tail of distinct requests, as real traffic has it (deterministic for a given archive):
 * front pages reached by cursor all over the archive, the most-covered stocks over each year and
 * all time, searches for the names of the most-covered stocks (and the SEARCH_WORDS), and posts
 * spread evenly over the archive (each linking a stock). Front pages and posts come in spread
 * order (spread.ts), so any prefix samples the whole archive; stocks come 200 at a time over all
 * windows, most-covered first. The first body of each is the classic one (first front page, the
 * most-covered stock, ...), which the statement count and the floor's identity check use.
 */
export function pickRequests(db: Database): BenchRequest[] {
  const total = (db.prepare('SELECT count(*) AS n FROM post').get() as { n: number }).n;

  const pageStep = Math.max(1, Math.ceil(total / FRONT_PAGES));
  const cursors = (
    db
      .prepare(
        `SELECT date_ms AS d, id FROM (SELECT date_ms, id, row_number() OVER (ORDER BY date_ms DESC, id DESC) AS i FROM post)
          WHERE i % ? = 0 AND i < ? ORDER BY i LIMIT ?`,
      )
      // Not after the oldest post: that page would be empty.
      .all(pageStep, total, FRONT_PAGES - 1) as { d: number; id: number }[]
  ).map((r) => cursorOf(r.d, r.id));
  const front = spread([body(FRONT_PAGE), ...cursors.map((after) => body(FRONT_PAGE, { after }))]);

  const stocks = db
    .prepare('SELECT symbol, name, coverage_count AS n FROM stock ORDER BY coverage_count DESC, id LIMIT ?')
    .all(STOCKS) as { symbol: string; name: string | null; n: number }[];
  const years = (
    db.prepare(`SELECT DISTINCT strftime('%Y', date_ms / 1000, 'unixepoch') AS y FROM post ORDER BY y`).all() as {
      y: string;
    }[]
  ).map((r) => r.y);
  const windows: { from?: string; to?: string }[] = [
    {},
    ...years.map((y) => ({ from: `${y}-01-01T00:00:00Z`, to: `${y}-12-31T23:59:59Z` })),
  ];
  // Stock by stock within a window, window after window, block by block: consecutive requests name
  // different stocks, and the first 200 x windows bodies are the 200 most-covered stocks.
  const stockBodies: string[] = [];
  for (let b = 0; b < stocks.length; b += STOCK_BLOCK)
    for (const w of windows)
      for (const st of stocks.slice(b, b + STOCK_BLOCK))
        stockBodies.push(body(STOCK_PAGE, { symbol: st.symbol, ...w }));

  const names = stockNames(db);
  const words = SEARCH_WORDS.filter((w) => ftsCountSafe(db, w) > 0);
  const searches = [...new Set([...words, ...names])].map((q) => body(SEARCH, { q }));

  const linked = (db.prepare('SELECT count(DISTINCT post_id) AS n FROM post_stock').get() as { n: number }).n;
  // Rounded up, so the picks reach the newest posts.
  const step = Math.max(1, Math.ceil(linked / LONG_TAIL));
  const slugs = (
    db
      .prepare(
        `SELECT slug FROM (SELECT p.id, p.slug, row_number() OVER (ORDER BY p.date_ms, p.id) AS i FROM post p
      WHERE EXISTS (SELECT 1 FROM post_stock x WHERE x.post_id = p.id)) WHERE i % ? = 0 ORDER BY i LIMIT ?`,
      )
      .all(step, LONG_TAIL) as { slug: string }[]
  ).map((r) => r.slug);

  // Facets over sets of a few percent of the archive and more: all posts, the categories and tags
  // that hold 2-25% of the posts (the case is a tenth), the 50 most-covered stocks, each
  // over every window; then the search words' hits.
  const sets = (
    db
      .prepare(
        `SELECT 'categories' AS field, c.slug AS v, c.post_count AS n FROM category c WHERE c.post_count BETWEEN ? AND ?
         UNION ALL SELECT 'tags', t.name, t.post_count FROM tag t WHERE t.post_count BETWEEN ? AND ?
         ORDER BY n DESC, v`,
      )
      .all(total * 0.02, total * 0.25, total * 0.02, total * 0.25) as { field: string; v: string; n: number }[]
  ).map((r) => ({ [r.field]: [r.v] }));
  // First in each window: its every post (the read model's counts; bounded by dates alone).
  const facetFilters = [{}, ...sets, ...stocks.slice(0, 50).map((st) => ({ stocks: [st.symbol] }))];
  const facetBodies: string[] = [];
  for (const w of windows)
    for (const f of facetFilters)
      facetBodies.push(body(FACETS_PAGE, { filter: { ...f, dateFrom: w.from, dateTo: w.to } }));
  facetBodies.push(...words.map((q) => body(FACETS_PAGE, { search: q })));

  return [
    {
      name: 'front',
      label: 'front page',
      bodies: front,
      document: frontPage,
      detail: `posts(first: 20, after:) + categories, tags, publisher, stocks, relatedCoverage(first: 3); ${front.length} pages by cursor`,
    },
    {
      name: 'stock',
      label: 'stock page',
      bodies: stockBodies,
      document: stockPage,
      detail: `stock(symbol:) posts(first: 20) in a year or all time, coMentioned(10), coverageTimeline(MONTH); ${stocks.length} stocks x ${windows.length} windows`,
    },
    {
      name: 'search',
      label: 'search',
      bodies: searches,
      document: search,
      detail: `search(query:, first: 20) with snippets and totalCount; ${searches.length} queries (stock names, ${words.join(' ')})`,
    },
    {
      name: 'post',
      label: 'post page',
      bodies: spread(slugs.map((slug) => body(POST_PAGE, { slug }))),
      document: postPage,
      // A stored list of RELATED_KEPT answers pages of up to RELATED_KEPT - 1 (its last entry only
      // says a next page exists); larger pages continue the ranking live.
      sizes: [PAGE_SIZES_COMPARED[0], 10, RELATED_KEPT - 1],
      liveSizes: [RELATED_KEPT, PAGE_SIZES_COMPARED[1], 100],
      detail: `post(slug:) with html, text, mentions, relatedCoverage(5); ${slugs.length} posts`,
    },
    {
      name: 'facets',
      label: 'facets',
      bodies: facetBodies,
      document: facetsPage,
      detail: `postFacets(filter:) every facet, first 10, MONTH dates; every post, ${sets.length} categories/tags of 2-25% of the posts and 50 stocks x ${windows.length} windows, then ${words.length} searches`,
    },
  ];
}

/**
 * Stock pages that show a full page at any archive size, for the growth series: the stock page of
 * pickRequests names the same most-covered stocks at every size, which at 10k posts show a few
 * posts a page and at 1M a full 20, so its growth measures the page filling up. Here each body is
 * a stock and a window (all time or a year) holding at least PAGE_SIZE of its posts, most-covered
 * stocks first, at most STOCKS x windows bodies, in the same block order as the stock page.
 */
export function fullStockPages(db: Database): BenchRequest {
  const rows = db
    .prepare(
      `SELECT s.symbol, w.y, w.n FROM (
         SELECT stock_id, strftime('%Y', date_ms / 1000, 'unixepoch') AS y, count(*) AS n FROM post_stock GROUP BY stock_id, y
       ) w JOIN stock s ON s.id = w.stock_id
       WHERE s.id IN (SELECT id FROM stock WHERE coverage_count >= ? ORDER BY coverage_count DESC, id LIMIT ?)
       ORDER BY s.coverage_count DESC, s.id, w.y`,
    )
    .all(PAGE_SIZE, STOCKS) as { symbol: string; y: string; n: number }[];
  const bySymbol = new Map<string, { from?: string; to?: string }[]>();
  for (const r of rows) {
    // All time first: the stock qualifies for it (coverage >= PAGE_SIZE).
    const windows = bySymbol.get(r.symbol) ?? [{}];
    if (r.n >= PAGE_SIZE) windows.push({ from: `${r.y}-01-01T00:00:00Z`, to: `${r.y}-12-31T23:59:59Z` });
    bySymbol.set(r.symbol, windows);
  }
  const symbols = [...bySymbol.keys()];
  const bodies: string[] = [];
  for (let b = 0; b < symbols.length; b += STOCK_BLOCK) {
    const block = symbols.slice(b, b + STOCK_BLOCK);
    const most = Math.max(...block.map((s) => bySymbol.get(s)!.length));
    for (let w = 0; w < most; w++)
      for (const symbol of block) {
        const win = bySymbol.get(symbol)![w];
        if (win) bodies.push(body(STOCK_PAGE, { symbol, ...win }));
      }
  }
  return {
    name: 'stock-full',
    label: 'stock page, full pages',
    bodies,
    document: stockPage,
    detail: `the stock page for stocks and windows holding >= ${PAGE_SIZE} posts; ${symbols.length} stocks, ${bodies.length} pages`,
  };
}

/**
 * Searches that show a full page at any archive size, for the growth series: the search of
 * pickRequests asks for the same stock names at every size, which at 10k posts find a hit or two
 * (responses of ~1.8 KB) and at 1M a full 20 (~12 KB), so its growth measures the page filling up.
 * Here each body is one of those queries whose text matches alone fill a page.
 */
export function fullSearchPages(db: Database): BenchRequest {
  const queries = [...new Set([...SEARCH_WORDS, ...stockNames(db)])].filter((q) => ftsCountSafe(db, q) >= PAGE_SIZE);
  return {
    name: 'search-full',
    label: 'search, full pages',
    bodies: queries.map((q) => body(SEARCH, { q })),
    document: search,
    detail: `search(query:, first: 20) for the words and stock names that match >= ${PAGE_SIZE} posts; ${queries.length} queries`,
  };
}

function ftsCountSafe(db: Database, word: string): number {
  try {
    return ftsCount(db, word);
  } catch {
    return 0;
  }
}
