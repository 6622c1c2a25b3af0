import { parse } from 'graphql';
import { TITLE_SCAN_COST } from '../../src/graphql/resolvers/filter-spec';
import { FACETS_COST } from '../../src/graphql/resolvers/query-resolver';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import {
  bodyLimitBytes,
  checkCost,
  DEFAULT_LIMITS,
  limitsFromEnv,
  MAX_VARIABLE_DEPTH,
  nestsDeeperThan,
} from '../../src/server/limits';
import { sampleServer } from '../helpers/server';

let s: Awaited<ReturnType<typeof sampleServer>>;
beforeAll(async () => {
  s = await sampleServer({
    limits: { maxDepth: 6, maxCost: 500, maxAliases: 3, maxTokens: 200, maxBatch: 2, bodyLimit: '2kb' },
    introspection: false,
  });
});
afterAll(() => s.close());

const refused = (r: { body: any }, pattern: RegExp) => {
  expect(r.body.data ?? null).toBeNull();
  expect(r.body.errors[0].message).toMatch(pattern);
};
const passes = (r: { status: number; body: any }) => {
  expect(r.body.errors).toBeUndefined();
  expect(r.status).toBe(200);
};

test('depth: at the limit passes, one more is refused', async () => {
  // posts > edges > node > stocks > posts > totalCount = depth 6
  passes(await s.gql('{ posts(first: 1) { edges { node { stocks { posts(first: 1) { totalCount } } } } } }'));
  refused(
    await s.gql('{ posts(first: 1) { edges { node { stocks { posts(first: 1) { edges { cursor } } } } } } }'),
    /depth 7 exceeds the limit of 6/,
  );
  // Fragments count too.
  refused(
    await s.gql(
      '{ posts(first: 1) { ...P } } fragment P on PostConnection { edges { node { stocks { posts(first: 1) { edges { cursor } } } } } }',
    ),
    /depth 7/,
  );
});

test('cost multiplies by page size, with variables', async () => {
  // 1 + 100 * (1 + 1 + (1 + 1)) = 401 at first 100; over 500 with a nested page.
  passes(await s.gql('query($n: Int) { posts(first: $n) { edges { node { title } } } }', { n: 100 }));
  refused(
    await s.gql(
      'query($n: Int) { posts(first: $n) { edges { node { title stocks { posts(first: 5) { totalCount } } } } } }',
      { n: 100 },
    ),
    /cost \d+ exceeds the limit of 500/,
  );
  passes(
    await s.gql(
      'query($n: Int) { posts(first: $n) { edges { node { title stocks { posts(first: 5) { totalCount } } } } } }',
      { n: 5 },
    ),
  );
});

test('postFacets weighs FACETS_COST: under the default limit a document holds nine, not thirty aliases', () => {
  const schema = buildNewsgraphSchema();
  const facets = (n: number) =>
    parse(
      `{ ${Array.from({ length: n }, (_, i) => `f${i}: postFacets(filter: { tags: ["t${i}"] }) { total stocks { count } }`).join(' ')} }`,
    );
  const limit = DEFAULT_LIMITS.maxCost;
  expect(Math.floor(limit / FACETS_COST)).toBeLessThan(DEFAULT_LIMITS.maxAliases);
  expect(() => checkCost(schema, limit, facets(9), null, {})).not.toThrow();
  expect(() => checkCost(schema, limit, facets(10), null, {})).toThrow(/query cost \d+ exceeds the limit of 25000/);
  // Other fields still cost 1 each: thirty aliased counts pass.
  const counts = parse(
    `{ ${Array.from({ length: 30 }, (_, i) => `c${i}: posts(first: 1) { totalCount }`).join(' ')} }`,
  );
  expect(() => checkCost(schema, limit, counts, null, {})).not.toThrow();
});

