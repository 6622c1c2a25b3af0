import { sampleServer } from '../helpers/server';

let s: Awaited<ReturnType<typeof sampleServer>>;
beforeAll(async () => {
  s = await sampleServer();
});
afterAll(() => s.close());

test('/healthz answers', async () => {
  const res = await fetch(`${s.url}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
});

test('a browser GET of /graphql gets GraphiQL from installed packages, no CDN', async () => {
  const res = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain('GraphiQL');
  expect(html).not.toMatch(/https?:\/\/(?!localhost)[a-z0-9.-]+\//i);
  for (const src of html.match(/(?:src|href)="([^"]+)"/g)!.map((m) => m.split('"')[1])) {
    const asset = await fetch(`${s.url}${src}`);
    expect(asset.status).toBe(200);
    expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  }
});

test('POST /graphql runs the traversal', async () => {
  const r = await s.gql(
    `{ post(url: "/xiningwanbao/2022/06/16/NW202206162414061171.html") { title stocks { symbol posts { edges { node { title relatedCoverage(first: 2) { edges { node { url } } } } } } } } }`,
  );
  expect(r.status).toBe(200);
  expect(r.body.errors).toBeUndefined();
  expect(r.body.data.post.stocks).toHaveLength(2);
});

test('a bad argument is a 200/400 with BAD_USER_INPUT, not a crash', async () => {
  const r = await s.gql('{ posts(first: 1000) { totalCount } }');
  expect(r.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  const v = await s.gql('query($d: DateTime) { posts(filter: { dateFrom: $d }) { totalCount } }', { d: 'nope' });
  expect(v.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(v.body.errors[0].message).toMatch(/Invalid DateTime/);
});

test("variables that do not coerce are a 400 with BAD_USER_INPUT and graphql-js's message (the cost check was a 500)", async () => {
  const q = 'query($n: Int!) { posts(first: $n) { totalCount } }';
  for (const [variables, message] of [
    [{ n: 'x' }, 'Variable "$n" got invalid value "x"; Int cannot represent non-integer value: "x"'],
    [{}, 'Variable "$n" of required type "Int!" was not provided.'],
  ] as const) {
    const r = await s.gql(q, variables);
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([
      { message, locations: [{ line: 1, column: 7 }], extensions: { code: 'BAD_USER_INPUT' } },
    ]);
  }
});

test('client mistakes Apollo or graphql-js leave without a code are 400s with a client code, not INTERNAL_SERVER_ERROR', async () => {
  // This API has no mutations: refused at validation, not failed at execution as a 200.
  const m = await s.gql('mutation { x }');
  expect(m.status).toBe(400);
  expect(m.body.errors).toEqual([
    {
      message: 'this API has no mutation operations',
      locations: [{ line: 1, column: 1 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    },
  ]);
  for (const persistedQuery of [{ version: 2, sha256Hash: 'abc' }, 'x']) {
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errors: [{ message: 'Unsupported persisted query version', extensions: { code: 'BAD_REQUEST' } }],
    });
  }
});

test('an expired change-feed cursor reaches the client as CHANGES_CURSOR_EXPIRED with its message, not an internal error', async () => {
  const head = (await s.gql('{ changes(first: 1) { headCursor } }')).body.data.changes.headCursor as string;
  const [kind, [feedId, seq]] = JSON.parse(Buffer.from(head, 'base64url').toString()) as [string, number[]];
  const other = Buffer.from(JSON.stringify([kind, [feedId + 1, seq]])).toString('base64url');
  const r = await s.gql('query($a: String) { changes(after: $a) { edges { cursor } } }', { a: other });
  expect(r.body.errors[0].extensions.code).toBe('CHANGES_CURSOR_EXPIRED');
  expect(r.body.errors[0].message).toMatch(/re-sync/);
});

test('GET queries work for non-browser clients (CSRF prevention requires a header)', async () => {
  const q = encodeURIComponent('{ tags(first: 1) { totalCount } }');
  const blocked = await fetch(`${s.url}/graphql?query=${q}`);
  expect(blocked.status).toBe(400);
  const ok = await fetch(`${s.url}/graphql?query=${q}`, { headers: { 'apollo-require-preflight': 'true' } });
  expect(ok.status).toBe(200);
  expect(((await ok.json()) as any).data.tags.totalCount).toBeGreaterThan(0);
});
