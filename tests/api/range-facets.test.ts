import path from 'node:path';
import { generateArchive } from '../../bench/gen/main';
import { importArchives } from '../../src/db/importer';
import { MAX_FACET_ENTRIES, type FacetCounts } from '../../src/db/queries/facet-counts';
import { postFacets, postsFacets, topCounts } from '../../src/db/queries/post-facets';
import { postCounts } from '../../src/db/queries/post-pages';
import { rangeFacets } from '../../src/db/queries/range-facets';
import { DAY_MS, dayOf, firstDayOfMonth, monthOfDay } from '../../src/db/writes/read-model';
import { SEED, tempDatabase, TempDatabase, tempDir } from '../helpers/db';

// The facets of a date range (or of every post) and the count of all posts in one come from the
// read model's month and day rows (kind `post` for all posts); each must be what counting the posts
// gives, for any instants: the real finews posts and a generated archive spread over years.

let t: TempDatabase;
let dates: number[];

beforeAll(async () => {
  t = await tempDatabase();
  const generated = path.join(tempDir(), 'generated');
  await generateArchive({ posts: 300, out: generated, seed: 11, force: true });
  await importArchives(t.writeStore, [SEED, generated], { workers: 0 });
  dates = (await t.query<{ d: number | string }>('SELECT date_ms AS d FROM post ORDER BY date_ms')).map((r) =>
    Number(r.d),
  );
}, 60_000);
afterAll(() => t.close());

/** What a facet list can show: each kind's MAX_FACET_ENTRIES largest counts (most first, ties by id). */
const plain = (c: FacetCounts) => ({
  total: c.total,
  byKind: Object.fromEntries(Object.entries(c.byKind).map(([k, m]) => [k, topCounts(m, MAX_FACET_ENTRIES)])),
  days: c.days,
});

/** Ranges that start and end on instants, day and month bounds, inside one day, open, empty. */
function ranges(): [number | null, number | null][] {
  const min = dates[0];
  const max = dates[dates.length - 1];
  const mid = dates[Math.floor(dates.length / 2)];
  const dayStart = (ms: number) => dayOf(ms) * DAY_MS;
  const monthStart = (ms: number) => firstDayOfMonth(monthOfDay(dayOf(ms))) * DAY_MS;
  return [
    [null, null],
    [min, max],
    [min + 1, max - 1],
    [mid, null],
    [null, mid],
    [mid + 1, null],
    [null, mid - 1],
    [dayStart(min), dayStart(max) + DAY_MS - 1],
    [monthStart(mid), null],
    [null, monthStart(mid) - 1],
    [monthStart(min), monthStart(max) - 1],
    [monthStart(mid) + 3_600_000, monthStart(mid) + 40 * DAY_MS + 7],
    [dayStart(mid), dayStart(mid) + DAY_MS - 1],
    [dayStart(mid) + 1, dayStart(mid) + DAY_MS - 2],
    [mid, mid],
    [mid - DAY_MS, mid + DAY_MS],
    [max + 1, null],
    [null, min - 1],
    [mid, mid - 1],
  ];
}

test('the real and the generated posts span months and years', () => {
  expect(dates.length).toBeGreaterThan(390);
  const months = new Set(dates.map((d) => monthOfDay(dayOf(d))));
  expect(months.size).toBeGreaterThan(12);
});

test('facets of a date range from the read model equal the facets counted from its posts', async () => {
  for (const [from, to] of ranges()) {
    const filter = { dateFrom: from ?? undefined, dateTo: to ?? undefined };
    const fromReadModel = plain(await postFacets(t.store.runner(), filter, null));
    const counted = plain(await postsFacets(t.store.runner(), filter, null));
    expect({ from, to, ...fromReadModel }).toEqual({ from, to, ...counted });
    expect(fromReadModel.total).toBe(
      dates.filter((d) => (from === null || d >= from) && (to === null || d <= to)).length,
    );
  }
  // Not a vacuous comparison: every kind has counts over all posts, and stocks more than a list shows.
  const all = await postFacets(t.store.runner(), undefined, null);
  for (const m of Object.values(all.byKind)) expect(m.size).toBeGreaterThan(0);
  expect((await postsFacets(t.store.runner(), undefined, null)).byKind.stock.size).toBeGreaterThan(MAX_FACET_ENTRIES);
  expect(all.total).toBe(dates.length);
});

