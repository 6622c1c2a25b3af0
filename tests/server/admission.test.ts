import express from 'express';
import type { AddressInfo } from 'node:net';
import { admission, admissionFromEnv } from '../../src/server/admission';

/** A server whose handler holds each request until released, behind admission(2, 2). */
async function gated() {
  const app = express();
  const held: (() => void)[] = [];
  let started = 0;
  app.use(admission(2, 2));
  app.get('/', (_req, res) => {
    started++;
    held.push(() => res.json({ ok: true }));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, held, started: () => started, close: () => new Promise((r) => server.close(r)) };
}

const tick = () => new Promise((r) => setTimeout(r, 50));

test('runs two at once, queues two in order, refuses the fifth with 503', async () => {
  const g = await gated();
  const responses = [1, 2, 3, 4].map(() => fetch(g.url));
  await tick();
  expect(g.started()).toBe(2);
  const fifth = await fetch(g.url);
  expect(fifth.status).toBe(503);
  expect(((await fifth.json()) as any).errors[0].extensions.code).toBe('SERVER_BUSY');
  g.held.shift()!();
  await tick();
  expect(g.started()).toBe(3);
  while (g.held.length) {
    g.held.shift()!();
    await tick();
  }
  expect((await Promise.all(responses)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
  await g.close();
});

test('settings come from the environment and are validated', () => {
  expect(admissionFromEnv({})).toEqual({ concurrency: 8, maxQueue: 1000 });
  expect(admissionFromEnv({ GRAPHQL_MAX_CONCURRENCY: '2' }).concurrency).toBe(2);
  expect(() => admissionFromEnv({ GRAPHQL_MAX_QUEUE: '0' })).toThrow('GRAPHQL_MAX_QUEUE=0');
});
