import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { importArchives } from '../../src/db/importer';
import type { ChangeSource, FeedChange } from '../../src/graphql/live/post-events';
import { SubscriptionResolver } from '../../src/graphql/resolvers/subscription-resolver';
import { createApp, type AppOptions } from '../../src/server/app';
import { sha256 } from '../../src/server/persisted/manifest';
import { SEED, tempDatabase, TempDatabase } from '../helpers/db';
import { waitForSubscriptions } from '../helpers/live';

// GraphQL subscriptions over WebSocket (graphql-ws), fed by a change source. Here the source is a
// list the test appends to, over the real sample posts; the change feed's own tests feed it from
// imports.

class ListSource implements ChangeSource {
  readonly changes: FeedChange[] = [];
  head = async () => this.changes.length;
  after = async (_run: unknown, seq: number, limit: number) => this.changes.filter((c) => c.seq > seq).slice(0, limit);
  add(kind: FeedChange['kind'], postId: number) {
    this.changes.push({ seq: this.changes.length + 1, kind, postId, url: `/p/${postId}/`, atMs: Date.now() });
  }
}

let t: TempDatabase;
let unicom: number; // links 600050.SH
let other: number; // links no 600050.SH
beforeAll(async () => {
  t = await tempDatabase();
  await importArchives(t.writeStore, [SEED]);
  const ids = async (sql: string) => (await t.store.runner().all<{ id: number }>(sql, [])).map((r) => Number(r.id));
  const linked = `SELECT x.post_id AS id FROM post_stock x JOIN stock s ON s.id = x.stock_id WHERE s.symbol = '600050.SH'`;
  [unicom] = await ids(`${linked} ORDER BY x.post_id LIMIT 1`);
  [other] = await ids(`SELECT id FROM post WHERE id NOT IN (${linked}) ORDER BY id LIMIT 1`);
});
afterAll(() => t.close());

/** Any committed write moves the data version the hub polls (the feed's own writes do in real use). */
const commitSomething = () => t.ds.query('UPDATE post SET title = title WHERE id = ' + Number(unicom));

