import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildProgram, main } from '../../src/cli/main';
import { runServe } from '../../src/cli/serve-command';
import { createApp } from '../../src/server/app';
import { BoundedLruCache } from '../../src/server/persisted/lru-cache';
import { loadManifest, Manifest, ManifestError, parseManifest, sha256 } from '../../src/server/persisted/manifest';
import { tempDatabase, tempDir } from '../helpers/db';
import { sampleServer } from '../helpers/server';

const TAGS = 'query Tags { tags(first: 2) { totalCount edges { node { name } } } }';
const POSTS = 'query Posts($n: Int) { posts(first: $n) { totalCount } }';
const manifestOf = (...bodies: string[]): Manifest => ({
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations: bodies.map((body) => ({
    id: sha256(body),
    name: /query (\w+)/.exec(body)![1],
    type: 'query' as const,
    body,
  })),
});
const pq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
const getUrl = (base: string, params: Record<string, unknown>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) q.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  return `${base}/graphql?${q.toString()}`;
};
async function get(base: string, params: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(getUrl(base, params), { headers });
  return { status: res.status, cache: res.headers.get('cache-control'), body: (await res.json()) as any };
}
async function post(base: string, body: unknown) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, cache: res.headers.get('cache-control'), body: (await res.json()) as any };
}
const code = (r: { body: any }) => r.body.errors?.[0]?.extensions?.code;

