import type { SourceFileRow } from './archive-writer';

type Awaitable<T> = T | Promise<T>;
type PathRow = SourceFileRow & { path: string };

/** source_file rows fetched at once, in path order (by `file()` lookups and `prune()`). */
export const FILE_PAGE = 2000;

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
 * whatever the archive's size. The writer drops the page on every write.
 */
export class SourceFilePages {
  private page: { archiveId: number; from: string; to: string | null; rows: Map<string, SourceFileRow> } | null = null;

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
      return p.rows.get(path);
    }
    const rows = this.fetch(archiveId, path, FILE_PAGE);
    return rows instanceof Promise ? rows.then((r) => this.keep(archiveId, path, r)) : this.keep(archiveId, path, rows);
  }

  drop(): void {
    this.page = null;
  }

  private keep(archiveId: number, from: string, rows: PathRow[]): SourceFileRow | undefined {
    const map = new Map<string, SourceFileRow>(rows.map((r) => [r.path, r]));
    const to = rows.length === FILE_PAGE ? rows[rows.length - 1].path : null;
    this.page = { archiveId, from, to, rows: map };
    return map.get(from);
  }
}
