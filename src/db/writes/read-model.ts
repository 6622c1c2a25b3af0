// The read model the import keeps beside the posts (co-mention pairs, coverage per day): the
// change a plan makes to it, computed once for both databases from the link rows a batch removes
// and adds, and the SQL that rebuilds it from the stored posts (`newsgraph reindex`, migrations).

import { columnName, tableOf } from '../schema/columns';
import { ENTITY, ENTITY_KINDS, type EntityKind } from './rows';
import { countOf } from './rules';

export const DAY_MS = 86400000;

/** What a day's count is kept for; `post` is every post (entity 0), so a date range's posts read days too. */
export type DayKind = 'stock' | 'board' | 'category' | 'tag' | 'organization' | 'publisher' | 'post';

/** The entity id of the `post` kind's rows: one count a day of all posts. */
export const ALL_POSTS = 0;

/** A post's link to one thing, as it was (removed) or as it is now (added). */
export interface LinkChange {
  kind: DayKind;
  entityId: number;
  postId: number;
  dateMs: number;
}

/**
 * What a post counts for by itself, not through a link table: every post (`post`) and its
 * publisher. The plan takes these away from a post's old state, the writers add them for its new one.
 */
export function ownLinkChanges(postId: number, dateMs: number, publisherId: number | null): LinkChange[] {
  const out: LinkChange[] = [{ kind: 'post', entityId: ALL_POSTS, postId, dateMs }];
  if (publisherId !== null) out.push({ kind: 'publisher', entityId: publisherId, postId, dateMs });
  return out;
}

/** Days since 1970-01-01 UTC of an instant (floor, also before 1970). */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** The same as SQL on both databases (`%` truncates there, so it is made non-negative first). */
export function daySql(ms: string): string {
  return `((${ms}) - ((((${ms}) % ${DAY_MS}) + ${DAY_MS}) % ${DAY_MS})) / ${DAY_MS}`;
}

/** 1970 * 12: month numbers count from January 1970. */
const MONTH_ZERO = 23_640;

/**
 * 25 eras of 400 years added before dividing, taken off the year after: every day from the year
 * -10000 on stays positive, where truncating and flooring agree.
 */
const ERA_SHIFT = 25;

/**
 * The UTC calendar month of a day (days since 1970-01-01), as months since 1970-01: Hinnant's
 * civil-from-days in integer arithmetic, dividing as SQL divides integers (truncating), so that
 * `monthOfDaySql` gives the same number for every day (the import keeps month rows by this, a
 * rebuild by that).
 */
export function monthOfDay(day: number): number {
  const div = (a: number, b: number) => Math.trunc(a / b);
  const z = day + 719_468 + ERA_SHIFT * 146_097;
  const era = div(z, 146_097);
  const doe = z - era * 146_097;
  const yoe = div(doe - div(doe, 1460) + div(doe, 36_524) - div(doe, 146_096), 365);
  const mp = div(5 * (doe - (365 * yoe + div(yoe, 4) - div(yoe, 100))) + 2, 153);
  const year = yoe + (era - ERA_SHIFT) * 400 + (mp < 10 ? 0 : 1);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return year * 12 + month - 1 - MONTH_ZERO;
}

/** The first day (days since 1970-01-01) of a month number. */
export function firstDayOfMonth(month: number): number {
  const m = month + MONTH_ZERO;
  const d = new Date(0);
  d.setUTCFullYear(Math.floor(m / 12), ((m % 12) + 12) % 12, 1); // Date.UTC reads years 0-99 as 19xx
  return d.getTime() / DAY_MS;
}

/**
 * `monthOfDay` in SQL over a row source with an integer `day` column, for SQLite and PostgreSQL
 * alike (both truncate integer division): selects `kind, entity_id, posts, month`.
 */
export function monthOfDaySql(source: string): string {
  const z = `(day + ${719_468 + ERA_SHIFT * 146_097})`;
  return `SELECT kind, entity_id, posts, (yoe + (era - ${ERA_SHIFT}) * 400 + CASE WHEN mp < 10 THEN 0 ELSE 1 END) * 12
                 + (CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END) - 1 - ${MONTH_ZERO} AS month
            FROM (SELECT kind, entity_id, posts, era, yoe,
                         (5 * (doe - (365 * yoe + yoe / 4 - yoe / 100)) + 2) / 153 AS mp
                    FROM (SELECT kind, entity_id, posts, era, doe,
                                 (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365 AS yoe
                            FROM (SELECT kind, entity_id, posts, ${z} / 146097 AS era,
                                         ${z} - (${z} / 146097) * 146097 AS doe
                                    FROM ${source}) AS a) AS b) AS c`;
}

