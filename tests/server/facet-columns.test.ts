import { DEFAULT_FACET_INDEX_MB, facetIndexMbFromEnv } from '../../src/db/queries/facet-index';
import { sampleServer } from '../helpers/server';

// The server counts postFacets over a filter with its facet columns once the first such request
// has built them; NEWSGRAPH_FACET_INDEX_MB=0 (facetIndexMb: 0) keeps every count in SQL. Both
// answer alike.

const FACETS = `query($f: PostFilter) { postFacets(filter: $f) {
  total categories { count category { slug } } tags { count tag { name } } stocks(first: 20) { count stock { symbol } }
  boards { count board { code } } publishers { count publisher { name } } dates(interval: WEEK) { start count }
} }`;
const FILTER = { f: { tags: ['东财滚动新闻'] } };

async function builtWithin(ms: number, ready: () => boolean): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (ready()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return ready();
}

test('the first filtered postFacets builds the columns; the next ones count with them', async () => {
  const s = await sampleServer();
  try {
    expect(s.facets.ready).toBe(false);
    const first = await s.gql(FACETS, FILTER);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.postFacets.total).toBeGreaterThan(10);
    expect(await builtWithin(5000, () => s.facets.ready)).toBe(true);
    const again = await s.gql(FACETS, FILTER);
    expect(again.body).toEqual(first.body);
    expect(s.facets.stats()).toMatchObject({ builds: 1, sets: 1 });
  } finally {
    await s.close();
  }
});

test('facetIndexMb: 0 keeps facets in SQL, with the same answers', async () => {
  const s = await sampleServer({ facetIndexMb: 0 });
  try {
    const first = await s.gql(FACETS, FILTER);
    expect(await builtWithin(300, () => s.facets.ready)).toBe(false);
    expect((await s.gql(FACETS, FILTER)).body).toEqual(first.body);
    expect(s.facets.stats()).toMatchObject({ builds: 0, sets: 0 });
  } finally {
    await s.close();
  }
});

test('NEWSGRAPH_FACET_INDEX_MB: a whole number of megabytes, 0 turns the columns off', () => {
  expect(facetIndexMbFromEnv({})).toBe(DEFAULT_FACET_INDEX_MB);
  expect(DEFAULT_FACET_INDEX_MB).toBe(256);
  expect(facetIndexMbFromEnv({ NEWSGRAPH_FACET_INDEX_MB: '0' })).toBe(0);
  expect(facetIndexMbFromEnv({ NEWSGRAPH_FACET_INDEX_MB: '1024' })).toBe(1024);
  for (const bad of ['-1', 'abc', '1.5'])
    expect(() => facetIndexMbFromEnv({ NEWSGRAPH_FACET_INDEX_MB: bad })).toThrow(
      `NEWSGRAPH_FACET_INDEX_MB=${bad}: expected`,
    );
});
