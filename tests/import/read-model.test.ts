// The read model the import keeps (co-mention pairs, coverage per day) must equal what the stored
// links say whatever the import history (and so must the entities' post counts): first half of an archive then the rest, edited dates and
// stocks, deleted and pruned posts. Runs on the suite's backend (SQLite, or PostgreSQL under test:pg).
import fs from 'node:fs';
import path from 'node:path';
import { generateArchive } from '../../bench/gen/main';
import { importArchives } from '../../src/db/importer';
import { postCounts, type PostPageSpec } from '../../src/db/queries/post-pages';
import { dailyCoverage } from '../../src/db/queries/stock-stats';
import {
  DAY_MS,
  dayOf,
  daySql,
  entityCountDelta,
  firstDayOfMonth,
  monthOfDay,
  monthOfDaySql,
  type LinkChange,
  readModelDelta,
  REBUILD_READ_MODEL,
} from '../../src/db/writes/read-model';
import { columnName, tableOf } from '../../src/db/schema/columns';
import { ENTITY, ENTITY_KINDS } from '../../src/db/writes/rows';
import { countOf } from '../../src/db/writes/rules';
import { decodePostLinks, selectPostLinksSql } from '../../src/db/schema/post-links';
import { BACKEND, copyTree, SEED, tempDatabase, TempDatabase, tempDir } from '../helpers/db';

const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

/** The read model as stored, and as a rebuild from the links would make it (the rebuild's own SELECTs). */
async function expectReadModelExact(t: TempDatabase): Promise<void> {
  const stored = {
    pairs: await t.query('SELECT stock_id AS a, other_id AS b, together AS n FROM stock_pair'),
    days: await t.query('SELECT kind, entity_id AS id, day, posts AS n FROM coverage_day'),
  };
  const inserts = REBUILD_READ_MODEL.filter((s) => s.sql.trim().startsWith('INSERT'));
  const selectOf = (sql: string) => sql.slice(sql.indexOf('SELECT'));
  const live = {
    pairs: await t.query(`SELECT a.stock_id AS a, b.stock_id AS b, count(*) AS n FROM post_stock a
                            JOIN post_stock b ON b.post_id = a.post_id AND b.stock_id <> a.stock_id GROUP BY a.stock_id, b.stock_id`),
    days: (
      await Promise.all(
        inserts
          .slice(1)
          .map((s) => t.query(`SELECT kind, entity_id AS id, day, posts AS n FROM (${selectOf(s.sql)}) AS x`)),
      )
    ).flat(),
  };
  const norm = (rows: Record<string, unknown>[]) =>
    sorted(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'kind' ? v : Number(v)]))));
  expect(norm(stored.pairs)).toEqual(norm(live.pairs));
  expect(norm(stored.days)).toEqual(norm(live.days));
  // Months: as stored, as the day rows sum up month by month in JS.
  const months = new Map<string, { kind: string; id: number; month: number; n: number }>();
  for (const d of stored.days) {
    const month = monthOfDay(Number(d.day));
    const key = `${d.kind}:${d.id}:${month}`;
    const m = months.get(key) ?? { kind: d.kind as string, id: Number(d.id), month, n: 0 };
    m.n += Number(d.n);
    months.set(key, m);
  }
  expect(norm(await t.query('SELECT kind, entity_id AS id, month, posts AS n FROM coverage_month'))).toEqual(
    norm([...months.values()]),
  );
  expect(stored.pairs.length).toBeGreaterThan(0);
  expect(new Set(stored.days.map((d) => d.kind))).toEqual(
    new Set(['stock', 'board', 'category', 'tag', 'organization', 'publisher', 'post']),
  );
  // The entities' post counts, moved batch by batch, as counting the links gives them.
  for (const kind of ENTITY_KINDS) {
    const { entity, count } = ENTITY[kind];
    const table = tableOf(entity);
    const wrong = await t.query(
      `SELECT id, ${columnName(entity, count)} AS stored, ${countOf(kind, `${table}.id`)} AS counted FROM ${table}
        WHERE ${columnName(entity, count)} <> ${countOf(kind, `${table}.id`)}`,
    );
    expect({ kind, wrong }).toEqual({ kind, wrong: [] });
  }
  const counted = await t.query<{ n: number }>('SELECT sum(post_count) AS n FROM organization');
  expect(Number(counted[0].n)).toBeGreaterThan(0);
  // Each post's links row: one a post, saying what its link tables say (the rebuild's SELECT).
  const links = async (sql: string) =>
    (await t.query<{ id: number; links: string }>(sql))
      .map((r) => JSON.stringify([Number(r.id), decodePostLinks(r.links, `post ${r.id}`)]))
      .sort();
  const rebuilt = await links(`SELECT post_id AS id, links FROM (${selectPostLinksSql(BACKEND, 'TRUE')}) AS x`);
  expect(await links('SELECT post_id AS id, links FROM post_links')).toEqual(rebuilt);
  expect(rebuilt.length).toBe(Number((await t.query<{ n: number }>('SELECT count(*) AS n FROM post'))[0].n));
  expect(rebuilt.some((r) => r.includes('"s":[['))).toBe(true);
}

