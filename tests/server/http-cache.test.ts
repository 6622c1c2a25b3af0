import type { AddressInfo } from 'node:net';
import { isInterfaceType, isObjectType } from 'graphql';
import { createApp } from '../../src/server/app';
import { cacheMaxAgeFromEnv, DEFAULT_CACHE_MAX_AGE } from '../../src/server/http-cache';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import { tempDatabase } from '../helpers/db';

// Cache-Control on /graphql: `public, max-age=N` only for a successful GET, `no-store` for the rest.
let url: string;
let stop: () => Promise<void>;
beforeAll(async () => {
  const t = await tempDatabase();
  const { httpServer, apollo } = await createApp({
    store: t.store,
    cacheMaxAge: 30,
    limits: { maxDepth: 15, maxCost: 25000, maxAliases: 30, maxTokens: 3000, maxBatch: 10, bodyLimit: '1kb' },
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
  stop = async () => {
    await apollo.stop();
    await t.close();
  };
});
afterAll(() => stop());

const Q = '{ tags(first: 1) { totalCount } }';
const preflight = { 'apollo-require-preflight': 'true' };
const getQ = (query: string, headers: Record<string, string> = preflight) =>
  fetch(`${url}?query=${encodeURIComponent(query)}`, { headers });
const postQ = (body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('a successful GET is public for the configured max-age, and varies by Accept', async () => {
  const res = await getQ(Q);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('public, max-age=30');
  expect(res.headers.get('vary')).toMatch(/Accept/);
});

test('POST, batches and every kind of error are no-store', async () => {
  const cases: [string, Promise<Response>][] = [
    ['POST', postQ({ query: Q })],
    ['batch', postQ([{ query: Q }, { query: Q }])],
    ['GET with a validation error', getQ('{ nope }')],
    ['GET with a parse error', getQ('{')],
    ['GET with a resolver error (bad argument)', getQ('{ posts(first: 1000) { totalCount } }')],
    ['GET refused by CSRF prevention', getQ(Q, {})],
    [
      'GET of an unknown APQ hash',
      fetch(
        `${url}?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } }))}`,
      ),
    ],
    [
      'malformed JSON body',
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{ nope' }),
    ],
    ['body over the size limit', postQ({ query: `${Q} # ${'x'.repeat(2000)}` })],
    ['batch over the limit', postQ(Array.from({ length: 11 }, () => ({ query: Q })))],
  ];
  for (const [name, pending] of cases) {
    const res = await pending;
    expect([name, res.headers.get('cache-control')]).toEqual([name, 'no-store']);
  }
});

test('GRAPHQL_CACHE_MAX_AGE: default 60, 0 allowed (nothing cacheable), malformed values name the variable', () => {
  expect(cacheMaxAgeFromEnv({})).toBe(DEFAULT_CACHE_MAX_AGE);
  expect(DEFAULT_CACHE_MAX_AGE).toBe(60);
  expect(cacheMaxAgeFromEnv({ GRAPHQL_CACHE_MAX_AGE: '300' })).toBe(300);
  expect(cacheMaxAgeFromEnv({ GRAPHQL_CACHE_MAX_AGE: '0' })).toBe(0);
  expect(() => cacheMaxAgeFromEnv({ GRAPHQL_CACHE_MAX_AGE: '-1' })).toThrow(
    'GRAPHQL_CACHE_MAX_AGE=-1: expected a whole number of seconds',
  );
});

test('max-age 0 makes successful GETs no-store too', async () => {
  const t = await tempDatabase();
  const { httpServer, apollo } = await createApp({ store: t.store, cacheMaxAge: 0 });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(
      `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql?query=${encodeURIComponent(Q)}`,
      { headers: preflight },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  } finally {
    await apollo.stop();
    await t.close();
  }
});

test('only a query that executes a data field is cacheable: meta fields alone, or all skipped, are no-store', async () => {
  const cases: [string, string, string | null][] = [
    ['data field', '{ tags(first: 1) { totalCount } }', 'public, max-age=30'],
    [
      'data field through a fragment',
      'query { ...F } fragment F on Query { tags(first: 1) { totalCount } }',
      'public, max-age=30',
    ],
    ['data field in an inline fragment', '{ ... on Query { tags(first: 1) { totalCount } } }', 'public, max-age=30'],
    ['__typename alone', '{ __typename }', 'no-store'],
    ['introspection alone', '{ __schema { queryType { name } } }', 'no-store'],
    ['the data field skipped', '{ __typename tags(first: 1) @skip(if: true) { totalCount } }', 'no-store'],
    ['the data field not included', '{ __typename tags(first: 1) @include(if: false) { totalCount } }', 'no-store'],
  ];
  for (const [name, query, header] of cases) {
    const res = await getQ(query);
    expect([name, res.status, res.headers.get('cache-control')]).toEqual([name, 200, header]);
  }
  const skipByVariable = await fetch(
    `${url}?query=${encodeURIComponent('query ($s: Boolean!) { __typename tags(first: 1) @skip(if: $s) { totalCount } }')}&variables=${encodeURIComponent('{"s":true}')}`,
    { headers: preflight },
  );
  expect(skipByVariable.headers.get('cache-control')).toBe('no-store');
});

test('the schema has no @cacheControl hints: the one policy for every data query (http-cache.ts) relies on it', () => {
  const schema = buildNewsgraphSchema();
  const hinted: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.astNode?.directives?.some((d) => d.name.value === 'cacheControl')) hinted.push(type.name);
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields()))
      if (field.astNode?.directives?.some((d) => d.name.value === 'cacheControl'))
        hinted.push(`${type.name}.${field.name}`);
  }
  expect(hinted).toEqual([]);
  expect(schema.getDirective('cacheControl')).toBeUndefined();
});
