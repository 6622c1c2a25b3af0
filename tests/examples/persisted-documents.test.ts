// The typed frontend of examples/: the client preset's persisted-documents.json, as committed, is
// what `--persisted-only` runs, with no conversion step. Every generated hash is answered (POST and
// GET, by `documentId` alone), the examples' typed client works against it, anything else is refused.
import fs from 'node:fs';
import path from 'node:path';
import { parse, print } from 'graphql';
import { runServe } from '../../src/cli/serve-command';
import { loadManifest, ManifestError, parseManifest, sha256 } from '../../src/server/persisted/manifest';
import { documentIdOf, GraphQLRequestError, request } from '../../examples/src/client';
import * as generated from '../../examples/src/gql/graphql';
import { searchPage, stockPage } from '../../examples/src/views';
import { tempDir } from '../helpers/db';
import { sampleServer } from '../helpers/server';

const FILE = path.join(__dirname, '../../examples/src/gql/persisted-documents.json');
const documents = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Record<string, string>;
const nameOf = (body: string) => parseManifest({ [`sha256:${sha256(body)}`]: body }).operations[0].name!;

// Variables a page would send, on the sample archive (seeds/finews).
const POST_URL = '/emnews/2021/12/08/202112082206736335.html'; // 贵州茅台's rebound, linking 600519.SH
const VARIABLES: Record<string, Record<string, unknown>> = {
  FrontPage: { first: 5 },
  StockPage: { symbol: '600519.SH', first: 5 },
  PostPage: { url: POST_URL },
  SearchPage: { query: '茅台', filter: { not: { tags: ['站长消息'] } }, orderBy: 'DATE_DESC' },
  FacetsPanel: { search: '茅台' },
  TrendingStocks: { window: 'WEEK', posts: 2 },
};

/** Every root field holds something: not null, no empty list, a connection with edges, facets over posts. */
function expectFilled(data: Record<string, any>) {
  for (const [field, value] of Object.entries(data)) {
    expect({ field, value }).not.toEqual({ field, value: null });
    if (Array.isArray(value)) expect({ field, length: value.length }).not.toEqual({ field, length: 0 });
    if (value?.edges) expect({ field, edges: value.edges.length }).not.toEqual({ field, edges: 0 });
    if (value?.total !== undefined) expect(value.total).toBeGreaterThan(0);
  }
}

test('the committed file is the generated documents: each document carries its key as __meta__.hash', () => {
  const operations = Object.values(generated).filter((v: any) => v?.definitions?.[0]?.kind === 'OperationDefinition');
  const ids = operations.map((doc: any) => documentIdOf(doc));
  expect(ids.sort()).toEqual(Object.keys(documents).sort());
  expect(Object.values(documents).map(nameOf).sort()).toEqual(Object.keys(VARIABLES).sort());
});