function rewrite(file: string, content: string): void {
  fs.writeFileSync(file, content);
  const at = new Date(Date.now() + 60_000);
  fs.utimesSync(file, at, at);
}

describe('the read model follows every import', () => {
  let t: TempDatabase;
  let archive: string;
  let parked: string;

  beforeAll(async () => {
    t = await tempDatabase();
    archive = copyTree(SEED, path.join(tempDir(), 'finews'));
    parked = tempDir('newsgraph-parked-');
    // The second half of old_post/ waits outside the archive.
    for (const f of fs.readdirSync(path.join(archive, 'old_post')).sort().slice(50)) {
      fs.renameSync(path.join(archive, 'old_post', f), path.join(parked, f));
    }
  });
  afterAll(() => t.close());

  test('half an archive, then the rest: the same as one import of all', async () => {
    await importArchives(t.writeStore, [archive], { batchSize: 7 });
    await expectReadModelExact(t);
    for (const f of fs.readdirSync(parked)) fs.renameSync(path.join(parked, f), path.join(archive, 'old_post', f));
    const s = await importArchives(t.writeStore, [archive], { batchSize: 7 });
    expect(s.new).toBeGreaterThan(40);
    await expectReadModelExact(t);
  });

  test('a post moved to another day (a new permalink) and stripped of its stock links', async () => {
    const file = path.join(archive, 'old_post/2022-06-16-NW202206162414061171.md');
    const before = fs.readFileSync(file, 'utf8');
    const text = before.replace(/^date: .*$/m, 'date: 2020-02-29 23:59:59 +0800').replace(/\d{6}\.(SH|SZ)|600050/g, '');
    expect(text).not.toBe(before);
    rewrite(file, text);
    const s = await importArchives(t.writeStore, [archive]);
    expect(s.new + s.updated).toBe(1);
    await expectReadModelExact(t);
  });

  test('a post rewritten in place (its title) that organizations name and one published', async () => {
    const [row] = await t.query<{ path: string }>(
      `SELECT p.path FROM post p WHERE p.publisher_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM post_organization o WHERE o.post_id = p.id) ORDER BY p.id LIMIT 1`,
    );
    const file = path.join(archive, row.path);
    const before = fs.readFileSync(file, 'utf8');
    const text = before.replace(/^title: .*$/m, 'title: "改写的标题"');
    expect(text).not.toBe(before);
    rewrite(file, text);
    const s = await importArchives(t.writeStore, [archive]);
    expect(s.updated).toBe(1);
    await expectReadModelExact(t);
  });

  test('posts deleted and pruned, the _posts twin among them (its duplicate takes over)', async () => {
    for (const f of fs.readdirSync(path.join(archive, 'old_post')).sort().slice(10, 30)) {
      fs.rmSync(path.join(archive, 'old_post', f));
    }
    fs.rmSync(path.join(archive, '_posts/2021-12-08-202112082206672930.md'));
    const s = await importArchives(t.writeStore, [archive], { prune: true });
    expect(s.pruned).toBe(21);
    await expectReadModelExact(t);
  });
});

