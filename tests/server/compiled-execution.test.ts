import type { AddressInfo } from 'node:net';
import { execute, getIntrospectionQuery, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { FRONT_PAGE, POST_PAGE, SEARCH, STOCK_PAGE } from '../../bench/queries';
import { createContext } from '../../src/graphql/context';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import { createApp } from '../../src/server/app';
import { CompiledExecution, compileOptionsFromEnv } from '../../src/server/compiled-execution';
import { ACCEPTANCE, AcceptanceQuery, PAGE, POST_FIELDS } from '../helpers/acceptance';
import { sampleApi } from '../helpers/api';
import { sampleServer } from '../helpers/server';

// graphql-jit must answer every query exactly as graphql-js does: data, error messages, paths and
// locations, over the real sample.

type Api = Awaited<ReturnType<typeof sampleApi>>;
let api: Api;
let schema: GraphQLSchema;

beforeAll(async () => {
  api = await sampleApi();
  schema = buildNewsgraphSchema();
}, 120_000);
afterAll(() => api.close());

/** A result as a client sees it (errors as Apollo would send their parts). */
const shown = (r: ExecutionResult) =>
  JSON.stringify({
    data: r.data,
    errors: r.errors?.map((e) => ({ message: e.message, path: e.path, locations: e.locations })),
  });

async function both(q: AcceptanceQuery, compiled = new CompiledExecution(schema, { after: 0, maxCompiled: 10 })) {
  const document = parse(q.query);
  const interpreted = await execute({
    schema,
    document,
    variableValues: q.variables,
    contextValue: createContext(api.store.runner()),
  });
  const jit = await compiled.execute({
    document,
    variables: q.variables,
    contextValue: createContext(api.store.runner()),
  });
  return { interpreted: shown(interpreted), jit: shown(jit), compiled };
}

const firstPost = async () =>
  (await api.ok(`{ posts(first: 3) { edges { node { id slug } } pageInfo { endCursor } } }`)).posts as {
    edges: { node: { id: string; slug: string } }[];
    pageInfo: { endCursor: string };
  };

describe('compiled execution answers like graphql-js', () => {
  test.each(ACCEPTANCE.map((a) => [a.name, a] as const))('%s', async (_name, a) => {
    const r = await both(a);
    expect(r.compiled.stats).toMatchObject({ compiled: 1, compiledRuns: 1, rerun: 0 });
    expect(r.interpreted).not.toContain('"errors":[');
    expect(r.jit).toBe(r.interpreted);
  });

  test("the benchmark's four pages, searches and the feed", async () => {
    const { edges, pageInfo } = await firstPost();
    const stock = '600050.SH';
    const queries: AcceptanceQuery[] = [
      { name: 'front', query: FRONT_PAGE },
      { name: 'front, next page', query: FRONT_PAGE, variables: { after: pageInfo.endCursor } },
      { name: 'stock', query: STOCK_PAGE, variables: { symbol: stock } },
      { name: 'stock in a window', query: STOCK_PAGE, variables: { symbol: stock, from: '2022-01-01T00:00:00Z' } },
      { name: 'post', query: POST_PAGE, variables: { slug: edges[1].node.slug } },
      ...['联通', '600050', 'NIO', '储能 回暖'].map((q) => ({ name: `search ${q}`, query: SEARCH, variables: { q } })),
      {
        name: 'feed',
        query: `{ changes(first: 50) { totalCount edges { cursor node { kind id url at post { title } } } headCursor } }`,
      },
    ];
    for (const q of queries) {
      const r = await both(q);
      expect(JSON.parse(r.interpreted).data).toBeTruthy();
      expect([q.name, r.jit]).toEqual([q.name, r.interpreted]);
    }
  });

  test('interfaces, fragments, directives, aliases, introspection', async () => {
    const { edges } = await firstPost();
    const queries: AcceptanceQuery[] = [
      {
        name: 'node by id, through the interface',
        query: `query($id: ID!, $s: ID!) {
          a: node(id: $id) { __typename id ... on Post { title stocks { symbol } } }
          b: node(id: $s) { __typename ...S }
        }
        fragment S on Stock { symbol name coverageCount }`,
        variables: { id: edges[0].node.id, s: (await api.ok(`{ stock(symbol: "NIO") { id } }`)).stock.id },
      },
      {
        name: '@include and @skip by variables',
        query: `query($full: Boolean!, $lean: Boolean!) {
          posts(first: 4) { edges { node { title html @include(if: $full) tags @skip(if: $lean) { name } } } }
        }`,
        variables: { full: false, lean: true },
      },
      { name: 'typename everywhere', query: `{ __typename posts(first: 2) { __typename edges { __typename } } }` },
      { name: 'introspection', query: getIntrospectionQuery() },
      {
        name: 'a whole page of whole posts',
        query: `{ posts(first: 30) { ${PAGE} edges { node { ${POST_FIELDS} } } } }`,
      },
    ];
    for (const q of queries) {
      const r = await both(q);
      expect([q.name, r.jit]).toEqual([q.name, r.interpreted]);
    }
  });

  test('errors a resolver raises keep their message, path and location; the rest of the data stays', async () => {
    const q = {
      name: 'a bad cursor beside a good field',
      query: `{ ok: posts(first: 1) { totalCount } bad: posts(first: 2, after: "not-a-cursor") { totalCount } }`,
    };
    const r = await both(q);
    const parsed = JSON.parse(r.interpreted) as { data: unknown; errors: { path: string[] }[] };
    expect(parsed.errors[0].path).toEqual(['bad']);
    expect(r.jit).toBe(r.interpreted);

    // The same error on its own nulls the whole answer (a non-null root field): still the compiled
    // answer, not a second run by graphql-js (that is only for errors before any resolver ran).
    const alone = await both({
      name: 'a bad cursor alone',
      query: `{ posts(first: 2, after: "not-a-cursor") { totalCount } }`,
    });
    expect(JSON.parse(alone.interpreted)).toMatchObject({ data: null, errors: [{ path: ['posts'] }] });
    expect(alone.jit).toBe(alone.interpreted);
    expect(alone.compiled.stats).toMatchObject({ compiledRuns: 1, rerun: 0 });
  });
});

test('hostile literals are data in the compiled code, never code', async () => {
  const hostile = [
    '"); globalThis.__pwned = 1; ("',
    "'); globalThis.__pwned = 1; ('",
    '`; globalThis.__pwned = 1; `',
    '${globalThis.__pwned = 1}',
    '\\"); globalThis.__pwned = 1; //',
    '\u2028\u2029*/ globalThis.__pwned = 1; /*',
  ];
  for (const h of hostile) {
    const literal = JSON.stringify(h);
    const r = await both({
      name: `search ${literal}`,
      query: `{ search(query: ${literal}, first: 3) { totalCount edges { snippet } } tag(name: ${literal}) { name } }`,
    });
    expect(r.jit).toBe(r.interpreted);
  }
  expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined();
});

describe('when and what it compiles', () => {
  test('variables that do not coerce are answered by graphql-js, with its messages and locations', async () => {
    for (const variables of [{ n: 'x' }, {}, { n: 2 ** 40 }]) {
      const r = await both({
        name: 'bad variables',
        query: `query($n: Int!) { posts(first: $n) { totalCount } }`,
        variables,
      });
      expect(r.compiled.stats.rerun).toBe(1);
      expect(JSON.parse(r.interpreted).errors[0].message).toMatch(/\$n/);
      expect(r.jit).toBe(r.interpreted);
    }
  });

  test('an operation runs interpreted `after` times, then compiled; `never` never compiles', async () => {
    const document = parse(`query A { posts(first: 2) { totalCount } } query B { stocks(first: 1) { totalCount } }`);
    const run = (c: CompiledExecution, operationName: string) =>
      c.execute({ document, operationName, contextValue: createContext(api.store.runner()) });
    const c = new CompiledExecution(schema, { after: 2, maxCompiled: 10 });
    for (let i = 0; i < 3; i++) await run(c, 'A');
    expect(c.stats).toMatchObject({ interpretedRuns: 2, compiledRuns: 1, compiled: 1 });
    // Each operation of a document counts apart.
    await run(c, 'B');
    expect(c.stats).toMatchObject({ interpretedRuns: 3, compiledRuns: 1, compiled: 1 });

    const never = new CompiledExecution(schema, { after: null, maxCompiled: 10 });
    for (let i = 0; i < 5; i++) await run(never, 'A');
    expect(never.stats).toMatchObject({ interpretedRuns: 5, compiledRuns: 0, compiled: 0 });
  });

  test('compiled operations are bounded: the least recently used document goes and is compiled again', async () => {
    const c = new CompiledExecution(schema, { after: 0, maxCompiled: 2 });
    const docs = [1, 2, 3].map((n) => parse(`{ posts(first: ${n}) { totalCount } }`));
    const run = (i: number) => c.execute({ document: docs[i], contextValue: createContext(api.store.runner()) });
    await run(0);
    await run(1);
    await run(0);
    await run(2); // evicts document 1, the least recently used
    expect(c.size).toEqual({ documents: 2, compiled: 2 });
    await run(0);
    expect(c.stats.compiled).toBe(3);
    await run(1);
    expect(c.stats.compiled).toBe(4);
    expect(c.size).toEqual({ documents: 2, compiled: 2 });
  });

  test('an operation graphql-jit cannot compile runs interpreted (here: one the document lacks)', async () => {
    const r = await both({ name: 'no such operation', query: `query A { posts(first: 1) { totalCount } }` });
    expect(r.jit).toBe(r.interpreted);
    const c = new CompiledExecution(schema, { after: 0, maxCompiled: 10 });
    const document = parse(`query A { posts(first: 1) { totalCount } }`);
    const res = await c.execute({ document, operationName: 'B', contextValue: createContext(api.store.runner()) });
    expect(res.errors?.[0].message).toBe('Unknown operation named "B".');
    expect(c.stats).toMatchObject({ declined: 1, interpretedRuns: 1 });
  });

  test('GRAPHQL_COMPILE_AFTER', () => {
    expect(compileOptionsFromEnv({}).after).toBe(1);
    expect(compileOptionsFromEnv({ GRAPHQL_COMPILE_AFTER: '0' }).after).toBe(0);
    expect(compileOptionsFromEnv({ GRAPHQL_COMPILE_AFTER: ' Never ' }).after).toBeNull();
    expect(() => compileOptionsFromEnv({ GRAPHQL_COMPILE_AFTER: 'soon' })).toThrow(
      'GRAPHQL_COMPILE_AFTER=soon: expected a whole number or "never"',
    );
  });
});

describe('over HTTP', () => {
  test('Apollo runs compiled operations: same bodies and statuses as graphql-js, bad variables still 400', async () => {
    const jit = await sampleServer({ compile: { after: 0, maxCompiled: 10 }, responseCacheMb: 0 });
    const plain = await sampleServer({ compile: { after: null, maxCompiled: 10 }, responseCacheMb: 0 });
    try {
      const requests = [
        { query: FRONT_PAGE },
        { query: STOCK_PAGE, variables: { symbol: 'NIO' } },
        { query: `query($n: Int!) { posts(first: $n) { totalCount } }`, variables: { n: 'x' } },
        { query: `{ posts(first: 1, after: "bad") { totalCount } }` },
      ];
      for (const body of requests) {
        const [a, b] = [await jit.post(body), await plain.post(body)];
        expect(a).toEqual(b);
      }
      expect((await jit.post(requests[2])).status).toBe(400);
      expect(jit.compiled.stats.compiledRuns).toBeGreaterThanOrEqual(4);
      expect(plain.compiled.stats.compiledRuns).toBe(0);
    } finally {
      await jit.close();
      await plain.close();
    }
  }, 120_000);
});

test('a resolver failing with a plain error (the database, a bug): the same partial answer and masked error as graphql-js', async () => {
  // The API's own store, whose statements on tags fail as a broken disk would.
  const failing = {
    ...api.store,
    runner: () => {
      const r = api.store.runner();
      const all = r.all.bind(r);
      r.all = (sql: string, params?: unknown[]) =>
        sql.includes('FROM tag t') ? Promise.reject(new Error('disk I/O error')) : all(sql, params);
      return r;
    },
  };
  const serve = async (compile: { after: number | null; maxCompiled: number }) => {
    const { httpServer, apollo, compiled } = await createApp({ store: failing, compile, responseCacheMb: 0 });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
    return { url, apollo, compiled };
  };
  const jit = await serve({ after: 0, maxCompiled: 10 });
  const plain = await serve({ after: null, maxCompiled: 10 });
  try {
    const query = `{ posts(first: 2) { totalCount edges { node { title tags { name } } } } }`;
    const ask = async (url: string) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      return { status: res.status, body: (await res.json()) as { data: unknown; errors: { message: string }[] } };
    };
    const [a, b] = [await ask(jit.url), await ask(plain.url)];
    expect(a).toEqual(b);
    expect(a.status).toBe(200);
    expect(a.body.errors[0]).toMatchObject({ message: 'internal error', path: ['posts', 'edges', 0, 'node', 'tags'] });
    expect(jit.compiled.stats.compiledRuns).toBe(1);
  } finally {
    await jit.apollo.stop();
    await plain.apollo.stop();
  }
});
