import { serverAudits } from 'graphql-http';
import { sampleServer } from '../helpers/server';

// The GraphQL-over-HTTP spec's audit suite (graphql-http), run against the real server.
let s: Awaited<ReturnType<typeof sampleServer>>;
let results: { name: string; status: string; reason: string }[];

beforeAll(async () => {
  s = await sampleServer();
  results = [];
  for (const audit of serverAudits({ url: `${s.url}/graphql`, fetchFn: fetch })) {
    const r = await audit.fn();
    let reason = '';
    if (r.status !== 'ok') {
      const body = await r.response
        .clone()
        .text()
        .catch(() => '');
      reason = `${r.reason} (HTTP ${r.response.status} ${r.response.headers.get('content-type')}: ${body.slice(0, 300)})`;
    }
    results.push({ name: audit.name, status: r.status, reason });
  }
});
afterAll(() => s.close());

test('every MUST audit of the GraphQL-over-HTTP spec passes', () => {
  const must = results.filter((r) => r.name.startsWith('MUST'));
  expect(must.length).toBeGreaterThan(10);
  expect(must.filter((r) => r.status !== 'ok').map((r) => `${r.name}: ${r.reason}`)).toEqual([]);
});

test('the SHOULD audits that do not pass are exactly the documented ones (docs/security.md)', () => {
  // Apollo Server answers parse and validation errors with 400 whatever the Accept header; the spec
  // would rather see 200 when the client accepts only legacy application/json. The third one fails
  // for the same reason: the audit's document is invalid against our schema ($id is never used).
  const accepted = [
    'SHOULD use 200 status code on document parsing failure when accepting application/json',
    'SHOULD use 200 status code on document validation failure when accepting application/json',
    'SHOULD use a status code of 200 on variable coercion failure when accepting application/json',
  ];
  const failing = results.filter((r) => r.name.startsWith('SHOULD') && r.status !== 'ok');
  expect(failing.map((r) => r.name).sort()).toEqual([...accepted].sort());
  for (const r of failing) expect(r.reason).toMatch(/HTTP 400/);
});

test('the only MAY audits not met are GETs with a query in the URL, refused by CSRF prevention', () => {
  const notMet = results.filter((r) => r.name.startsWith('MAY') && r.status !== 'ok');
  for (const r of notMet) {
    expect(r.name).toMatch(/GET/);
    expect(r.reason).toMatch(/Cross-Site Request Forgery/);
  }
});