describe('automatic persisted queries (APQ), on by default', () => {
  let s: Awaited<ReturnType<typeof sampleServer>>;
  beforeAll(async () => {
    s = await sampleServer();
  });
  afterAll(() => s.close());

  test('over POST: hash only is PersistedQueryNotFound, hash + query registers, then hash only runs', async () => {
    const query = '{ tags(first: 1) { totalCount } }';
    const miss = await post(s.url, { extensions: pq(sha256(query)) });
    expect(code(miss)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(miss.body.errors[0].message).toBe('PersistedQueryNotFound');
    const reg = await post(s.url, { query, extensions: pq(sha256(query)) });
    expect(reg.body.errors).toBeUndefined();
    expect(reg.body.data.tags.totalCount).toBeGreaterThan(0);
    const hit = await post(s.url, { extensions: pq(sha256(query)) });
    expect(hit.status).toBe(200);
    expect(hit.body).toEqual(reg.body);
    expect(hit.cache).toBe('no-store');
  });

  test('over GET: a hash-only GET needs no preflight header and is cacheable; registering over GET needs the header', async () => {
    const query = 'query PostCount($n: Int) { posts(first: $n) { totalCount } }';
    const variables = { n: 3 };
    const miss = await get(s.url, { extensions: pq(sha256(query)), variables });
    expect(miss.status).toBe(200);
    expect(code(miss)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(miss.cache).toBe('no-store');
    // A GET carrying document text is what CSRF prevention is for: refused without a preflight header.
    const blocked = await get(s.url, { query, extensions: pq(sha256(query)), variables });
    expect(blocked.status).toBe(400);
    expect(blocked.body.errors[0].message).toMatch(/Cross-Site Request Forgery/);
    const reg = await get(
      s.url,
      { query, extensions: pq(sha256(query)), variables },
      { 'apollo-require-preflight': 'true' },
    );
    expect(reg.status).toBe(200);
    expect(reg.body.data.posts.totalCount).toBeGreaterThan(0);
    const hit = await get(s.url, { extensions: pq(sha256(query)), variables });
    expect(hit.status).toBe(200);
    expect(hit.body).toEqual(reg.body);
    expect(hit.cache).toBe('public, max-age=60');
  });

  test('a hash that does not match the query is refused; registration cannot bypass the limits', async () => {
    const bad = await post(s.url, {
      query: '{ tags(first: 1) { totalCount } }',
      extensions: pq(sha256('something else')),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toMatch(/provided sha does not match query/);
    // 31 aliases: over the default limit of 30, so refused, and so never stored.
    const tooMany = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: tags(first: 1) { totalCount }`).join(' ')} }`;
    const refused = await post(s.url, { query: tooMany, extensions: pq(sha256(tooMany)) });
    expect(refused.body.errors[0].message).toMatch(/more than 30 aliases/);
    expect(code(await post(s.url, { extensions: pq(sha256(tooMany)) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

test('the APQ store is a bounded LRU', async () => {
  const cache = new BoundedLruCache(300);
  const doc = (i: number) => `{ tags(first: ${i}) { totalCount } }`.padEnd(80, ' ');
  for (let i = 0; i < 3; i++) await cache.set(sha256(doc(i)), doc(i)); // 3 × (64 + 80) = 432 > 300: the first is evicted
  expect(cache.size).toBe(2);
  expect(await cache.get(sha256(doc(0)))).toBeUndefined();
  expect(await cache.get(sha256(doc(1)))).toBe(doc(1)); // now most recently used
  await cache.set(sha256(doc(3)), doc(3));
  expect(await cache.get(sha256(doc(2)))).toBeUndefined();
  expect(await cache.get(sha256(doc(1)))).toBe(doc(1));
  await cache.set('k', 'x'.repeat(400)); // larger than the whole store: not kept
  expect(await cache.get('k')).toBeUndefined();
});

describe('--persisted-only: only manifest documents run', () => {
  const manifest = manifestOf(TAGS, POSTS);
  let url: string;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const t = await tempDatabase();
    const { httpServer, apollo } = await createApp({ store: t.store, persistedOnly: manifest });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    stop = async () => {
      await apollo.stop();
      await t.close();
    };
  });
  afterAll(() => stop());

  test('an APQ-style hash, a documentId (with or without sha256:) and an id all run the manifest operation', async () => {
    for (const body of [
      { extensions: pq(sha256(TAGS)) },
      { documentId: `sha256:${sha256(TAGS)}` },
      { documentId: sha256(TAGS) },
      { id: sha256(TAGS) },
    ]) {
      const r = await post(url, body);
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.tags.totalCount).toBe(0);
    }
  });

  test('a free-form query is refused with 400 PERSISTED_QUERY_NOT_ALLOWED, unless its text is a manifest body', async () => {
    const other = await post(url, { query: '{ tags(first: 1) { totalCount } }' });
    expect(other.status).toBe(400);
    expect(code(other)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    expect(other.body.errors[0].message).toMatch(/only the operations of its persisted query manifest/);
    expect(other.cache).toBe('no-store');
    // Introspection is a document like any other.
    expect(code(await post(url, { query: '{ __schema { types { name } } }' }))).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    const same = await post(url, { query: POSTS, variables: { n: 1 } });
    expect(same.status).toBe(200);
    expect(same.body.data.posts.totalCount).toBe(0);
  });

  test('APQ registration is off; unknown ids and mismatched hashes are refused', async () => {
    const q = '{ tags(first: 3) { totalCount } }';
    const register = await post(url, { query: q, extensions: pq(sha256(q)) });
    expect(register.status).toBe(400);
    expect(code(register)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    const unknown = await post(url, { extensions: pq(sha256(q)) });
    expect(unknown.status).toBe(400);
    expect(code(unknown)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(unknown.body.errors[0].message).toContain(sha256(q));
    const mismatch = await post(url, { query: TAGS, extensions: pq(sha256(POSTS)) });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors[0].message).toMatch(/does not match/);
    const two = await post(url, { documentId: sha256(TAGS), extensions: pq(sha256(POSTS)) });
    expect(two.status).toBe(400);
  });

  test('a batch with one foreign document is refused whole, naming it', async () => {
    const r = await post(url, [{ id: sha256(TAGS) }, { query: '{ tags(first: 1) { totalCount } }' }]);
    expect(r.status).toBe(400);
    expect(code(r)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    expect(r.body.errors[0].message).toMatch(/^operation 1 of the batch/);
    const ok = await post(url, [{ id: sha256(TAGS) }, { extensions: pq(sha256(POSTS)), variables: { n: 2 } }]);
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(2);
  });

  test('GET by hash or documentId needs no preflight header and is cacheable; a GET with text still needs one', async () => {
    for (const params of [
      { extensions: pq(sha256(POSTS)), variables: { n: 2 } },
      { documentId: `sha256:${sha256(POSTS)}`, variables: { n: 2 } },
    ]) {
      const r = await get(url, params);
      expect(r.status).toBe(200);
      expect(r.body.data.posts.totalCount).toBe(0);
      expect(r.cache).toBe('public, max-age=60');
    }
    const text = await get(url, { query: POSTS });
    expect(text.status).toBe(400);
    expect(text.body.errors[0].message).toMatch(/Cross-Site Request Forgery/);
    expect((await get(url, { query: POSTS }, { 'apollo-require-preflight': 'true' })).status).toBe(200);
    const foreign = await get(
      url,
      { query: '{ tags(first: 1) { totalCount } }' },
      { 'apollo-require-preflight': 'true' },
    );
    expect(foreign.status).toBe(400);
    expect(code(foreign)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    const unknown = await get(url, { extensions: pq('0'.repeat(64)) });
    expect(unknown.status).toBe(400);
    expect(code(unknown)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(unknown.cache).toBe('no-store');
  });
});

describe('manifest validation', () => {
  const good = manifestOf(TAGS);
  const bad = (patch: (m: any) => void) => {
    const m = JSON.parse(JSON.stringify(good));
    patch(m);
    return () => parseManifest(m, 'ops.json');
  };

  test('a valid manifest (Apollo format) is accepted; name is optional', () => {
    expect(parseManifest(good).operations).toEqual(good.operations);
    const { name: _n, ...noName } = good.operations[0];
    expect(parseManifest({ ...good, operations: [noName] }).operations[0].name).toBeUndefined();
  });

  test('each problem is an error naming the file, the operation and the problem', () => {
    expect(bad((m) => (m.format = 'relay'))).toThrow(
      'ops.json: "format" must be "apollo-persisted-query-manifest", got "relay"',
    );
    expect(bad((m) => (m.version = 2))).toThrow('ops.json: unsupported "version" 2');
    expect(bad((m) => (m.operations = {}))).toThrow('ops.json: "operations" must be an array');
    expect(bad((m) => (m.operations = []))).toThrow('ops.json: "operations" is empty');
    expect(bad((m) => (m.operations[0].id = sha256('other')))).toThrow(
      `ops.json: operations[0] (Tags): "id" ${sha256('other')} is not the SHA-256 of its body (which is ${sha256(TAGS)})`,
    );
    expect(bad((m) => (m.operations[0].id = 'abc'))).toThrow(
      'ops.json: operations[0] (Tags): "id" must be a lowercase hex SHA-256',
    );
    expect(bad((m) => (m.operations[0].type = 'mutation'))).toThrow(
      'operations[0] (Tags): "type" is mutation but the operation is a query',
    );
    expect(bad((m) => (m.operations[0].type = 'read'))).toThrow('"type" must be query, mutation or subscription');
    expect(bad((m) => (m.operations[0].name = 'Other'))).toThrow(
      'operations[0] (Other): "body" has no operation named Other',
    );
    expect(bad((m) => Object.assign(m.operations[0], { body: '{ tags(', id: sha256('{ tags(') }))).toThrow(
      /operations\[0\] \(Tags\): "body" is not a GraphQL document: Syntax Error/,
    );
    expect(bad((m) => delete m.operations[0].body)).toThrow('operations[0] (Tags): "body" must be a non-empty string');
    expect(() => parseManifest([], 'ops.json')).toThrow(ManifestError);
  });

  test('loadManifest names the file when it is missing or not JSON', () => {
    const dir = tempDir();
    expect(() => loadManifest(path.join(dir, 'none.json'))).toThrow(
      new RegExp(`${path.join(dir, 'none.json')}: cannot read the persisted query manifest`),
    );
    fs.writeFileSync(path.join(dir, 'broken.json'), '{ "format": ');
    expect(() => loadManifest(path.join(dir, 'broken.json'))).toThrow(
      /broken\.json: the persisted query manifest is not valid JSON/,
    );
    fs.writeFileSync(path.join(dir, 'ok.json'), JSON.stringify(good));
    expect(loadManifest(path.join(dir, 'ok.json')).operations).toHaveLength(1);
  });
});

describe('newsgraph serve --persisted-only <manifest.json>', () => {
  test('the flag reaches runServe', async () => {
    const program = buildProgram();
    let seen: unknown;
    program.commands
      .find((c) => c.name() === 'serve')!
      .action((o: unknown) => {
        seen = o;
      });
    await program.parseAsync(['node', 'newsgraph', 'serve', '--persisted-only', 'ops.json', '--port', '0']);
    expect(seen).toEqual({ persistedOnly: 'ops.json', port: 0, watch: [], webhook: [] });
  });

  test('runServe serves only the manifest', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'ops.json');
    fs.writeFileSync(file, JSON.stringify(manifestOf(TAGS)));
    const server = await runServe({ db: path.join(dir, 'serve.db'), port: 0, persistedOnly: file });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      expect((await post(base, { documentId: sha256(TAGS) })).body.data.tags.totalCount).toBe(0);
      expect(code(await post(base, { query: POSTS }))).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    } finally {
      await server.close();
    }
  });

  test('a bad manifest stops the command with exit code 2 and a message naming the file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'ops.json');
    fs.writeFileSync(file, JSON.stringify({ ...manifestOf(TAGS), format: 'other' }));
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await main(['node', 'newsgraph', 'serve', '--persisted-only', file, '--db', path.join(dir, 'x.db')]);
      expect(process.exitCode).toBe(2);
    } finally {
      spy.mockRestore();
      process.exitCode = 0;
    }
    expect(written.join('')).toBe(
      `newsgraph: ${file}: "format" must be "apollo-persisted-query-manifest", got "other"\n`,
    );
    expect(fs.existsSync(path.join(dir, 'x.db'))).toBe(false);
  });
});
