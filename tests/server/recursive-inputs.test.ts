import { buildSchema, parse } from 'graphql';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import { CompiledExecution } from '../../src/server/compiled-execution';
import { takesRecursiveInput } from '../../src/server/recursive-inputs';
import { createContext } from '../../src/graphql/context';
import { sampleApi } from '../helpers/api';

// graphql-jit inlines the coercion of a recursive input type into itself without end when a
// variable has that type (graphql-jit#81): the server ran out of memory on the second run of a
// query taking `$filter: PostFilter`. Such operations stay with graphql-js.

describe('takesRecursiveInput', () => {
  const schema = buildSchema(`
    input Leaf { v: Int }
    input A { b: B, leaf: Leaf }
    input B { a: [A!] }
    input Holder { inner: A }
    input Flat { leaf: Leaf, n: Int }
    type Query { f(a: A, h: Holder, flat: Flat, n: Int): Int }
  `);
  test.each([
    ['query($a: A) { f(a: $a) }', true],
    ['query($a: [A!]!) { f(a: { b: { a: $a } }) }', true],
    ['query($h: Holder) { f(h: $h) }', true],
    ['query($flat: Flat, $n: Int) { f(flat: $flat, n: $n) }', false],
    ['query($l: Leaf) { f(flat: { leaf: $l }) }', false],
    ['{ f(a: { b: { a: [{ leaf: { v: 1 } }] } }) }', false],
  ])('%s: %p', (source, expected) => {
    expect(takesRecursiveInput(schema, parse(source))).toBe(expected);
  });

  test("newsgraph's PostFilter is recursive, StockFilter is not; the operation named is the one asked", () => {
    const s = buildNewsgraphSchema();
    const doc = parse(`query P($f: PostFilter) { posts(filter: $f) { totalCount } }
      query S($f: StockFilter) { stocks(filter: $f) { totalCount } }`);
    expect(takesRecursiveInput(s, doc, 'P')).toBe(true);
    expect(takesRecursiveInput(s, doc, 'S')).toBe(false);
  });
});

test('a query with a PostFilter variable runs again and again, answered by graphql-js', async () => {
  const api = await sampleApi();
  try {
    const schema = buildNewsgraphSchema();
    const compiled = new CompiledExecution(schema, { after: 0, maxCompiled: 10 });
    const document = parse(
      `query($f: PostFilter) { posts(first: 5, filter: $f) { totalCount edges { node { title } } } }`,
    );
    const variables = { f: { or: [{ tags: ['东财滚动新闻'] }, { not: { stocks: ['600050'] } }] } };
    for (let i = 0; i < 3; i++) {
      const r = await compiled.execute({ document, variables, contextValue: createContext(api.store.runner()) });
      expect(r.errors).toBeUndefined();
      expect((r.data as any).posts.totalCount).toBeGreaterThan(0);
    }
    expect(compiled.stats).toMatchObject({ compiled: 0, declined: 1, interpretedRuns: 3 });
  } finally {
    await api.close();
  }
});
