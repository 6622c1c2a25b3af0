import type { BoardRow, CategoryRow, OrganizationRow, StockRow, TagRow } from '../../db/queries/rows';

/** The small tables pages name things from, by kind. */
export interface NamedRows {
  category: CategoryRow;
  tag: TagRow;
  stock: StockRow;
  board: BoardRow;
  organization: OrganizationRow;
}
export type NamedKind = keyof NamedRows;

/** Rows kept per kind; past it a kind starts afresh (an archive's tags can run to millions). */
export const MAX_ROWS_PER_KIND = 100_000;

/**
 * Rows of categories, tags, stocks, boards and organizations by id, kept across requests for as
 * long as the database's data version stays where it was: a page of 20 posts names ~60 of them,
 * and reading them again on every request cost a statement per kind. Whatever an import commits
 * moves the version (db/data-version.ts, PostgreSQL's data_version row), and the next request that
 * asks starts the cache afresh, so no request sees a row older than its own first look.
 * Rows are shared between requests: read them, never change them.
 */
export class EntityCache {
  private version: string | null = null;
  /** Moves whenever the rows go: a fill read before that must not be kept. */
  private generation = 0;
  private readonly rows: { [K in NamedKind]: Map<number, NamedRows[K]> } = {
    category: new Map(),
    tag: new Map(),
    stock: new Map(),
    board: new Map(),
    organization: new Map(),
  };

  constructor(
    private readonly dataVersion: () => string | Promise<string>,
    private readonly maxPerKind = MAX_ROWS_PER_KIND,
  ) {}

  /** A request's look at the cache: the version is checked once, when the request first needs a row. */
  view(): EntityCacheView {
    let checked: number | Promise<number> | null = null;
    return {
      generation: () => {
        if (checked === null) {
          const c = this.check();
          // Once known, a number: callers that cannot wait (loaders' `now`) read it as checked.
          checked = typeof c === 'number' ? c : c.then((g) => (checked = g));
        }
        return checked;
      },
      get: (kind, id) => this.rows[kind].get(id),
      keep: (kind, rows, generation) => this.keep(kind, rows, generation),
    };
  }

  private check(): number | Promise<number> {
    const v = this.dataVersion();
    return typeof v === 'string' ? this.at(v) : v.then((s) => this.at(s));
  }

  /** The generation valid at version `v`, dropping every row when the version moved. */
  private at(v: string): number {
    if (v !== this.version) {
      this.version = v;
      this.generation++;
      for (const m of Object.values(this.rows)) m.clear();
    }
    return this.generation;
  }

  private keep<K extends NamedKind>(kind: K, rows: readonly NamedRows[K][], generation: number): void {
    if (generation !== this.generation) return;
    const map = this.rows[kind];
    if (map.size + rows.length > this.maxPerKind) map.clear();
    for (const r of rows) map.set(r.id, r);
  }
}

export interface EntityCacheView {
  /** The cache's generation once checked against the database's version (at most once a request). */
  generation: () => number | Promise<number>;
  get<K extends NamedKind>(kind: K, id: number): NamedRows[K] | undefined;
  /** Keeps rows read at `generation` (nothing, if the rows went since). */
  keep<K extends NamedKind>(kind: K, rows: readonly NamedRows[K][], generation: number): void;
}
