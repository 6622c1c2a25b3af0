/**
 * The fan-out bench's subscription filters and who should hear of a post: the archive's stocks,
 * tags and categories read straight from its database, matched here without the server's SQL, so
 * the bench checks the hub's matching instead of repeating it.
 */
import Database from 'better-sqlite3';

export type Variant = 'unfiltered' | 'filtered' | 'unique';

/** A subscription's `filter` argument (absent: every post). */
export interface Filter {
  stocks?: string[];
  tags?: string[];
  categories?: string[];
  dateFrom?: string;
}

/** What a post links, for matching. */
export interface Links {
  stocks: Set<string>;
  tags: Set<string>;
  categories: Set<string>;
}

const names = (db: Database.Database, sql: string, ...params: unknown[]) =>
  db
    .prepare(sql)
    .all(...params)
    .map((r) => String((r as { v: string }).v));

/** One filter per stock, tag and category that some post links, in a fixed order. */
export function archiveFilters(dbFile: string): Filter[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return [
      ...names(db, 'SELECT DISTINCT s.symbol AS v FROM post_stock x JOIN stock s ON s.id = x.stock_id ORDER BY v').map(
        (v) => ({ stocks: [v] }),
      ),
      ...names(db, 'SELECT DISTINCT t.name AS v FROM post_tag x JOIN tag t ON t.id = x.tag_id ORDER BY v').map((v) => ({
        tags: [v],
      })),
      ...names(
        db,
        'SELECT DISTINCT c.name AS v FROM post_category x JOIN category c ON c.id = x.category_id ORDER BY v',
      ).map((v) => ({ categories: [v] })),
    ];
  } finally {
    db.close();
  }
}

/**
 * Subscription i's filter: none (unfiltered); one of the archive's (filtered: as many distinct
 * filters as the archive has stocks, tags and categories); or that one with its own `dateFrom`
 * long before any post (unique: every subscription a distinct filter, so a statement each).
 */
export function filterOf(variant: Variant, filters: Filter[], i: number): Filter | undefined {
  if (variant === 'unfiltered') return undefined;
  const f = filters[i % filters.length];
  if (variant === 'filtered') return f;
  return { ...f, dateFrom: new Date(Date.UTC(2000, 0, 1) + i * 60_000).toISOString() };
}

/** Archive-relative paths of the posts that link stocks: the events' templates. */
export function stockPosts(dbFile: string): string[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return names(
      db,
      'SELECT p.path AS v FROM post p WHERE EXISTS (SELECT 1 FROM post_stock x WHERE x.post_id = p.id) ORDER BY p.path',
    );
  } finally {
    db.close();
  }
}

/** What the post titled `title` links, or null before it is imported. */
export function linksOf(dbFile: string, title: string): { id: number; url: string; links: Links } | null {
  const db = new Database(dbFile, { readonly: true });
  try {
    const post = db.prepare('SELECT id, url FROM post WHERE title = ?').get(title) as
      { id: number; url: string } | undefined;
    if (!post) return null;
    const of = (sql: string) => new Set(names(db, sql, post.id));
    return {
      ...post,
      links: {
        stocks: of('SELECT s.symbol AS v FROM post_stock x JOIN stock s ON s.id = x.stock_id WHERE x.post_id = ?'),
        tags: of('SELECT t.name AS v FROM post_tag x JOIN tag t ON t.id = x.tag_id WHERE x.post_id = ?'),
        categories: of(
          'SELECT c.name AS v FROM post_category x JOIN category c ON c.id = x.category_id WHERE x.post_id = ?',
        ),
      },
    };
  } finally {
    db.close();
  }
}

/** When the feed recorded the post's ADDED change (ms), or null. */
export function addedAtMs(dbFile: string, url: string): number | null {
  const db = new Database(dbFile, { readonly: true });
  try {
    const row = db.prepare(`SELECT at_ms AS at FROM post_change WHERE url = ? AND kind = 'ADDED'`).get(url) as
      { at: number } | undefined;
    return row ? Number(row.at) : null;
  } finally {
    db.close();
  }
}

/** Whether `filter` passes a post with these links (each list: any of its values; fields: all). */
export function passes(filter: Filter | undefined, links: Links): boolean {
  if (!filter) return true;
  const any = (want: string[] | undefined, have: Set<string>) => !want || want.some((v) => have.has(v));
  // dateFrom is always long before the archive's posts (filterOf).
  return any(filter.stocks, links.stocks) && any(filter.tags, links.tags) && any(filter.categories, links.categories);
}