describe('--persisted-only on examples/src/gql/persisted-documents.json', () => {
  let s: Awaited<ReturnType<typeof sampleServer>>;
  let endpoint: string;
  beforeAll(async () => {
    s = await sampleServer({ persistedOnly: documents });
    endpoint = `${s.url}/graphql`;
  });
  afterAll(() => s.close());

  test.each(Object.entries(documents).map(([id, body]) => [nameOf(body), id]))(
    '%s runs by its documentId alone, over POST and GET',
    async (name, documentId) => {
      const variables = VARIABLES[name];
      const posted = await s.post({ documentId, variables });
      expect(posted.status).toBe(200);
      expect(posted.body.errors).toBeUndefined();
      expectFilled(posted.body.data);
      // A GET with no document text passes CSRF prevention with no header, and is cacheable.
      const q = new URLSearchParams({ documentId, variables: JSON.stringify(variables) });
      const res = await fetch(`${endpoint}?${q.toString()}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=60');
      expect(await res.json()).toEqual(posted.body);
    },
  );

  test("the examples' typed client and views work against it", async () => {
    const stock = await stockPage(endpoint, '600519.SH');
    expect(stock).toMatchObject({ symbol: '600519.SH', label: '贵州茅台 600519.SH' });
    expect(stock!.posts.map((p) => p.url)).toContain(POST_URL);
    expect(stock!.posts[0].stocks.map((c) => c.symbol)).toContain('600519.SH');
    expect(await stockPage(endpoint, '600519.SH', { method: 'GET' })).toEqual(stock);
    expect(await stockPage(endpoint, '999999.SH')).toBeNull();
    const hits = await searchPage(endpoint, '茅台');
    expect(hits.total).toBeGreaterThan(0);
    expect(hits.hits.map((h) => h.url)).toContain(POST_URL);
    expect(hits.hits.some((h) => h.snippetHtml.includes('<mark>'))).toBe(true);
    const post = await request(endpoint, generated.PostPageDocument, { url: POST_URL });
    expect(post.post).toMatchObject({ url: POST_URL, readingTime: expect.any(Number) });
    expect(post.post!.stockMentions.map((m) => m.count)).not.toHaveLength(0);
  });

  test('a document not in the file is refused, by id or by text', async () => {
    const foreign = 'query Other { posts(first: 1) { totalCount } }';
    const byId = await s.post({ documentId: `sha256:${sha256(foreign)}` });
    expect(byId.status).toBe(400);
    expect(byId.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const byText = await s.post({ query: foreign });
    expect(byText.status).toBe(400);
    expect(byText.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    // A generated document edited by hand (same text but one field) is a different document.
    const edited = Object.values(documents)[0].replace('total', 'total __typename');
    expect((await s.post({ query: edited })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    // The typed client surfaces the refusal as an error with its code.
    const stale = { ...generated.FrontPageDocument, __meta__: { hash: `sha256:${sha256(foreign)}` } };
    const err = await request(endpoint, stale as typeof generated.FrontPageDocument, { first: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(GraphQLRequestError);
    expect(err.status).toBe(400);
    expect(err.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('persisted-documents map validation', () => {
  const TAGS = 'query Tags { tags(first: 2) { totalCount } }';
  const map = (entries: Record<string, unknown>) => () => parseManifest(entries, 'docs.json');

  test('keys with sha256: or bare; name and type come from the operation', () => {
    const live = 'subscription { postAdded { id } }';
    const m = parseManifest({ [`sha256:${sha256(TAGS)}`]: TAGS, [sha256(live)]: live });
    expect(m.operations).toEqual([
      { id: sha256(TAGS), name: 'Tags', type: 'query', body: TAGS },
      { id: sha256(live), type: 'subscription', body: live },
    ]);
    // The normalized form is a valid Apollo manifest itself (the server re-checks what it is given).
    expect(parseManifest(m)).toEqual(m);
  });

  test('each problem is an error naming the file and the key', () => {
    const wrong = `sha256:${sha256('other')}`;
    expect(map({ [wrong]: TAGS })).toThrow(
      `docs.json: document "${wrong}": the key is not the SHA-256 of its document (which is ${sha256(TAGS)})`,
    );
    const broken = '{ tags(';
    expect(map({ [`sha256:${sha256(broken)}`]: broken })).toThrow(
      new RegExp(
        `^docs\\.json: document "sha256:${sha256(broken)}": the document is not a GraphQL document: Syntax Error`,
      ),
    );
    expect(map({})).toThrow('docs.json: no documents: expected a persisted-documents map');
    expect(map({ 'md5:abc': TAGS })).toThrow('docs.json: document "md5:abc": the key must be "sha256:" and 64');
    expect(map({ [`sha256:${sha256(TAGS).toUpperCase()}`]: TAGS })).toThrow('the key must be');
    expect(map({ [`sha256:${sha256(TAGS)}`]: 42 })).toThrow('the document must be a non-empty string');
    const two = `${TAGS} query Posts { posts { totalCount } }`;
    expect(map({ [`sha256:${sha256(two)}`]: two })).toThrow('the document holds 2 operations');
    const frag = 'fragment F on Tag { name }';
    expect(map({ [`sha256:${sha256(frag)}`]: frag })).toThrow('the document holds 0 operations');
    expect(map({ [`sha256:${sha256(TAGS)}`]: TAGS, [sha256(TAGS)]: TAGS })).toThrow(
      `document "${sha256(TAGS)}": names the same document as "sha256:${sha256(TAGS)}"`,
    );
    expect(map({ [wrong]: TAGS })).toThrow(ManifestError);
  });

  test('newsgraph serve --persisted-only takes the file as codegen writes it', async () => {
    expect(loadManifest(FILE).operations).toHaveLength(Object.keys(documents).length);
    const dir = tempDir();
    const server = await runServe({ db: path.join(dir, 'serve.db'), port: 0, persistedOnly: FILE });
    try {
      const [id, body] = Object.entries(documents).find(([, b]) => nameOf(b) === 'FrontPage')!;
      const res = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ documentId: id, variables: { first: 1 } }),
      });
      expect(((await res.json()) as any).data.posts.totalCount).toBe(0); // an empty database
      expect(print(parse(body))).toContain('query FrontPage');
    } finally {
      await server.close();
    }
  });
});
