import { sampleApi } from '../helpers/api';

let api: Awaited<ReturnType<typeof sampleApi>>;
beforeAll(async () => {
  api = await sampleApi();
});
afterAll(() => api.close());

async function badInput(query: string, message: RegExp) {
  const r = await api.run(query);
  expect(r.errors).toHaveLength(1);
  expect(r.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(r.errors![0].message).toMatch(message);
}

test('page size outside 1..100', async () => {
  await badInput('{ posts(first: 1000) { totalCount } }', /`first` must be between 1 and 100, got 1000/);
  await badInput('{ posts(first: 0) { totalCount } }', /`first` must be between 1 and 100/);
  await badInput('{ posts(last: 101) { totalCount } }', /`last` must be between 1 and 100/);
  await badInput('{ stocks(first: -1) { totalCount } }', /`first`/);
  await badInput(
    '{ posts(first: 5) { edges { node { relatedCoverage(first: 500) { edges { score } } } } } }',
    /`first` must be between 1 and 100/,
  );
});

test('malformed or foreign cursors', async () => {
  await badInput('{ posts(after: "not a cursor!") { totalCount } }', /malformed cursor/);
  await badInput('{ posts(after: "e30") { totalCount } }', /does not belong/);
  const c = (await api.ok('{ tags(first: 1) { pageInfo { endCursor } } }')).tags.pageInfo.endCursor;
  await badInput(`{ posts(after: "${c}") { totalCount } }`, /does not belong to this connection/);
});

test('an empty cursor is refused on every connection, not read as the first page', async () => {
  const post = (await api.ok('{ posts(first: 1) { edges { node { id } } } }')).posts.edges[0].node.id;
  for (const q of [
    '{ posts(after: "") { totalCount } }',
    '{ posts(last: 2, before: "") { totalCount } }',
    '{ search(query: "联", after: "") { totalCount } }',
    '{ changes(after: "") { headCursor } }',
    '{ stocks(after: "") { totalCount } }',
    '{ tags(after: "") { totalCount } }',
    `{ node(id: "${post}") { ... on Post { relatedCoverage(after: "") { edges { score } } } } }`,
  ])
    await badInput(q, /`(after|before)` is empty/);
});

test('forged negative positions in search and related-coverage cursors', async () => {
  const forged = (kind: string, n: number) => Buffer.from(JSON.stringify([kind, n])).toString('base64url');
  await badInput(
    `{ search(query: "联", first: 3, after: "${forged('search', -5)}") { totalCount } }`,
    /does not belong/,
  );
  const post = (await api.ok('{ posts(first: 1) { edges { node { id } } } }')).posts.edges[0].node.id;
  await badInput(
    `{ node(id: "${post}") { ... on Post { relatedCoverage(first: 3, after: "${forged('related', -1)}") { edges { score } } } } }`,
    /does not belong/,
  );
  // The same cursors at 0 are positions a page can start after.
  await api.ok(`{ search(query: "联", first: 3, after: "${forged('search', 0)}") { totalCount } }`);
});

test('unknown symbol forms', async () => {
  await badInput('{ stock(symbol: "600050.XX") { id } }', /expected a stock symbol/);
  await badInput('{ stock(symbol: "") { id } }', /empty/);
  await badInput('{ posts(filter: { stocks: ["$$$"] }) { totalCount } }', /filter\.stocks/);
  await badInput('{ board(code: "nonsense") { id } }', /board code/);
});

test('invalid dates', async () => {
  await badInput('{ posts(filter: { dateFrom: "yesterday" }) { totalCount } }', /Invalid DateTime "yesterday"/);
  await badInput('{ posts(filter: { dateFrom: "2022-02-30" }) { totalCount } }', /Invalid DateTime/);
  const r = await api.run('query($d: DateTime) { posts(filter: { dateTo: $d }) { totalCount } }', { d: '2022-13-01' });
  expect(r.errors![0].message).toMatch(/Invalid DateTime/);
});

test('ambiguous lookups and empty search', async () => {
  await badInput('{ post(slug: "a", url: "/b") { id } }', /exactly one/);
  await badInput('{ search(query: "   ") { totalCount } }', /empty/);
});

test('search(query:) takes at most 200 characters', async () => {
  const at = await api.run(`{ search(query: "${'联'.repeat(200)}") { totalCount } }`);
  expect(at.errors).toBeUndefined();
  await badInput(`{ search(query: "${'联'.repeat(201)}") { totalCount } }`, /longer than 200 characters/);
});

test('coverageTimeline has at most 5000 buckets', async () => {
  const DAY = 86400000;
  const from = Date.UTC(2010, 0, 1);
  const timeline = (days: number) =>
    `{ stock(symbol: "600050.SH") { coverageTimeline(interval: DAY, from: "${new Date(from).toISOString()}", to: "${new Date(from + (days - 1) * DAY).toISOString()}") { start count } } }`;
  const at = await api.run(timeline(5000));
  expect(at.errors).toBeUndefined();
  expect(at.data.stock.coverageTimeline).toHaveLength(5000);
  await badInput(timeline(5001), /more than 5000 buckets/);
});

test('a list filter takes at most 100 values', async () => {
  const tags = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => `tag${i}`));
  const at = await api.run(`{ posts(filter: { tags: ${tags(100)} }) { totalCount } }`);
  expect(at.errors).toBeUndefined();
  await badInput(
    `{ posts(filter: { tags: ${tags(101)} }) { totalCount } }`,
    /filter.tags takes at most 100 values, got 101/,
  );
  await badInput(
    `{ posts(filter: { stocks: ${tags(101)} }) { totalCount } }`,
    /filter.stocks takes at most 100 values/,
  );
});