async function serve(source: ChangeSource, opts: Partial<AppOptions> = {}) {
  const { httpServer, apollo, admission } = await createApp({
    store: t.store,
    live: { source, pollMs: 20, ...opts.live },
    metrics: true,
    ...opts,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  const clients: Client[] = [];
  const client = () => {
    const c = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    clients.push(c);
    return c;
  };
  return {
    admission,
    http: `http://127.0.0.1:${port}/graphql`,
    base: `http://127.0.0.1:${port}`,
    client,
    stop: async () => {
      for (const c of clients) await c.dispose();
      await apollo.stop();
    },
  };
}

/** Collects what a subscription sends, until `count` results or an error or completion. */
function collect(client: Client, query: string, variables?: Record<string, unknown>) {
  const results: any[] = [];
  let error: unknown = null;
  let done = false;
  const unsubscribe = client.subscribe(
    { query, variables },
    {
      next: (r) => void results.push(r),
      error: (e) => {
        error = e;
        done = true;
      },
      complete: () => {
        done = true;
      },
    },
  );
  return { results, unsubscribe, error: () => error, done: () => done };
}

async function until(what: string, cond: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ADDED = 'subscription Added($f: PostFilter) { postAdded(filter: $f) { id title stocks { symbol } } }';

test('postAdded: each added post once, in feed order; a filter gets only the posts posts(filter:) would list', async () => {
  const source = new ListSource();
  const s = await serve(source);
  try {
    const c = s.client();
    const all = collect(c, ADDED);
    const unicomOnly = collect(c, ADDED, { f: { stocks: ['600050'] } });
    await waitForSubscriptions(s.base, 2);
    source.add('ADDED', other);
    source.add('UPDATED', unicom); // not an addition
    source.add('ADDED', unicom);
    await commitSomething();
    await until('two additions', () => all.results.length === 2 && unicomOnly.results.length === 1);
    await new Promise((r) => setTimeout(r, 200)); // nothing more arrives
    const symbols = (r: any) => r.data.postAdded.stocks.map((x: any) => x.symbol);
    expect(all.results.map((r) => r.errors)).toEqual([undefined, undefined]);
    expect(all.results).toHaveLength(2);
    expect(symbols(all.results[0])).not.toContain('600050.SH');
    expect(symbols(all.results[1])).toContain('600050.SH');
    expect(unicomOnly.results).toHaveLength(1);
    expect(unicomOnly.results[0].data.postAdded.id).toBe(all.results[1].data.postAdded.id);
  } finally {
    await s.stop();
  }
});

test('subscribers of one document and variables share an execution per event, each hears it once; the caps hold', async () => {
  const source = new ListSource();
  const s = await serve(source, { live: { source, pollMs: 20, maxSubscriptions: 4 } });
  const executions = jest.spyOn(SubscriptionResolver.prototype, 'postAdded');
  try {
    const [c1, c2] = [s.client(), s.client()];
    const same = [collect(c1, ADDED), collect(c1, ADDED), collect(c2, ADDED)];
    const unicomOnly = collect(c2, ADDED, { f: { stocks: ['600050'] } });
    await waitForSubscriptions(s.base, 4);
    const over = collect(c2, ADDED);
    await until('the fifth refused', over.done);
    expect(over.results[0].errors[0]).toMatchObject({
      message: expect.stringMatching(/maximum of 4 subscriptions/),
      extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
    });

    source.add('ADDED', unicom);
    await commitSomething();
    await until('the event everywhere', () => [...same, unicomOnly].every((c) => c.results.length === 1));
    await new Promise((r) => setTimeout(r, 200)); // nothing more arrives
    // One execution for the three of the same document, one for the filtered: each still once.
    expect(executions).toHaveBeenCalledTimes(2);
    for (const c of [...same, unicomOnly]) {
      expect(c.results).toHaveLength(1);
      expect(c.results[0]).toEqual(same[0].results[0]);
    }
    expect(same[0].results[0].data.postAdded.title).toBeTruthy();

    // Ending a subscription frees its place at once (no event needed), and a new one takes it.
    same[0].unsubscribe();
    await waitForSubscriptions(s.base, 3);
    const next = collect(c1, ADDED);
    await waitForSubscriptions(s.base, 4);
    source.add('ADDED', other);
    await commitSomething();
    await until('the second event', () => next.results.length === 1 && same[1].results.length === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(executions).toHaveBeenCalledTimes(3); // the filtered one does not hear of it
    expect(same[0].results).toHaveLength(1);
    expect(unicomOnly.results).toHaveLength(1);
    expect(next.results).toEqual([same[1].results[1]]);
  } finally {
    executions.mockRestore();
    await s.stop();
  }
});

test('subscriptions meet the limits queries meet, and a connection may hold only so many', async () => {
  const source = new ListSource();
  const s = await serve(source, {
    limits: { maxDepth: 3, maxCost: 25000, maxAliases: 30, maxTokens: 3000, maxBatch: 10, bodyLimit: '100kb' },
    live: { source, maxPerConnection: 2, pollMs: 20 },
  });
  try {
    const c = s.client();
    const deep = collect(c, 'subscription { postAdded { stocks { organization { stocks { symbol } } } } }');
    await until('the depth refusal', deep.done);
    expect(String((deep.error() as any)?.[0]?.message ?? deep.error())).toMatch(/depth/i);
    const a = collect(c, ADDED);
    const b = collect(c, ADDED);
    const third = collect(c, ADDED);
    await until('the third refused', third.done);
    expect(JSON.stringify(third.error())).toMatch(/at most 2 operations/);
    expect(a.done() || b.done()).toBe(false);
  } finally {
    await s.stop();
  }
});

test('queries over WebSocket wait for the slots HTTP requests wait for, and are refused when the queue is full', async () => {
  const source = new ListSource();
  const s = await serve(source, { admission: { concurrency: 1, maxQueue: 1 } });
  const held: (() => void)[] = [];
  const hold = () => expect(s.admission.enter((release) => held.push(release))).toBe(true);
  const QUERY = '{ posts(first: 1) { edges { node { title } } } }';
  try {
    const c = s.client();
    // The one slot taken: a query waits for it.
    hold();
    await until('the slot taken', () => held.length === 1);
    const waiting = collect(c, QUERY);
    await new Promise((r) => setTimeout(r, 200));
    expect(waiting.results).toHaveLength(0);
    held.shift()!();
    await until('the waiting query answered', waiting.done);
    expect(waiting.error()).toBeNull();
    expect(waiting.results[0].data.posts.edges).toHaveLength(1);

    // The slot taken and the queue full: refused at once, over WebSocket as over HTTP.
    hold();
    await until('the slot taken', () => held.length === 1);
    hold();
    const refused = collect(c, QUERY);
    await until('the refusal', refused.done);
    expect(refused.results[0].errors[0].extensions.code).toBe('SERVER_BUSY');
    const overHttp = await fetch(s.http, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(overHttp.status).toBe(503);
    // Slots freed: queries run again, and the connection was kept.
    held.shift()!();
    await until('the queued holder started', () => held.length === 1);
    held.shift()!();
    const after = collect(c, QUERY);
    await until('the next query answered', after.done);
    expect(after.results[0].data.posts.edges).toHaveLength(1);
  } finally {
    while (held.length) held.shift()!();
    await s.stop();
  }
});

test('a WebSocket message is bounded as a request body is; variables nested too deep are refused, the connection kept', async () => {
  const source = new ListSource();
  const s = await serve(source, {
    limits: { maxDepth: 15, maxCost: 25000, maxAliases: 30, maxTokens: 3000, maxBatch: 10, bodyLimit: '2kb' },
  });
  try {
    const c = s.client();
    let f: Record<string, unknown> = { tags: ['x'] };
    for (let i = 0; i < 200; i++) f = { not: f };
    const deep = collect(c, ADDED, { f });
    await until('the refusal', deep.done);
    expect(JSON.stringify(deep.error())).toMatch(/more than 128 deep/);
    // The same connection still runs what is within the limits.
    const fine = collect(c, ADDED);
    await waitForSubscriptions(s.base, 1);
    expect(fine.done()).toBe(false);

    // Over the body limit: ws closes the connection with 1009 (message too big).
    const socket = new WebSocket(s.http.replace('http', 'ws'), 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => socket.once('message', resolve));
    const pad = 'x'.repeat(3 * 1024);
    // Told apart from a server fault: no stack on stderr (graphql-ws printed one per message).
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: ADDED, variables: { pad } } }));
      expect(await closed).toBe(1009);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
    // The server still takes connections and runs what is within the limits.
    expect(fine.done()).toBe(false);
    const again = collect(s.client(), ADDED);
    await waitForSubscriptions(s.base, 2);
    expect(again.done()).toBe(false);
  } finally {
    await s.stop();
  }
});

test('persisted-only mode: over WebSocket too, only manifest documents run', async () => {
  const source = new ListSource();
  const manifest = {
    format: 'apollo-persisted-query-manifest' as const,
    version: 1 as const,
    operations: [{ id: sha256(ADDED), name: 'Added', type: 'subscription' as const, body: ADDED }],
  };
  const s = await serve(source, { persistedOnly: manifest });
  try {
    const c = s.client();
    const free = collect(c, 'subscription { postAdded { id } }');
    await until('the refusal', free.done);
    expect(JSON.stringify(free.error())).toMatch(/PERSISTED_QUERY_NOT_ALLOWED|persisted/);
    const trusted = collect(c, ADDED);
    await waitForSubscriptions(s.base, 1);
    source.add('ADDED', unicom);
    await commitSomething();
    await until('the event', () => trusted.results.length === 1);
    expect(trusted.results[0].data.postAdded.title).toBeTruthy();
  } finally {
    await s.stop();
  }
});

test('over HTTP a subscription is refused with a clear error', async () => {
  const s = await serve(new ListSource());
  try {
    const res = await fetch(s.http, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'subscription { postAdded { id } }' }),
    });
    const body = (await res.json()) as any;
    expect(res.status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/over WebSocket/),
      extensions: { code: 'BAD_REQUEST' },
    });
  } finally {
    await s.stop();
  }
});