test('a filter with titleContains (at any depth) weighs TITLE_SCAN_COST: a document holds nine such lists', () => {
  const schema = buildNewsgraphSchema();
  const limit = DEFAULT_LIMITS.maxCost;
  const lists = (n: number, filter: string) =>
    parse(
      `{ ${Array.from({ length: n }, (_, i) => `p${i}: posts(first: 1, filter: ${filter}) { totalCount }`).join(' ')} }`,
    );
  expect(Math.floor(limit / TITLE_SCAN_COST)).toBe(10);
  for (const filter of ['{ titleContains: "银行" }', '{ or: [{ tags: ["x"] }, { not: { titleContains: "银行" } }] }']) {
    expect(() => checkCost(schema, limit, lists(9, filter), null, {})).not.toThrow();
    expect(() => checkCost(schema, limit, lists(10, filter), null, {})).toThrow(/query cost \d+ exceeds/);
  }
  // Under a list of stocks each stock's page scans too: twenty of them are refused.
  expect(() =>
    checkCost(
      schema,
      limit,
      parse(
        '{ stocks(first: 20) { edges { node { posts(first: 1, filter: { titleContains: "x" }) { totalCount } } } } }',
      ),
      null,
      {},
    ),
  ).toThrow(/exceeds/);
  // Filters an index answers cost what they did: thirty pass.
  expect(() => checkCost(schema, limit, lists(30, '{ tags: ["x"], dateFrom: "2022-01-01" }'), null, {})).not.toThrow();
});

test('a cost is remembered per document only for what it depends on: page sizes, directives, null vs absent', async () => {
  const q =
    'query($n: Int, $after: String, $deep: Boolean!) { posts(first: $n, after: $after) { edges { node { title stocks @include(if: $deep) { posts(first: 5) { totalCount } } } } } }';
  // The same document, alternating what the cost counts: each verdict follows its own variables.
  for (let round = 0; round < 2; round++) {
    passes(await s.gql(q, { n: 100, deep: false }));
    refused(await s.gql(q, { n: 100, deep: true }), /cost \d+ exceeds the limit of 500/);
    passes(await s.gql(q, { n: 5, deep: true }));
    // A cursor changes what is read, not the cost: still refused with another one.
    refused(await s.gql(q, { n: 100, deep: true, after: null }), /cost \d+ exceeds/);
  }
  // Absent takes the default (100 here: refused); null means no page size (the default page: passes).
  const d =
    'query($n: Int = 100) { posts(first: $n) { edges { node { title stocks { posts(first: 5) { totalCount } } } } } }';
  refused(await s.gql(d, {}), /cost \d+ exceeds/);
  passes(await s.gql(d, { n: null }));
  refused(await s.gql(d, {}), /cost \d+ exceeds/);
});

test('aliases: three pass, four are refused', async () => {
  passes(
    await s.gql(
      '{ a: tags(first: 1) { totalCount } b: tags(first: 1) { totalCount } c: tags(first: 1) { totalCount } }',
    ),
  );
  refused(
    await s.gql(
      '{ a: tags(first: 1) { totalCount } b: tags(first: 1) { totalCount } c: tags(first: 1) { totalCount } d: tags(first: 1) { totalCount } }',
    ),
    /more than 3 aliases/,
  );
});

test('tokens: a document over the token limit is refused before validation', async () => {
  const fields = (n: number) => `{ ${'__typename '.repeat(n)}}`;
  passes(await s.gql(fields(150)));
  refused(await s.gql(`{ ${'a '.repeat(250)}}`), /more that 200 tokens/);
});

test('batches: two operations pass, three are refused; page size is capped', async () => {
  const op = { query: '{ tags(first: 1) { totalCount } }' };
  const two = await s.post([op, op]);
  expect(two.status).toBe(200);
  expect(two.body).toHaveLength(2);
  const three = await s.post([op, op, op]);
  expect(three.status).toBe(400);
  expect(three.body.errors[0].message).toMatch(/at most 2 operations, got 3/);
  refused(await s.gql('{ posts(first: 101) { totalCount } }'), /between 1 and 100/);
  passes(await s.gql('{ posts(first: 100) { totalCount } }'));
});

test('body size limit answers 413 in GraphQL error shape', async () => {
  const r = await s.post({ query: `{ tags(first: 1) { totalCount } } # ${'x'.repeat(4000)}` });
  expect(r.status).toBe(413);
  expect(r.body.errors[0].message).toMatch(/too large/i);
});