describe('timelines on a generated archive', () => {
  let t: TempDatabase;

  beforeAll(async () => {
    t = await tempDatabase();
    const dir = path.join(tempDir(), 'generated');
    await generateArchive({ posts: 400, out: dir, seed: 7, force: true });
    await importArchives(t.writeStore, [dir], { workers: 0 });
    await expectReadModelExact(t);
  });
  afterAll(() => t.close());

  test('timelines are exact for instants that cut days, from the read model and the cut days alone', async () => {
    const [{ id }] = await t.query<{ id: number }>(
      'SELECT stock_id AS id FROM post_stock GROUP BY stock_id ORDER BY count(DISTINCT date_ms) DESC, stock_id LIMIT 1',
    );
    const dates = (await t.query<{ d: number }>('SELECT date_ms AS d FROM post_stock WHERE stock_id = ?', id)).map(
      (r) => Number(r.d),
    );
    expect(new Set(dates.map(dayOf)).size).toBeGreaterThan(5);
    const live = (from: number | null, to: number | null) => {
      const days = new Map<number, number>();
      for (const d of dates) {
        if ((from === null || d >= from) && (to === null || d <= to)) days.set(dayOf(d), (days.get(dayOf(d)) ?? 0) + 1);
      }
      return [...days].sort(([a], [b]) => a - b).map(([day, n]) => ({ src: id, day, n }));
    };
    const min = Math.min(...dates);
    const max = Math.max(...dates);
    const cases: [number | null, number | null][] = [
      [null, null],
      [min, max],
      [min + 1, max - 1],
      [dayOf(min) * DAY_MS, (dayOf(max) + 1) * DAY_MS - 1],
      [min, min],
      [dayOf(min) * DAY_MS + 1, dayOf(min) * DAY_MS + 2],
      [Math.floor((min + max) / 2), null],
      [null, Math.floor((min + max) / 2)],
    ];
    for (const [from, to] of cases) {
      const got = (await dailyCoverage(t.store.runner(), [id], from, to)).map((r) => ({
        src: Number(r.src),
        day: Number(r.day),
        n: Number(r.n),
      }));
      expect({ from, to, got }).toEqual({ from, to, got: live(from, to) });
    }
  });

  test('monthly timelines: whole months from the month rows, the days of cut months and cut days apart, exact', async () => {
    const [{ id }] = await t.query<{ id: number }>(
      'SELECT stock_id AS id FROM post_stock GROUP BY stock_id ORDER BY count(DISTINCT date_ms) DESC, stock_id LIMIT 1',
    );
    const dates = (await t.query<{ d: number }>('SELECT date_ms AS d FROM post_stock WHERE stock_id = ?', id)).map(
      (r) => Number(r.d),
    );
    const byMonth = (rows: { day: number; n: number }[]) => {
      const out = new Map<number, number>();
      for (const r of rows) out.set(monthOfDay(r.day), (out.get(monthOfDay(r.day)) ?? 0) + r.n);
      return [...out].sort(([a], [b]) => a - b);
    };
    const live = (from: number | null, to: number | null) =>
      byMonth(
        dates
          .filter((d) => (from === null || d >= from) && (to === null || d <= to))
          .map((d) => ({ day: dayOf(d), n: 1 })),
      );
    const min = Math.min(...dates);
    const max = Math.max(...dates);
    const m0 = monthOfDay(dayOf(min));
    const mStart = (m: number) => firstDayOfMonth(m) * DAY_MS;
    expect(monthOfDay(dayOf(max)) - m0).toBeGreaterThan(2);
    const cases: [number | null, number | null][] = [
      [null, null],
      [min, max],
      [min + 1, max - 1],
      [mStart(m0 + 1), mStart(m0 + 3) - 1], // exactly two whole months
      [mStart(m0 + 1) + 1, mStart(m0 + 3) - 2], // both months cut, by a millisecond
      [mStart(m0 + 1) + DAY_MS * 3 + 5, mStart(m0 + 2) + DAY_MS * 2], // within two months, no whole one
      [mStart(m0 + 1) - DAY_MS, null],
      [null, mStart(m0 + 2) + DAY_MS * 10 + 7],
      [min, min],
    ];
    for (const [from, to] of cases) {
      const rows = await dailyCoverage(t.store.runner(), [id], from, to, true);
      const got = byMonth(rows);
      expect({ from, to, got }).toEqual({ from, to, got: live(from, to) });
      // A month inside the range is one row; the rows come in day order.
      expect(rows.map((r) => r.day)).toEqual([...rows.map((r) => r.day)].sort((a, b) => a - b));
    }
    const all = await dailyCoverage(t.store.runner(), [id], null, null, true);
    expect(all.length).toBe(live(null, null).length);
  });

  test("a stock's, board's, category's or tag's post count in any window equals its links counted", async () => {
    const kinds = [
      ['stock', 'post_stock', 'stock_id'],
      ['board', 'post_board', 'board_id'],
      ['category', 'post_category', 'category_id'],
      ['tag', 'post_tag', 'tag_id'],
    ] as const;
    for (const [kind, table, col] of kinds) {
      const [{ id }] = await t.query<{ id: number }>(
        `SELECT ${col} AS id FROM ${table} GROUP BY ${col} ORDER BY count(*) DESC, ${col} LIMIT 1`,
      );
      const dates = (await t.query<{ d: number }>(`SELECT date_ms AS d FROM ${table} WHERE ${col} = ?`, id)).map((r) =>
        Number(r.d),
      );
      const min = Math.min(...dates);
      const max = Math.max(...dates);
      const mid = Math.floor((min + max) / 2);
      const windows: [number | undefined, number | undefined][] = [
        [undefined, undefined],
        [min, max],
        [min + 1, max - 1],
        [dayOf(mid) * DAY_MS, (dayOf(mid) + 30) * DAY_MS - 1],
        [mid, mid + 3 * DAY_MS + 5],
        [mid, mid],
        [mid, undefined],
        [undefined, mid],
        [max + 1, undefined],
      ];
      const specs: PostPageSpec[] = windows.map(([dateFrom, dateTo]) => ({
        scope: { kind, id: Number(id) },
        filter: dateFrom === undefined && dateTo === undefined ? undefined : { dateFrom, dateTo },
        ascending: false,
        forward: true,
        limit: 1,
      }));
      const got = (await postCounts(t.store.runner(), specs)).map(Number);
      const want = windows.map(
        ([a, b]) => dates.filter((d) => (a === undefined || d >= a) && (b === undefined || d <= b)).length,
      );
      expect({ kind, got }).toEqual({ kind, got: want });
      expect(want.some((n) => n > 0 && n < dates.length)).toBe(true);
    }
  });
});

