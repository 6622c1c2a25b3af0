// The read model the import keeps beside the posts (co-mention pairs, coverage per day): the
// change a plan makes to it, computed once for both databases from the link rows a batch removes
// and adds, and the SQL that rebuilds it from the stored posts (`newsgraph reindex`, migrations).

export const DAY_MS = 86400000;

/** What a day's count is kept for. */
export type DayKind = 'stock' | 'board' | 'category' | 'tag' | 'organization' | 'publisher';

/** A post's link to one thing, as it was (removed) or as it is now (added). */
export interface LinkChange {
  kind: DayKind;
  entityId: number;
  postId: number;
  dateMs: number;
}

/** Days since 1970-01-01 UTC of an instant (floor, also before 1970). */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** The same as SQL on both databases (`%` truncates there, so it is made non-negative first). */
export function daySql(ms: string): string {
  return `((${ms}) - ((((${ms}) % ${DAY_MS}) + ${DAY_MS}) % ${DAY_MS})) / ${DAY_MS}`;
}

export interface ReadModelDelta {
  /** (stock, other stock) -> change in posts that link both; each pair in both directions. */
  pairs: Map<string, { stockId: number; otherId: number; by: number }>;
  /** (kind, thing, day) -> change in posts. */
  days: Map<string, { kind: DayKind; entityId: number; day: number; by: number }>;
}

/** What removing these links and adding those does to the read model; zero changes left out. */
export function readModelDelta(removed: readonly LinkChange[], added: readonly LinkChange[]): ReadModelDelta {
  const delta: ReadModelDelta = { pairs: new Map(), days: new Map() };
  const apply = (links: readonly LinkChange[], sign: number) => {
    const stocksOfPost = new Map<number, number[]>();
    for (const l of links) {
      const day = dayOf(l.dateMs);
      const key = `${l.kind}\0${l.entityId}\0${day}`;
      const d = delta.days.get(key) ?? { kind: l.kind, entityId: l.entityId, day, by: 0 };
      d.by += sign;
      delta.days.set(key, d);
      if (l.kind === 'stock') {
        const list = stocksOfPost.get(l.postId) ?? [];
        list.push(l.entityId);
        stocksOfPost.set(l.postId, list);
      }
    }
    for (const stocks of stocksOfPost.values()) {
      for (const a of stocks) {
        for (const b of stocks) {
          if (a === b) continue;
          const key = `${a}\0${b}`;
          const p = delta.pairs.get(key) ?? { stockId: a, otherId: b, by: 0 };
          p.by += sign;
          delta.pairs.set(key, p);
        }
      }
    }
  };
  apply(removed, -1);
  apply(added, 1);
  for (const [k, v] of delta.pairs) if (v.by === 0) delta.pairs.delete(k);
  for (const [k, v] of delta.days) if (v.by === 0) delta.days.delete(k);
  return delta;
}

/** Each kind's link table and the column naming the thing (publisher: the post itself). */
export const DAY_SOURCES: Record<DayKind, { table: string; column: string }> = {
  stock: { table: 'post_stock', column: 'stock_id' },
  board: { table: 'post_board', column: 'board_id' },
  category: { table: 'post_category', column: 'category_id' },
  tag: { table: 'post_tag', column: 'tag_id' },
  organization: { table: 'post_organization', column: 'organization_id' },
  publisher: { table: 'post', column: 'publisher_id' },
};

/** Rebuilds the read model from the stored posts and links; the same SQL on SQLite and PostgreSQL. */
export const REBUILD_READ_MODEL: { step: string; sql: string }[] = [
  { step: 'co-mention pairs', sql: 'DELETE FROM stock_pair' },
  {
    step: 'co-mention pairs',
    sql: `INSERT INTO stock_pair (stock_id, other_id, together)
          SELECT a.stock_id, b.stock_id, count(*) FROM post_stock a
            JOIN post_stock b ON b.post_id = a.post_id AND b.stock_id <> a.stock_id
           GROUP BY a.stock_id, b.stock_id`,
  },
  { step: 'coverage by day', sql: 'DELETE FROM coverage_day' },
  ...(Object.entries(DAY_SOURCES) as [DayKind, { table: string; column: string }][]).map(([kind, s]) => ({
    step: 'coverage by day',
    sql: `INSERT INTO coverage_day (kind, entity_id, day, posts)
          SELECT '${kind}' AS kind, ${s.column} AS entity_id, ${daySql('date_ms')} AS day, count(*) AS posts
            FROM ${s.table}
           WHERE ${s.column} IS NOT NULL GROUP BY ${s.column}, ${daySql('date_ms')}`,
  })),
];