/** A PostFilter nesting `n` filters in `not`: n + 1 levels of objects under the variables. */
const nots = (n: number): Record<string, unknown> => (n === 0 ? { tags: ['x'] } : { not: nots(n - 1) });
const FILTERED = 'query($f: PostFilter) { posts(first: 1, filter: $f) { totalCount } }';

test('variables nested past MAX_VARIABLE_DEPTH are refused with 400 before anything walks them', async () => {
  const deep = await s.gql(FILTERED, { f: nots(MAX_VARIABLE_DEPTH) });
  expect(deep.status).toBe(400);
  expect(deep.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  refused(deep, /variables nest objects and lists more than 128 deep/);
  // Within the bound, the filter's own rules answer.
  refused(await s.gql(FILTERED, { f: nots(5) }), /filters nest at most 4 levels deep/);
  passes(await s.gql(FILTERED, { f: nots(4) }));
  // What overflowed the stack (a 500): 1,000 nested `or`, 9 KB, in a body the default limit admits
  // (written out by hand: JSON.stringify would overflow here first).
  const roomy = await sampleServer();
  try {
    const f = '{"or":['.repeat(1000) + '{"tags":["x"]}' + ']}'.repeat(1000);
    const res = await fetch(`${roomy.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"query":${JSON.stringify(FILTERED)},"variables":{"f":${f}}}`,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0].message).toMatch(/more than 128 deep/);
  } finally {
    await roomy.close();
  }
});

test('nestsDeeperThan counts objects and lists, and walks a deep value without recursion', () => {
  expect(nestsDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
  expect(nestsDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
  expect(nestsDeeperThan('text', 0)).toBe(false);
  let v: unknown = 1;
  for (let i = 0; i < 200_000; i++) v = [v];
  expect(nestsDeeperThan(v, 199_999)).toBe(true);
  expect(nestsDeeperThan(v, 200_000)).toBe(false);
});

test('@skip and @include on a variable that was not given: 400 from execution, not a 500', async () => {
  const r = await s.gql('query($s: Boolean!) { posts(first: 1) @skip(if: $s) { totalCount } }');
  expect(r.status).toBe(400);
  expect(r.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(r.body.errors[0].message).toMatch(/"\$s" of required type "Boolean!" was not provided/);
  const nulled = await s.gql('query($s: Boolean = true) { posts(first: 1) @include(if: $s) { totalCount } }', {
    s: null,
  });
  expect(nulled.status).toBe(400);
  expect(nulled.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(nulled.body.errors[0].message).toMatch(/"if" of non-null type "Boolean!" must not be null/);
});

test('the body limit in bytes, as express reads it', () => {
  expect(bodyLimitBytes('100kb')).toBe(102_400);
  expect(bodyLimitBytes('2MB')).toBe(2 * 1024 ** 2);
  expect(bodyLimitBytes('512')).toBe(512);
  expect(() => bodyLimitBytes('lots')).toThrow('body limit lots');
});

test('introspection and field suggestions are off when configured so', async () => {
  refused(await s.gql('{ __schema { types { name } } }'), /introspection/i);
  const typo = await s.gql('{ postz { totalCount } }');
  expect(typo.body.errors[0].message).not.toMatch(/Did you mean/);
});

test('limits come from the environment, and malformed values are errors naming the variable', () => {
  expect(limitsFromEnv({})).toEqual(DEFAULT_LIMITS);
  expect(limitsFromEnv({ GRAPHQL_MAX_DEPTH: '20', GRAPHQL_BODY_LIMIT: '1mb' })).toMatchObject({
    maxDepth: 20,
    bodyLimit: '1mb',
  });
  expect(() => limitsFromEnv({ GRAPHQL_MAX_COST: 'lots' })).toThrow(
    'GRAPHQL_MAX_COST=lots: expected a positive integer',
  );
});

test('the default limits admit the contract traversals', async () => {
  const d = await sampleServer();
  const r = await d.gql(`{ posts(first: 20) { edges { node { title categories { slug } tags { name } publisher { name }
    stocks { symbol posts(first: 20) { edges { node { title relatedCoverage(first: 3) { edges { score node { url } } } } } } }
    relatedCoverage(first: 3) { edges { score sharedStocks { symbol } node { url } } } } } } }`);
  expect(r.body.errors).toBeUndefined();
  await d.close();
});