/** A change to one row of a read-model table: its key columns' values and how much its count moves. */
export interface ReadModelChange {
  key: (string | number)[];
  by: number;
}

/** The read-model tables the import keeps: key columns, then the count a change moves. */
export const READ_MODEL_TABLES = {
  pairs: { table: 'stock_pair', key: ['stock_id', 'other_id'], count: 'together' },
  days: { table: 'coverage_day', key: ['kind', 'entity_id', 'day'], count: 'posts' },
  months: { table: 'coverage_month', key: ['kind', 'entity_id', 'month'], count: 'posts' },
} as const;

export type ReadModelTable = keyof typeof READ_MODEL_TABLES;

/** Per table, its nonzero changes in key order (so upserts walk each b-tree once, page by page). */
export type ReadModelDelta = Record<ReadModelTable, ReadModelChange[]>;

/** What removing these links and adding those does to the read model; zero changes left out, the rest in key order. */
export function readModelDelta(removed: readonly LinkChange[], added: readonly LinkChange[]): ReadModelDelta {
  const pairs = new Map<string, ReadModelChange>();
  const days = new Map<string, ReadModelChange>();
  const months = new Map<string, ReadModelChange>();
  const move = (map: Map<string, ReadModelChange>, key: (string | number)[], by: number) => {
    const k = key.join('\0');
    const c = map.get(k) ?? { key, by: 0 };
    c.by += by;
    map.set(k, c);
  };
  const apply = (links: readonly LinkChange[], sign: number) => {
    const stocksOfPost = new Map<number, number[]>();
    for (const l of links) {
      const day = dayOf(l.dateMs);
      move(days, [l.kind, l.entityId, day], sign);
      move(months, [l.kind, l.entityId, monthOfDay(day)], sign);
      if (l.kind !== 'stock') continue;
      const list = stocksOfPost.get(l.postId) ?? [];
      list.push(l.entityId);
      stocksOfPost.set(l.postId, list);
    }
    for (const stocks of stocksOfPost.values()) {
      for (const a of stocks) for (const b of stocks) if (a !== b) move(pairs, [a, b], sign);
    }
  };
  apply(removed, -1);
  apply(added, 1);
  const ordered = (map: Map<string, ReadModelChange>) =>
    [...map.values()].filter((c) => c.by !== 0).sort((x, y) => compareKeys(x.key, y.key));
  return { pairs: ordered(pairs), days: ordered(days), months: ordered(months) };
}

/**
 * How much each entity's post count moves when these links are removed and those added (every
 * post of a batch loses all its old links and gains all its new ones), by the rule of `countOf`
 * (rules.ts): the posts linked to a thing; for an organization, the posts that name it or that it
 * published, each once. Entities that do not move are left out.
 */
export function entityCountDelta(
  removed: readonly LinkChange[],
  added: readonly LinkChange[],
): Record<EntityKind, Map<number, number>> {
  const out = Object.fromEntries(ENTITY_KINDS.map((k) => [k, new Map<number, number>()])) as Record<
    EntityKind,
    Map<number, number>
  >;
  const move = (kind: EntityKind, id: number, by: number) => {
    const n = (out[kind].get(id) ?? 0) + by;
    if (n === 0) out[kind].delete(id);
    else out[kind].set(id, n);
  };
  // Organizations: per post, the set it counts for before and after.
  const orgs = new Map<number, { before: Set<number>; after: Set<number> }>();
  const tally = (links: readonly LinkChange[], side: 'before' | 'after', sign: number) => {
    for (const l of links) {
      // Every post: no entity's count.
      if (l.kind === 'post') continue;
      if (l.kind === 'organization' || l.kind === 'publisher') {
        let p = orgs.get(l.postId);
        if (!p) orgs.set(l.postId, (p = { before: new Set(), after: new Set() }));
        p[side].add(l.entityId);
      } else move(l.kind, l.entityId, sign);
    }
  };
  tally(removed, 'before', -1);
  tally(added, 'after', 1);
  for (const { before, after } of orgs.values()) {
    for (const id of after) if (!before.has(id)) move('organization', id, 1);
    for (const id of before) if (!after.has(id)) move('organization', id, -1);
  }
  return out;
}

