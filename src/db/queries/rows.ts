// Row shapes the read queries return (camelCase aliases of the columns).

export interface PostRow {
  id: number;
  url: string;
  slug: string;
  title: string;
  dateMs: number;
  dateOffset: number;
  excerpt: string;
  sourceUrl: string | null;
  path: string;
  contentHash: string;
  publisherId: number | null;
}

export interface PostContentRow {
  id: number;
  html: string;
  text: string;
}

export interface CategoryRow {
  id: number;
  name: string;
  slug: string;
  title: string | null;
  postCount: number;
}

export interface TagRow {
  id: number;
  name: string;
  slug: string;
  postCount: number;
}

export interface StockRow {
  id: number;
  symbol: string;
  code: string;
  market: string;
  marketId: number | null;
  exchange: string | null;
  secid: string | null;
  name: string | null;
  organizationId: number | null;
  coverageCount: number;
}

export interface BoardRow {
  id: number;
  code: string;
  secid: string;
  name: string | null;
  postCount: number;
}

export interface OrganizationRow {
  id: number;
  name: string;
  postCount: number;
}

/** A link from a post to a stock, board or organization, with how it was found. */
export interface MentionRow {
  postId: number;
  targetId: number;
  count: number;
  embedCount: number;
  linkCount: number;
  textCount: number;
}

export const POST_COLUMNS = `p.id, p.url, p.slug, p.title, p.date_ms AS "dateMs", p.date_offset AS "dateOffset", p.excerpt,
  p.source_url AS "sourceUrl", p.path, p.content_hash AS "contentHash", p.publisher_id AS "publisherId"`;
export const CATEGORY_COLUMNS = 'c.id, c.name, c.slug, c.title, c.post_count AS "postCount"';
export const TAG_COLUMNS = 't.id, t.name, t.slug, t.post_count AS "postCount"';
export const STOCK_COLUMNS = `s.id, s.symbol, s.code, s.market, s.market_id AS "marketId", s.exchange, s.secid, s.name,
  s.organization_id AS "organizationId", s.coverage_count AS "coverageCount"`;
export const BOARD_COLUMNS = 'b.id, b.code, b.secid, b.name, b.post_count AS "postCount"';
export const ORGANIZATION_COLUMNS = 'o.id, o.name, o.post_count AS "postCount"';