test('a date range costs one statement, plus one for each day its ends cut', async () => {
  const mid = dates[Math.floor(dates.length / 2)];
  const cases: [number | null, number | null, number][] = [
    [null, null, 1],
    [dayOf(mid) * DAY_MS, null, 1],
    [mid + 1, null, 2],
    [mid + 1, mid + 40 * DAY_MS, 3],
  ];
  for (const [from, to, statements] of cases) {
    const run = t.store.runner();
    await postFacets(run, { dateFrom: from ?? undefined, dateTo: to ?? undefined }, null);
    expect({ from, to, statements: run.statements }).toEqual({ from, to, statements });
  }
});

test('any other filter or a search is counted from the posts', async () => {
  const run = t.store.runner();
  const [{ slug }] = await t.query<{ slug: string }>('SELECT slug FROM category ORDER BY post_count DESC LIMIT 1');
  const byCategory = await postFacets(run, { categories: [slug] }, null);
  expect(plain(byCategory)).toEqual(plain(await postsFacets(t.store.runner(), { categories: [slug] }, null)));
  expect(byCategory.total).toBeLessThan(dates.length);
});

test('the count of all posts in a date range comes from the read model and is exact', async () => {
  for (const [from, to] of ranges()) {
    const filter = { dateFrom: from ?? undefined, dateTo: to ?? undefined };
    const [n] = await postCounts(t.store.runner(), [
      { scope: null, filter, ascending: false, forward: true, limit: 20 },
    ]);
    expect({ from, to, n }).toEqual({
      from,
      to,
      n: dates.filter((d) => (from === null || d >= from) && (to === null || d <= to)).length,
    });
  }
});

test('the migration that adds the all-posts rows makes them as the import keeps them', async () => {
  const rows = () =>
    t.query<{ table: string; k: number; n: number }>(
      `SELECT 'day' AS "table", day AS k, posts AS n FROM coverage_day WHERE kind = 'post'
       UNION ALL SELECT 'month', month, posts FROM coverage_month WHERE kind = 'post' ORDER BY 1, 2`,
    );
  const kept = await rows();
  expect(kept.length).toBeGreaterThan(12);
  const applied = async () =>
    (await t.ds.query<{ name: string }[]>(`SELECT name FROM migrations`)).some((r) =>
      r.name.includes('CoverageAllPosts'),
    );
  while (await applied()) await t.ds.undoLastMigration({ transaction: 'each' });
  expect(await rows()).toEqual([]);
  await t.ds.runMigrations({ transaction: 'each' });
  expect(await rows()).toEqual(kept);
});

test('an entity the cut days lift into the top is counted with its whole days too', async () => {
  const mid = dates[Math.floor(dates.length / 2)];
  const from = dayOf(mid) * DAY_MS + 1;
  // The whole days after the cut one, counted from the posts: every stock's count.
  const whole = await postsFacets(t.store.runner(), { dateFrom: (dayOf(mid) + 1) * DAY_MS }, null);
  const ranked = topCounts(whole.byKind.stock, whole.byKind.stock.size);
  expect(ranked.length).toBeGreaterThan(MAX_FACET_ENTRIES + 10);
  // A stock far below the top, which a (made up) cut day lifts above every other.
  const lifted = ranked[MAX_FACET_ENTRIES + 5];
  const cutDay = async (): Promise<FacetCounts> => ({
    total: 1000,
    byKind: {
      category: new Map(),
      tag: new Map(),
      stock: new Map([[lifted.id, 1000]]),
      board: new Map(),
      publisher: new Map(),
    },
    days: [{ day: dayOf(mid), n: 1000 }],
  });
  const got = await rangeFacets(t.store.runner(), from, null, cutDay);
  const [first] = topCounts(got.byKind.stock, 1);
  expect(first).toEqual({ id: lifted.id, count: lifted.count + 1000 });
  expect(got.total).toBe(whole.total + 1000);
  // The rest as the whole days rank them.
  expect(topCounts(got.byKind.stock, MAX_FACET_ENTRIES).slice(1)).toEqual(
    ranked.filter((r) => r.id !== lifted.id).slice(0, MAX_FACET_ENTRIES - 1),
  );
});