function compareKeys(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/** Each kind's link table and the column naming the thing (publisher: the post itself; post: every post, ALL_POSTS). */
export const DAY_SOURCES: Record<DayKind, { table: string; column: string }> = {
  stock: { table: 'post_stock', column: 'stock_id' },
  board: { table: 'post_board', column: 'board_id' },
  category: { table: 'post_category', column: 'category_id' },
  tag: { table: 'post_tag', column: 'tag_id' },
  organization: { table: 'post_organization', column: 'organization_id' },
  publisher: { table: 'post', column: 'publisher_id' },
  post: { table: 'post', column: String(ALL_POSTS) },
};

/** Rebuilds one kind's day rows from its source (after its old rows are gone). */
export function rebuildDaysSql(kind: DayKind): string {
  const s = DAY_SOURCES[kind];
  const day = daySql('date_ms');
  // A constant would be read as a column number in SQLite's GROUP BY: every post groups by day alone.
  const constant = /^\d+$/.test(s.column);
  return `INSERT INTO coverage_day (kind, entity_id, day, posts)
          SELECT '${kind}' AS kind, ${s.column} AS entity_id, ${day} AS day, count(*) AS posts
            FROM ${s.table}
           ${constant ? '' : `WHERE ${s.column} IS NOT NULL `}GROUP BY ${constant ? '' : `${s.column}, `}${day}`;
}

/**
 * Rebuilds the read model from the stored posts and links; the same SQL on SQLite and PostgreSQL.
 * The entities' post counts, which imports move by `entityCountDelta`, are counted afresh too.
 */
export const REBUILD_READ_MODEL: { step: string; sql: string }[] = [
  ...ENTITY_KINDS.map((kind) => {
    const { entity, count } = ENTITY[kind];
    const table = tableOf(entity);
    return {
      step: 'post counts',
      sql: `UPDATE ${table} SET ${columnName(entity, count)} = ${countOf(kind, `${table}.id`)}`,
    };
  }),
  { step: 'co-mention pairs', sql: 'DELETE FROM stock_pair' },
  {
    step: 'co-mention pairs',
    sql: `INSERT INTO stock_pair (stock_id, other_id, together)
          SELECT a.stock_id, b.stock_id, count(*) FROM post_stock a
            JOIN post_stock b ON b.post_id = a.post_id AND b.stock_id <> a.stock_id
           GROUP BY a.stock_id, b.stock_id`,
  },
  { step: 'coverage by day', sql: 'DELETE FROM coverage_day' },
  ...(Object.keys(DAY_SOURCES) as DayKind[]).map((kind) => ({ step: 'coverage by day', sql: rebuildDaysSql(kind) })),
];

/**
 * Coverage by month, from coverage by day (so after REBUILD_READ_MODEL's steps): apart because
 * migrations older than the month table run REBUILD_READ_MODEL.
 */
export const REBUILD_MONTHS: { step: string; sql: string }[] = [
  { step: 'coverage by month', sql: 'DELETE FROM coverage_month' },
  {
    step: 'coverage by month',
    sql: `INSERT INTO coverage_month (kind, entity_id, month, posts)
          SELECT kind, entity_id, month, sum(posts) FROM (${monthOfDaySql('coverage_day')}) AS m
           GROUP BY kind, entity_id, month`,
  },
];

/** One kind's day and month rows made again from its source (the migration that added a kind). */
export function rebuildKindSql(kind: DayKind): string[] {
  return [
    `DELETE FROM coverage_day WHERE kind = '${kind}'`,
    rebuildDaysSql(kind),
    `DELETE FROM coverage_month WHERE kind = '${kind}'`,
    `INSERT INTO coverage_month (kind, entity_id, month, posts)
     SELECT kind, entity_id, month, sum(posts) FROM (${monthOfDaySql(`(SELECT * FROM coverage_day WHERE kind = '${kind}') AS k`)}) AS m
      GROUP BY kind, entity_id, month`,
  ];
}

/** Every step of `newsgraph reindex` before the ranking. */
export const REBUILD_ALL = [...REBUILD_READ_MODEL, ...REBUILD_MONTHS];

/** The step of a rebuild that writes every post's links row (src/db/schema/post-links.ts), after the SQL steps. */
export const POST_LINKS_STEP = 'post links';
/** The step of a rebuild that ranks every post's related posts (src/db/related/rebuild.ts), after the SQL steps. */
export const RELATED_STEP = 'related coverage';
/** The step of `reindex` that makes every story cluster again (src/db/story). */
export const STORY_STEP = 'story clusters';
