// The bench's hand-written floor must answer exactly what GraphQL answers for the same front page,
// first page and pages reached by cursor alike, or the ratio it reports compares different work.
import { frontPageBuilder } from '../../bench/floor-server';
import { FRONT_PAGE, pickRequests } from '../../bench/queries';
import { sampleApi } from '../helpers/api';
import { sqliteOnly } from '../helpers/db';

sqliteOnly.describe('bench floor and long-tail requests on the sample', () => {
  let api: Awaited<ReturnType<typeof sampleApi>>;
  beforeAll(async () => {
    api = await sampleApi();
  });
  afterAll(() => api.close());

  test('the floor equals GraphQL on the first page and on pages by cursor', async () => {
    const build = frontPageBuilder(api.db);
    let after: string | undefined;
    for (let page = 0; page < 4; page++) {
      const gql = await api.run(FRONT_PAGE, after ? { after } : undefined);
      expect(gql.errors).toBeUndefined();
      const floor = (await build(after)) as { data: unknown };
      expect(JSON.parse(JSON.stringify(floor.data))).toEqual(gql.data);
      after = (gql.data as { posts: { pageInfo: { endCursor: string } } }).posts.pageInfo.endCursor;
    }
  });

  test('every long-tail body is distinct and answers without errors', async () => {
    for (const req of pickRequests(api.db)) {
      expect(new Set(req.bodies).size).toBe(req.bodies.length);
      expect(req.bodies.length).toBeGreaterThan(1);
      for (const b of req.bodies.slice(0, 30)) {
        const { query, variables } = JSON.parse(b) as { query: string; variables?: Record<string, unknown> };
        const r = await api.run(query, variables);
        expect({ label: req.label, errors: r.errors }).toEqual({ label: req.label, errors: undefined });
      }
    }
  });
});
