import type { SourceFileRow } from './archive-writer';

type Awaitable<T> = T | Promise<T>;
type PathRow = SourceFileRow & { path: string };

/** source_file rows fetched at once, in path order (by `file()` lookups and `prune()`): the most. */
export const FILE_PAGE = 2000;
/** The fewest: what a lookup far from the last one fetches (a watcher's few changed paths). */
export const FIRST_PAGE = 32;

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Order of SQLite's BINARY and PostgreSQL's COLLATE "C" (UTF-8 bytes, i.e. code points), which
 * JS's `<` on UTF-16 units is only where no surrogate pair (a character past U+FFFF) takes part.
 */
export function byteCompare(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * source_file rows of one archive from path `from` to `to` (null: to the end), in path order.
 * The walk asks for every file in (nearly) that order, so one query answers thousands of lookups
 * (an unchanged re-import of 100k files asked 100k statements before), and memory stays bounded
 * whatever the archive's size. Pages grow while lookups walk through them and shrink while they
 * land far apart: a watcher's 100 changed paths in a 100k archive fetched 2,000 rows each.
 * The writer drops the page on every write.
 */
export class SourceFilePages {
  private page: {
    archiveId: number;
    from: string;
    to: string | null;
    rows: Map<string, SourceFileRow>;
    /** Lookups this page answered. */
    used: number;
  } | null = null;
  private size = FIRST_PAGE;

  /** `fetch`: up to `limit` rows of the archive with path >= `from`, in path order. */
  constructor(private readonly fetch: (archiveId: number, from: string, limit: number) => Awaitable<PathRow[]>) {}

  file(archiveId: number, path: string): Awaitable<SourceFileRow | undefined> {
    const p = this.page;
    if (
      p &&
      p.archiveId === archiveId &&
      byteCompare(path, p.from) >= 0 &&
      (p.to === null || byteCompare(path, p.to) <= 0)
    ) {
      p.used++;
      return p.rows.get(path);
    }
    if (p)
      this.size =
        p.used * 2 >= p.rows.size
          ? Math.min(FILE_PAGE, this.size * 2)
          : Math.max(FIRST_PAGE, Math.floor(this.size / 2));
    const limit = this.size;
    const rows = this.fetch(archiveId, path, limit);
    return rows instanceof Promise
      ? rows.then((r) => this.keep(archiveId, path, r, limit))
      : this.keep(archiveId, path, rows, limit);
  }

  drop(): void {
    this.page = null;
  }

  private keep(archiveId: number, from: string, rows: PathRow[], limit: number): SourceFileRow | undefined {
    const map = new Map<string, SourceFileRow>(rows.map((r) => [r.path, r]));
    const to = rows.length === limit ? rows[rows.length - 1].path : null;
    this.page = { archiveId, from, to, rows: map, used: 1 };
    return map.get(from);
  }
}
