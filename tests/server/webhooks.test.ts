import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChangeRow } from '../../src/db/queries/changes';
import { batchesOf } from '../../src/server/webhooks/deliveries';
import { sign, SIGNATURE_HEADER, verify } from '../../src/server/webhooks/signature';
import { sleep, WebhookDeliverer, type FeedReader } from '../../src/server/webhooks/webhook-deliverer';
import { tempDatabase, TempDatabase } from '../helpers/db';

// Webhooks: one signed POST per import batch, in feed order, retried until acknowledged, the
// cursor kept in the database so that a restart neither loses nor repeats a batch. The feed here
// is a list the test appends to (the change feed's own tests cover what imports append).

const SECRET = 'correct horse battery staple';

class ListFeed {
  rows: ChangeRow[] = [];
  prunedThrough = 0;
  read: FeedReader = async (_run, after, limit) => {
    const next = this.rows.filter((r) => r.seq > after);
    return {
      feedId: 7,
      head: this.rows.length ? this.rows[this.rows.length - 1].seq : 0,
      prunedThrough: this.prunedThrough,
      rows: next.slice(0, limit),
      hasMore: next.length > limit,
    };
  };
  /** One import batch of `n` changes, committed at one instant. */
  batch(n: number, atMs: number) {
    for (let i = 0; i < n; i++) {
      const seq = this.rows.length + 1;
      this.rows.push({ seq, kind: 'ADDED', postId: 100 + seq, url: `/p/${seq}/`, atMs });
    }
  }
}

/** A receiver that checks signatures and answers with the statuses it is told, then 200. */
async function receiver(failFirst = 0) {
  const got: { body: any; delivery: string; signed: boolean }[] = [];
  let attempts = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      attempts++;
      if (attempts <= failFirst) {
        res.writeHead(503).end();
        return;
      }
      got.push({
        body: JSON.parse(raw),
        delivery: String(req.headers['x-newsgraph-delivery']),
        signed: verify(raw, SECRET, req.headers[SIGNATURE_HEADER] as string),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until(what: string, cond: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let t: TempDatabase;
beforeAll(async () => {
  t = await tempDatabase();
});
afterAll(() => t.close());

const deliverer = (feed: ListFeed, url: string) =>
  new WebhookDeliverer({
    urls: [url],
    secret: SECRET,
    feed: feed.read,
    runner: () => t.store.runner(),
    globalId: (id) => `P${id}`,
    pollMs: 10,
    firstRetryMs: 10,
    maxRetryMs: 40,
  });

test('signatures: HMAC-SHA256 of the exact body; any change to body, secret or header fails', () => {
  const body = '{"a":1}';
  const header = sign(body, SECRET);
  expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
  expect(verify(body, SECRET, header)).toBe(true);
  expect(verify('{"a":2}', SECRET, header)).toBe(false);
  expect(verify(body, 'other', header)).toBe(false);
  expect(verify(body, SECRET, header.slice(0, -1))).toBe(false);
  expect(verify(body, SECRET, undefined)).toBe(false);
});

test('a delivery is one import batch (one commit time), cut at the size limit', () => {
  const feed = new ListFeed();
  feed.batch(3, 1000);
  feed.batch(5, 2000);
  expect(batchesOf(feed.rows).map((b) => b.map((r) => r.seq))).toEqual([
    [1, 2, 3],
    [4, 5, 6, 7, 8],
  ]);
  expect(batchesOf(feed.rows, 2).map((b) => b.length)).toEqual([2, 1, 2, 2, 1]);
});

test('from now on, one signed POST per batch in order, failures retried, and a restart goes on without loss or repeat', async () => {
  const feed = new ListFeed();
  feed.batch(2, 1000); // before the webhook existed: not delivered
  const r = await receiver(2);
  let d = deliverer(feed, r.url);
  d.start();
  await new Promise((res) => setTimeout(res, 100));
  feed.batch(3, 2000);
  feed.batch(1, 3000);
  await until('two deliveries', () => r.got.length === 2);
  expect(r.attempts()).toBe(4); // two 503s retried
  expect(r.got.map((g) => g.signed)).toEqual([true, true]);
  expect(r.got.map((g) => [g.body.from, g.body.to, g.delivery])).toEqual([
    [3, 5, '7:3-5'],
    [6, 6, '7:6-6'],
  ]);
  expect(r.got[0].body.changes[0]).toEqual({
    seq: 3,
    kind: 'ADDED',
    id: 'P103',
    url: '/p/3/',
    at: new Date(2000).toISOString(),
  });
  await d.close();

  // Down while two more batches are imported; a new process goes on from the stored cursor.
  feed.batch(2, 4000);
  feed.batch(2, 5000);
  d = deliverer(feed, r.url);
  d.start();
  await until('the two batches made while down', () => r.got.length === 4);
  await new Promise((res) => setTimeout(res, 100));
  await d.close();
  expect(r.got.map((g) => g.delivery)).toEqual(['7:3-5', '7:6-6', '7:7-8', '7:9-10']);
  await r.close();
});

test('changes that expired before delivery are named in the next delivery, not silently skipped', async () => {
  const feed = new ListFeed();
  const r = await receiver();
  let d = deliverer(feed, r.url);
  d.start();
  await new Promise((res) => setTimeout(res, 100));
  await d.close();
  feed.batch(4, 1000);
  feed.rows = feed.rows.slice(2); // retention dropped seqs 1-2 while the webhook was down
  feed.prunedThrough = 2;
  d = deliverer(feed, r.url);
  d.start();
  await until('the delivery', () => r.got.length === 1);
  await d.close();
  expect(r.got[0].body).toMatchObject({ from: 3, to: 4, missed: { after: 0, through: 2 } });
  await r.close();
});

describe('the wait between polls', () => {
  test('leaves no listener on the deliverer-long signal once it ends, however many polls there were', async () => {
    const stop = new AbortController();
    for (let i = 0; i < 20; i++) await sleep(1, stop.signal);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  test('ends at once when the signal aborts, and when it had already', async () => {
    const stop = new AbortController();
    const started = Date.now();
    const waiting = sleep(60_000, stop.signal);
    stop.abort();
    await waiting;
    await sleep(60_000, stop.signal);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });
});
