import { EXAMPLE_QUERIES } from '../../src/server/example-queries';
import { sampleApi } from '../helpers/api';

// GraphiQL opens with these tabs: each must answer on the bundled sample, with data in every
// top-level field (an example that shows an empty answer teaches nothing).

let api: Awaited<ReturnType<typeof sampleApi>>;
beforeAll(async () => {
  api = await sampleApi();
});
afterAll(() => api.close());

test.each(EXAMPLE_QUERIES.map((e) => [e.title, e] as const))('%s', async (_title, e) => {
  const data = await api.ok(e.query, e.variables ? JSON.parse(e.variables) : undefined);
  for (const [field, value] of Object.entries(data as Record<string, any>)) {
    const size = value?.totalCount ?? value?.total ?? (Array.isArray(value?.edges) ? value.edges.length : 1);
    if (value === null || size === 0) throw new Error(`${e.title}: ${field} is empty`);
  }
});
