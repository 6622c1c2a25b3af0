// The bench reports SQL statements per request at page sizes 5, 20 and 50 for every page: the
// documents must really change size, the counts must come out, and a difference must be flagged.
// (A page of 50 may run fewer: the post loader already holds related posts that are on the page.)
import { pickRequests } from '../../bench/queries';
import { statementsByPageSize } from '../../bench/statements';
import { pageSizeVerdict } from '../../bench/table';
import { sampleApi } from '../helpers/api';
import { sqliteOnly } from '../helpers/db';

sqliteOnly.describe('bench statement counts by page size on the sample', () => {
  let api: Awaited<ReturnType<typeof sampleApi>>;
  beforeAll(async () => {
    api = await sampleApi();
  });
  afterAll(() => api.close());

  test('the front page document takes the page size', async () => {
    const front = pickRequests(api.db).find((r) => r.name === 'front')!;
    for (const n of [5, 50]) expect((await api.ok(front.document(n))).posts.edges).toHaveLength(n);
  });

  test('every page is counted at both sizes, and none runs more statements for 50 posts than for 5', async () => {
    for (const req of pickRequests(api.db)) {
      const counts = await statementsByPageSize(api.db, req, [5, 50]);
      expect(counts.map((c) => c.error)).toEqual([undefined, undefined]);
      expect({ page: req.name, verdict: pageSizeVerdict(counts) }).not.toEqual({ page: req.name, verdict: 'more' });
      expect(counts[0].statements).toBeGreaterThan(0);
    }
  });

  test('a difference is flagged with its direction', () => {
    const at = (...n: (number | null)[]) => n.map((statements, i) => ({ pageSize: [5, 20, 50][i], statements }));
    expect(pageSizeVerdict(at(7, 7, 7))).toBe('same');
    expect(pageSizeVerdict(at(7, 7, 6))).toBe('fewer');
    expect(pageSizeVerdict(at(7, 8, 9))).toBe('more');
    expect(pageSizeVerdict(at(7, null, 7))).toBe('failed');
  });
});
