import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { runServe } from '../../src/cli/serve-command';
import { importArchives } from '../../src/db/importer';
import { createApp } from '../../src/server/app';
import { tempDatabase, tempDir } from '../helpers/db';

// Protections listed in docs/security.md that no other test file covers.

async function listen(opts: Parameters<typeof createApp>[0]) {
  const { httpServer, apollo } = await createApp(opts);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`, stop: () => apollo.stop() };
}
const post = async (url: string, query: string) =>
  (await (
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    })
  ).json()) as any;

test('NODE_ENV=production turns introspection and suggestions off; GRAPHQL_INTROSPECTION=true turns introspection back on', async () => {
  const t = await tempDatabase();
  const saved = { NODE_ENV: process.env.NODE_ENV, GRAPHQL_INTROSPECTION: process.env.GRAPHQL_INTROSPECTION };
  try {
    process.env.NODE_ENV = 'production';
    delete process.env.GRAPHQL_INTROSPECTION;
    const prod = await listen({ store: t.store });
    expect((await post(prod.url, '{ __schema { queryType { name } } }')).errors[0].message).toMatch(/introspection/i);
    expect((await post(prod.url, '{ postz { totalCount } }')).errors[0].message).not.toMatch(/Did you mean/);
    await prod.stop();
    process.env.GRAPHQL_INTROSPECTION = 'true';
    const on = await listen({ store: t.store });
    expect((await post(on.url, '{ __schema { queryType { name } } }')).data.__schema.queryType.name).toBe('Query');
    await on.stop();
    process.env.NODE_ENV = 'development';
    delete process.env.GRAPHQL_INTROSPECTION;
    const dev = await listen({ store: t.store });
    expect((await post(dev.url, '{ postz { totalCount } }')).errors[0].message).toMatch(/Did you mean/);
    await dev.stop();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await t.close();
  }
});

test('CORS_ORIGINS=a,b: only those origins pass the preflight (default: any origin)', async () => {
  const dir = tempDir();
  const saved = process.env.CORS_ORIGINS;
  process.env.CORS_ORIGINS = 'https://a.example, https://b.example';
  const server = await runServe({ db: path.join(dir, 'cors.db'), port: 0 });
  try {
    const preflight = (origin: string) =>
      fetch(`http://127.0.0.1:${server.port}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    expect((await preflight('https://b.example')).headers.get('access-control-allow-origin')).toBe('https://b.example');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  } finally {
    await server.close();
    if (saved === undefined) delete process.env.CORS_ORIGINS;
    else process.env.CORS_ORIGINS = saved;
  }
  const t = await tempDatabase();
  const any = await listen({ store: t.store });
  const res = await fetch(any.url, {
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
  });
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  await any.stop();
  await t.close();
});

test('a document over the cost limit is a 400 with QUERY_TOO_COMPLEX, not a 500', async () => {
  const t = await tempDatabase();
  const s = await listen({
    store: t.store,
    limits: { maxDepth: 15, maxCost: 50, maxAliases: 30, maxTokens: 3000, maxBatch: 10, bodyLimit: '100kb' },
  });
  const res = await fetch(s.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ posts(first: 60) { totalCount } }' }),
  });
  expect(res.status).toBe(400);
  const body = (await res.json()) as any;
  expect(body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX' });
  expect(body.errors[0].message).toMatch(/query cost \d+ exceeds the limit of 50/);
  await s.stop();
  await t.close();
});

test('import never follows symbolic links (files or folders)', async () => {
  const root = tempDir('newsgraph-links-');
  const outside = tempDir('newsgraph-outside-');
  const post = (title: string) => `---\ntitle: ${title}\ndate: 2022-01-02 03:04:05 +0800\n---\nbody\n`;
  fs.mkdirSync(path.join(root, '_posts'));
  fs.writeFileSync(path.join(root, '_posts', '2022-01-01-real.md'), post('real'));
  fs.writeFileSync(path.join(outside, '2022-01-03-secret.md'), post('secret'));
  fs.mkdirSync(path.join(outside, '_posts'));
  fs.writeFileSync(path.join(outside, '_posts', '2022-01-04-elsewhere.md'), post('elsewhere'));
  fs.symlinkSync(path.join(outside, '2022-01-03-secret.md'), path.join(root, '_posts', '2022-01-03-link.md'));
  fs.symlinkSync(outside, path.join(root, 'linked-folder'));
  fs.symlinkSync(root, path.join(root, '_posts', 'loop')); // a loop is harmless too
  const t = await tempDatabase();
  const s = await importArchives(t.writeStore, [root]);
  expect(s.new).toBe(1);
  expect((await t.query<{ title: string }>('SELECT title FROM post')).map((r) => r.title)).toEqual(['real']);
  expect(JSON.stringify([...s.skipped, ...s.failed])).toContain('symbolic link (not followed)');
  await t.close();
});

test('errors carry no stack trace whatever NODE_ENV says, and what fails inside the server reads "internal error"', async () => {
  const t = await tempDatabase();
  const saved = process.env.NODE_ENV;
  delete process.env.NODE_ENV; // how `newsgraph serve` usually runs; Apollo's default then adds stack traces
  const server = await listen({ store: t.store, responseCacheMb: 0 });
  try {
    const bad = await post(server.url, '{ posts(first: 1000) { totalCount } }');
    expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.errors[0].message).toMatch(/between 1 and/);
    expect(JSON.stringify(bad)).not.toMatch(/stacktrace|\.ts:\d|node_modules/);
    const invalid = await post(server.url, '{ postz }');
    expect(invalid.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(invalid)).not.toMatch(/stacktrace/);
    await t.close(); // the database goes away under the server: the driver's message must not reach clients
    const broken = await post(server.url, '{ posts(first: 1) { edges { node { id } } } }');
    expect(broken.errors).toEqual([
      expect.objectContaining({
        message: 'internal error',
        path: ['posts'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      }),
    ]);
  } finally {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
    await server.stop();
  }
});

test('an operationName the document does not have is a 400 naming it, not a crash of the cost check', async () => {
  const t = await tempDatabase();
  const server = await listen({ store: t.store });
  try {
    for (const query of ['{ posts(first: 1) { totalCount } }', 'query Other { posts(first: 1) { totalCount } }']) {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, operationName: 'FrontPage' }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).errors[0]).toMatchObject({
        message: 'Unknown operation named "FrontPage".',
        extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
      });
    }
  } finally {
    await server.stop();
    await t.close();
  }
});
