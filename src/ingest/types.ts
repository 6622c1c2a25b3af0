// Records the ingest layer produces. Pure data: no database ids, no I/O handles.
import type { StoredText } from './render/packed';

/** How a link between a post and a stock/board/organization was found. */
export type Via = 'EMBED' | 'LINK' | 'TEXT';

/** Per-way counts for one linked thing in one post. */
export interface ViaCounts {
  embed: number;
  link: number;
  text: number;
}

/** A quotable instrument as named in a post. */
export interface StockRef {
  /** Canonical symbol: `600050.SH`, `00762.HK`, `NIO.US`, or `CODE.M<id>` for an unknown market id. */
  symbol: string;
  /** Exchange code as quoted: `600050`, `00762`, `NIO`. */
  code: string;
  /** Market short name: SH, SZ, BJ, HK, US, or `M<id>` for an unknown Eastmoney market id. */
  market: string;
  /** Eastmoney market id when known (1, 0, 116, 105, 106, 107, ...). */
  marketId: number | null;
  /** Exchange: SSE, SZSE, BSE, HKEX, NASDAQ, NYSE, NYSE American; null when unknown. */
  exchange: string | null;
  /** Eastmoney `<market>.<code>` id when the market id is known. */
  secid: string | null;
}

export interface StockMention extends StockRef {
  /** Display name from the link text or the text mention, when the post gives one. */
  name: string | null;
  counts: ViaCounts;
}

export interface BoardMention {
  /** `BK0493` */
  code: string;
  /** `90.BK0493` */
  secid: string;
  name: string | null;
  counts: ViaCounts;
}

export interface OrganizationMention {
  name: string;
  /** Symbols of the stocks this organization issues, as found in this post. */
  issues: string[];
  counts: ViaCounts;
}

export interface Extraction {
  stocks: StockMention[];
  boards: BoardMention[];
  organizations: OrganizationMention[];
  /** Publishing outlet, markup stripped (`上海证券报`), or null. */
  publisher: string | null;
}

export interface Rendering {
  /** Sanitized HTML rendering of the body. */
  html: string;
  /** Plain-text rendering of the body. */
  text: string;
  /** Plain-text excerpt (Jekyll's first paragraph, shortened). */
  excerpt: string;
  /** The original source link (`<http…>` line), or null. */
  sourceUrl: string | null;
}

/** A post as Jekyll 4 would build it, plus what we extract from it. */
export interface PostRecord {
  /** Archive-relative path with `/` separators. */
  path: string;
  slug: string;
  url: string;
  title: string;
  /** The instant, as epoch milliseconds. */
  dateMs: number;
  /** Offset (minutes east of UTC) the date was written with. */
  dateOffset: number;
  categories: string[];
  tags: string[];
  /** sha256 hex of the file's bytes. */
  contentHash: string;
  rendering: StoredRendering;
  extraction: Extraction;
  searchTokens: StoredSearchTokens;
  /** The body's story signature (ingest/story), null when the text is too short to judge. */
  storySignature: Uint8Array | null;
}

/**
 * A rendering on its way to the database: the parser's thread packs the HTML and text when the
 * database stores them so (SQLite; render/packed.ts), and then only the packed bytes cross to the
 * writer's thread and wait in its batches.
 */
export type StoredRendering = Omit<Rendering, 'html' | 'text'> & { html: StoredText; text: StoredText };

/** Pre-tokenized (CJK bigram) text for the full-text index (ingest/search/tokens.ts). */
export interface SearchTokens {
  title: string;
  body: string;
}

/**
 * Search tokens on their way to the database: the text (SQLite's FTS table), or, for PostgreSQL,
 * the binary tsvector the parser's thread encoded from them (ingest/search/tsvector.ts), so the
 * writer's thread neither builds it nor receives the token text.
 */
export type StoredSearchTokens = SearchTokens | { tsvector: Uint8Array };

/** A page that gives a category its display title (`layout: category`). */
export interface CategoryPage {
  path: string;
  category: string;
  title: string | null;
}

/** Site settings from `_config.yml` that change how posts are read. */
export interface SiteConfig {
  /** IANA zone name, or null for UTC. */
  timezone: string | null;
  /** Site-wide permalink style or template. */
  permalink: string;
  /** `future:`: publish posts dated after the import's time (Jekyll's default since 3.0: false). */
  future: boolean;
}

export type FileOutcome =
  | { kind: 'post'; record: PostRecord }
  | { kind: 'unpublished'; path: string; reason: string }
  /** A post dated after the import's time under `future: false`: not a post until `publishAtMs`. */
  | { kind: 'scheduled'; path: string; reason: string; publishAtMs: number }
  | { kind: 'page'; page: CategoryPage | null }
  | { kind: 'skipped'; path: string; reason: string }
  | { kind: 'failed'; path: string; reason: string };
