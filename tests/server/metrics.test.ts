import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/server/app';
import { envFlag } from '../../src/config/env-int';
import { MAX_OPERATION_LABELS, OperationLabels } from '../../src/server/metrics';
import { importArchives } from '../../src/db/importer';
import { SEED, tempDatabase, TempDatabase } from '../helpers/db';
import { sample } from '../helpers/metrics';

// Prometheus metrics at /metrics (behind a switch) and readiness at /readyz.

async function listen(opts: Omit<Parameters<typeof createApp>[0], 'store'>, t: TempDatabase) {
  const { httpServer, apollo } = await createApp({ store: t.store, ...opts });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  return { base, stop: () => apollo.stop() };
}
const get = (base: string, query: string) =>
  fetch(`${base}/graphql?query=${encodeURIComponent(query)}`, { headers: { 'apollo-require-preflight': 'true' } });
const post = (base: string, query: string) =>
  fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });

let t: TempDatabase;
beforeAll(async () => {
  t = await tempDatabase();
  await importArchives(t.writeStore, [SEED]);
});
afterAll(() => t.close());

test('metrics are off unless asked for', async () => {
  const s = await listen({}, t);
  try {
    expect((await fetch(`${s.base}/metrics`)).status).toBe(404);
  } finally {
    await s.stop();
  }
});

test('requests, latency, errors by code and response-cache hits per operation name, and process metrics', async () => {
  const s = await listen({ metrics: true, responseCacheMb: 8, responseCacheMinUses: 1 }, t);
  try {
    const front = 'query FrontPage { posts(first: 2) { totalCount } }';
    expect((await get(s.base, front)).status).toBe(200);
    expect((await get(s.base, front)).status).toBe(200); // the response cache answers this one
    expect((await post(s.base, '{ posts(first: 1000) { totalCount } }')).status).toBe(200); // BAD_USER_INPUT
    expect((await post(s.base, 'query Broken { postz }')).status).toBe(400);
    const res = await fetch(`${s.base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'newsgraph_graphql_requests_total', { operation: 'FrontPage', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'newsgraph_graphql_request_duration_seconds_count', { operation: 'FrontPage' })).toBe(2);
    expect(sample(text, 'newsgraph_graphql_requests_total', { operation: '(anonymous)', outcome: 'error' })).toBe(1);
    expect(sample(text, 'newsgraph_graphql_errors_total', { operation: '(anonymous)', code: 'BAD_USER_INPUT' })).toBe(
      1,
    );
    expect(
      sample(text, 'newsgraph_graphql_errors_total', { operation: 'Broken', code: 'GRAPHQL_VALIDATION_FAILED' }),
    ).toBe(1);
    expect(sample(text, 'newsgraph_response_cache_requests_total', { result: 'miss' })).toBe(2);
    expect(sample(text, 'newsgraph_response_cache_requests_total', { result: 'hit' })).toBe(1);
    expect(sample(text, 'newsgraph_process_cpu_user_seconds_total')).toBeGreaterThan(0);
  } finally {
    await s.stop();
  }
});

test('operation labels: client-chosen names are capped, malformed ones and the overflow read (other)', () => {
  const labels = new OperationLabels();
  expect(labels.of(undefined)).toBe('(anonymous)');
  expect(labels.of('')).toBe('(anonymous)');
  expect(labels.of('bad name"} 1\nevil')).toBe('(other)');
  expect(labels.of('x'.repeat(65))).toBe('(other)');
  for (let i = 0; i < MAX_OPERATION_LABELS; i++) expect(labels.of(`Op${i}`)).toBe(`Op${i}`);
  expect(labels.of('OneTooMany')).toBe('(other)');
  expect(labels.of('Op7')).toBe('Op7'); // names already seen stay
});

test('NEWSGRAPH_METRICS and other switches: malformed values are errors naming the variable', () => {
  expect(envFlag({}, 'NEWSGRAPH_METRICS')).toBe(false);
  expect(envFlag({ NEWSGRAPH_METRICS: 'ON' }, 'NEWSGRAPH_METRICS')).toBe(true);
  expect(envFlag({ NEWSGRAPH_METRICS: '0' }, 'NEWSGRAPH_METRICS')).toBe(false);
  expect(() => envFlag({ NEWSGRAPH_METRICS: 'maybe' }, 'NEWSGRAPH_METRICS')).toThrow('NEWSGRAPH_METRICS=maybe');
});

describe('/readyz', () => {
  test('ready: the database answers and has every migration of this build', async () => {
    const s = await listen({}, t);
    try {
      const res = await fetch(`${s.base}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
    } finally {
      await s.stop();
    }
  });

  test('not ready: a migration missing, a failing extra check, then the database gone', async () => {
    const own = await tempDatabase();
    const s = await listen({ readiness: { watcher: () => Promise.reject(new Error('no events for 5 min')) } }, own);
    try {
      const [last] = await own.ds.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1');
      const placeholder = own.ds.options.type === 'postgres' ? '$1' : '?';
      await own.ds.query(`DELETE FROM migrations WHERE name = ${placeholder}`, [last.name]);
      const res = await fetch(`${s.base}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: 'not ready',
        checks: { database: 'ok', migrations: `pending: ${last.name}`, watcher: 'error: no events for 5 min' },
      });
      await own.close();
      const gone = (await (await fetch(`${s.base}/readyz`)).json()) as any;
      expect(gone.status).toBe('not ready');
      expect(gone.checks.database).toMatch(/^error: /);
      expect(gone.checks.migrations).toBe('unknown: the database does not answer');
    } finally {
      await s.stop();
    }
  });
});

test('the facet columns: memory, builds and sets counted, once the first filtered postFacets built them', async () => {
  const { httpServer, apollo, facets } = await createApp({ store: t.store, metrics: true });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  try {
    const metrics = async () => (await fetch(`${base}/metrics`)).text();
    expect(sample(await metrics(), 'newsgraph_facet_columns_bytes')).toBe(0);
    const facetsOf = '{ postFacets(filter: { tags: ["东财滚动新闻"] }) { total } }';
    expect((await post(base, facetsOf)).status).toBe(200);
    // That request started the build; the next one counts with the columns.
    for (let i = 0; i < 250 && !facets.ready; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await post(base, facetsOf)).status).toBe(200);
    const text = await metrics();
    expect(sample(text, 'newsgraph_facet_columns_bytes')).toBe(facets.bytes());
    expect(sample(text, 'newsgraph_facet_columns_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'newsgraph_facet_columns_builds')).toBe(1);
    expect(sample(text, 'newsgraph_facet_sets_counted')).toBe(1);
  } finally {
    await apollo.stop();
  }
});
