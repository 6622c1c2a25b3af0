import express from 'express';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { admission, admissionFromEnv, AdmissionGate } from '../../src/server/admission';
import { waitFor } from '../watch/helpers';

// Waits below are for what they check: a loaded CI machine can take longer than any fixed pause.
jest.setTimeout(60_000);

/** A server whose handler holds each request until released, behind admission(2, 2). */
async function gated() {
  const app = express();
  const held: (() => void)[] = [];
  let arrived = 0;
  let started = 0;
  app.use((_req, _res, next) => {
    arrived++;
    next();
  });
  app.use(admission(new AdmissionGate(2, 2)));
  app.get('/', (_req, res) => {
    started++;
    held.push(() => res.json({ ok: true }));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const close = () => {
    while (held.length) held.shift()!();
    server.closeAllConnections();
    return new Promise((r) => server.close(r));
  };
  return { url, held, arrived: () => arrived, started: () => started, close };
}

const tick = () => new Promise((r) => setTimeout(r, 50));

/** `read()` once it has reached `want` and a tick more, so that a count that overshoots shows. */
async function settledAt(what: string, read: () => number, want: number): Promise<number> {
  await waitFor(what, () => read() >= want);
  await tick();
  return read();
}

test('runs two at once, queues two in order, refuses the fifth with 503', async () => {
  const g = await gated();
  try {
    const responses = [1, 2, 3, 4].map(() => fetch(g.url));
    expect(await settledAt('4 requests', g.arrived, 4)).toBe(4);
    expect(await settledAt('2 started', g.started, 2)).toBe(2);
    const fifth = await fetch(g.url);
    expect(fifth.status).toBe(503);
    expect(((await fifth.json()) as any).errors[0].extensions.code).toBe('SERVER_BUSY');
    g.held.shift()!();
    expect(await settledAt('the third started', g.started, 3)).toBe(3);
    g.held.shift()!();
    expect(await settledAt('the fourth started', g.started, 4)).toBe(4);
    while (g.held.length) g.held.shift()!();
    expect((await Promise.all(responses)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
  } finally {
    await g.close();
  }
});

test('settings come from the environment and are validated', () => {
  expect(admissionFromEnv({})).toEqual({ concurrency: 8, maxQueue: 1000 });
  expect(admissionFromEnv({ GRAPHQL_MAX_CONCURRENCY: '2' }).concurrency).toBe(2);
  expect(() => admissionFromEnv({ GRAPHQL_MAX_QUEUE: '0' })).toThrow('GRAPHQL_MAX_QUEUE=0');
});

/** 24 requests at once, each on its own connection, from another process (so they arrive together). */
function burst(url: string, n: number): Promise<number[]> {
  const client = `
    const http = require('http');
    const agent = new http.Agent({ maxSockets: ${n} });
    Promise.all(Array.from({ length: ${n} }, () => new Promise((resolve, reject) => {
      http.get(process.argv[1], { agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); }).on('error', reject);
    }))).then((s) => { process.stdout.write(JSON.stringify(s)); process.exit(0); });`;
  return new Promise((resolve, reject) => {
    // ExecFileException is an Error; typed as such so the rejection is visibly one.
    execFile(process.execPath, ['-e', client, url], { timeout: 30_000 }, (err: Error | null, stdout: string) =>
      err ? reject(err) : resolve(JSON.parse(stdout)),
    );
  });
}

test('starts one request per event-loop turn, so a queue of synchronous work cannot hold up accepting connections', async () => {
  // Node accepts one connection per turn; a turn that ran every request that had arrived would
  // keep new connections waiting for all that work.
  let turn = 0;
  let ticking = true;
  const tickTurns = () => {
    turn++;
    if (ticking) setImmediate(tickTurns);
  };
  tickTurns();
  const app = express();
  const startedIn: number[] = [];
  app.use(admission(new AdmissionGate(4, 100)));
  app.get('/', (_req, res) => {
    startedIn.push(turn);
    const until = Date.now() + 5;
    while (Date.now() < until); // synchronous work, like a SQLite-backed resolver
    res.json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const statuses = await burst(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, 24);
    expect(statuses).toEqual(Array(24).fill(200));
    expect(startedIn).toHaveLength(24);
    expect(new Set(startedIn).size).toBe(24);
  } finally {
    ticking = false;
    await new Promise((r) => server.close(r));
  }
});

test('run: a slot is given back whether the work resolves, rejects or throws; busy when the queue is full', async () => {
  const gate = new AdmissionGate(1, 1);
  const busy = () => 'busy';
  expect(await gate.run(() => 'sync', busy)).toBe('sync');
  await expect(gate.run(() => Promise.reject(new Error('rejected')), busy)).rejects.toThrow('rejected');
  await expect(
    gate.run(() => {
      throw new Error('thrown');
    }, busy),
  ).rejects.toThrow('thrown');
  // Every slot is free again: one runs, one waits, the third is refused.
  let release!: () => void;
  const first = gate.run(() => new Promise<string>((r) => (release = () => r('first'))), busy);
  const second = gate.run(() => 'second', busy);
  expect(await gate.run(() => 'third', busy)).toBe('busy');
  await waitFor('the first started', () => release !== undefined);
  release();
  expect(await Promise.all([first, second])).toEqual(['first', 'second']);
  expect(await gate.run(() => 'again', busy)).toBe('again');
});