describe('read-model arithmetic', () => {
  test('a post linking three stocks adds six ordered pairs; removing it again leaves nothing', () => {
    const links = [1, 2, 3].map((entityId) => ({ kind: 'stock' as const, entityId, postId: 9, dateMs: 5 }));
    const added = readModelDelta([], links);
    expect(added.pairs.map((p) => [...p.key, p.by])).toEqual([
      [1, 2, 1],
      [1, 3, 1],
      [2, 1, 1],
      [2, 3, 1],
      [3, 1, 1],
      [3, 2, 1],
    ]);
    expect(added.days).toEqual([
      { key: ['stock', 1, 0], by: 1 },
      { key: ['stock', 2, 0], by: 1 },
      { key: ['stock', 3, 0], by: 1 },
    ]);
    const none = readModelDelta(links, links);
    expect(none.pairs.length + none.days.length).toBe(0);
  });

  test('post counts: an organization counts a post once, named or publishing; a rewrite moves only what changed', () => {
    const link = (kind: LinkChange['kind'], entityId: number, postId: number) => ({
      kind,
      entityId,
      postId,
      dateMs: 0,
    });
    const removed = [link('organization', 5, 2), link('publisher', 6, 2), link('stock', 1, 2)];
    const added = [
      // A new post named by organization 5 and published by it: one post for 5.
      link('organization', 5, 1),
      link('publisher', 5, 1),
      // Post 2 rewritten: still counts for 5 (now its publisher), no longer for 6, newly for 7.
      link('publisher', 5, 2),
      link('organization', 7, 2),
      link('stock', 1, 2),
      link('stock', 2, 2),
    ];
    const d = entityCountDelta(removed, added);
    expect([...d.organization].sort()).toEqual([
      [5, 1],
      [6, -1],
      [7, 1],
    ]);
    expect([...d.stock]).toEqual([[2, 1]]);
    expect(d.category.size + d.tag.size + d.board.size).toBe(0);
    const none = entityCountDelta(added, added);
    expect(ENTITY_KINDS.every((k) => none[k].size === 0)).toBe(true);
  });

  test('a post moved to the next day moves one count', () => {
    const at = (dateMs: number) => [{ kind: 'tag' as const, entityId: 4, postId: 1, dateMs }];
    const d = readModelDelta(at(DAY_MS - 1), at(DAY_MS));
    expect(d.days).toEqual([
      { key: ['tag', 4, 0], by: -1 },
      { key: ['tag', 4, 1], by: 1 },
    ]);
  });

  test('the month of a day: the calendar month, in JS and in SQL alike', async () => {
    const t = await tempDatabase();
    try {
      const days: number[] = [];
      for (let d = -800_000; d <= 3_000_000; d += 9_973) days.push(d);
      // Month and year edges, leap days, 1970, 1900, 2000, 2100 and the years 0000 and 9999.
      for (const [y, m, d] of [
        [1970, 0, 1],
        [1969, 11, 31],
        [2000, 1, 29],
        [2000, 2, 1],
        [1900, 1, 28],
        [1900, 2, 1],
        [2100, 1, 28],
        [2022, 5, 16],
        [0, 0, 1],
        [0, 1, 29],
        [9999, 11, 31],
        [2024, 11, 31],
        [2025, 0, 1],
      ]) {
        const date = new Date(0);
        date.setUTCFullYear(y, m, d); // Date.UTC would read year 0 as 1900
        const day = date.getTime() / DAY_MS;
        days.push(day, day - 1, day + 1);
      }
      for (const day of days) {
        const date = new Date(day * DAY_MS);
        if (date.getUTCFullYear() >= 0) {
          expect([day, monthOfDay(day)]).toEqual([day, (date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth()]);
          const first = new Date(0);
          first.setUTCFullYear(date.getUTCFullYear(), date.getUTCMonth(), 1);
          expect(firstDayOfMonth(monthOfDay(day))).toBe(first.getTime() / DAY_MS);
        }
      }
      const chunk = 200;
      for (let i = 0; i < days.length; i += chunk) {
        const part = days.slice(i, i + chunk);
        const src = `(${part.map((d) => `SELECT 'stock' AS kind, 1 AS entity_id, ${d} AS posts, ${d} AS day`).join(' UNION ALL ')}) AS v`;
        const rows = await t.query<{ posts: number; month: number }>(
          `SELECT posts, month FROM (${monthOfDaySql(src)}) AS x`,
        );
        expect(rows.map((r) => [Number(r.posts), Number(r.month)]).sort((a, b) => a[0] - b[0])).toEqual(
          part.map((d) => [d, monthOfDay(d)]).sort((a, b) => a[0] - b[0]),
        );
      }
    } finally {
      await t.close();
    }
  });

  test('days before 1970 are floored, in JS and in SQL alike', async () => {
    const t = await tempDatabase();
    try {
      for (const ms of [-1, -DAY_MS, -DAY_MS - 1, 0, DAY_MS - 1, 1655308933000]) {
        const [{ day }] = await t.query<{ day: number }>(
          `SELECT ${daySql('x.ms')} AS day FROM (SELECT CAST(? AS BIGINT) AS ms) x`,
          ms,
        );
        expect([ms, Number(day)]).toEqual([ms, dayOf(ms)]);
      }
    } finally {
      await t.close();
    }
  });
});
