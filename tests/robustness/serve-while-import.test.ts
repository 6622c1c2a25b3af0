// Serving while importing: the HTTP server (createApp) answers GraphQL from a SQLite file while a
// CHILD process (the compiled CLI, with its parser worker threads) imports a generated archive of
// 5,000 posts into the same file. WAL lets readers go on while the importer writes, and
// busy_timeout covers the rest: every response must be a 200 without errors (no SQLITE_BUSY,
// no "database is locked"), and the server must see the post count grow as batches commit.
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { generateArchive } from '../../bench/gen/main';
import { createApp } from '../../src/server/app';
import { tempDatabase, tempDir } from '../helpers/db';
import { requireCompiledCli } from './db-state';

const POSTS = 5000;
const CLIENTS = 3;

const FRONT_PAGE = '{ posts(first: 20) { totalCount edges { node { title stocks { symbol } } } } }';
const SEARCHES = [
  '{ search(query: "600519", first: 10) { totalCount edges { score snippet node { title url } } } }',
  '{ search(query: "公司 业绩", first: 10) { totalCount edges { score snippet node { title } } } }',
];

jest.setTimeout(150_000);

let child: ChildProcess | null = null;
afterAll(() => {
  child?.kill('SIGKILL');
});

interface Sample {
  /** When the request was sent and when its answer had come (performance.now()). */
  at: number;
  done: number;
  query: string;
  status: number;
  errors: unknown;
  totalCount?: number;
  edges?: number;
}

test(`GraphQL keeps answering 200 without errors while a child process imports ${POSTS} posts into the same database`, async () => {
  const bin = requireCompiledCli();
  const work = tempDir('newsgraph-serve-import-');
  const archive = path.join(work, 'archive');
  await generateArchive({ posts: POSTS, out: archive, seed: 5 });

  const t = await tempDatabase();
  const { httpServer, apollo } = await createApp({ store: t.store });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
  const ask = async (query: string): Promise<Sample> => {
    const at = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const text = await res.text();
    const done = performance.now();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
    }
    const conn = body.data?.posts ?? body.data?.search;
    return {
      at,
      done,
      query,
      status: res.status,
      errors: body.errors,
      totalCount: conn?.totalCount,
      edges: conn?.edges?.length,
    };
  };

  try {
    const before = await ask(FRONT_PAGE);
    expect(before).toMatchObject({ status: 200, errors: undefined, totalCount: 0 });

    const started = Date.now();
    let stdout = '';
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child = spawn(process.execPath, [bin, 'import', archive, '--db', t.file, '--json', '--no-progress'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d) => (stdout += d));
      child.stderr!.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
    let running = true;
    void exited.then(() => (running = false));

    // A few clients in a loop, front page and searches in turn, for as long as the import runs.
    const samples: Sample[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = c; running; i++) {
          samples.push(await ask(i % 3 === 0 ? FRONT_PAGE : SEARCHES[i % 2]));
        }
      }),
    );
    const { code, signal } = await exited;
    const importMs = Date.now() - started;
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(JSON.parse(stdout)).toMatchObject({ new: POSTS, failed: [] });

    // Every answer during the import: 200, no errors (SQLITE_BUSY would surface as an error here).
    const bad = samples.filter((s) => s.status !== 200 || s.errors !== undefined || s.totalCount === undefined);
    expect(bad.slice(0, 5)).toEqual([]);
    expect(samples.length).toBeGreaterThanOrEqual(30);

    // The server saw the posts arrive, batch after batch, never going back: an answer never counts
    // fewer posts than one that had come before it was asked. (Overlapping requests may read in
    // either order: when each reads lies anywhere between its start and its answer.)
    const fronts = samples.filter((s) => s.query === FRONT_PAGE).sort((a, b) => a.at - b.at);
    const wentBack = fronts.flatMap((later) =>
      fronts
        .filter((earlier) => earlier.done < later.at && earlier.totalCount! > later.totalCount!)
        .map((earlier) => ({ earlier: earlier.totalCount, later: later.totalCount })),
    );
    expect(wentBack).toEqual([]);
    const counts = fronts.map((s) => s.totalCount!);
    expect(counts.some((n) => n > 0 && n < POSTS)).toBe(true);
    expect(new Set(counts).size).toBeGreaterThanOrEqual(3);

    const after = await ask(FRONT_PAGE);
    expect(after).toMatchObject({ status: 200, errors: undefined, totalCount: POSTS, edges: 20 });
    const found = await ask(SEARCHES[0]);
    expect(found).toMatchObject({ status: 200, errors: undefined });
    expect(found.totalCount).toBeGreaterThan(0);
    if (process.env.NEWSGRAPH_TEST_VERBOSE) {
      console.log(
        `import ${importMs} ms; ${samples.length} requests during it; front-page counts seen: ${[...new Set(counts)].join(', ')}`,
      );
    }
  } finally {
    child?.kill('SIGKILL');
    await apollo.stop();
    await t.close();
    for (const dir of [work, path.dirname(t.file)]) fs.rmSync(dir, { recursive: true, force: true });
  }
});
