// `newsgraph serve --workers N`, through the compiled CLI (`npm test` builds first): the primary
// forks N worker processes that share one port. Which process answered a request is read from the
// kernel, not from the API: the accepted socket of each of our connections is found in
// /proc/net/tcp{,6} and its owner among the primary's children in /proc/<pid>/fd.
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { childPids } from '../../bench/cpu';
import { SEED, tempDir } from '../helpers/db';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'newsgraph.js');
const QUERY = '{ posts(first: 2) { totalCount edges { node { title } } } }';

jest.setTimeout(120_000);

let db: string;
beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'serve-workers.js'))) {
    throw new Error(
      'the compiled CLI has no serve-workers.js: run `npm run build` (or `npm test`, which builds first)',
    );
  }
  db = path.join(tempDir(), 'workers.db');
  execFileSync(process.execPath, [BIN, 'import', SEED, '--db', db, '--json'], { encoding: 'utf8' });
});

interface Serve {
  child: ChildProcess;
  pid: number;
  logs: any[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Serve[] = [];
afterAll(() => {
  // Only if a test failed half way: nothing may outlive the file.
  for (const s of started) {
    for (const pid of childrenOf(s.pid)) process.kill(pid, 'SIGKILL');
    s.child.kill('SIGKILL');
  }
});

/** Starts `newsgraph serve` on a free port (--port 0) with info logs, collecting its JSON log lines. */
function serve(args: string[], env: Record<string, string> = {}): Serve {
  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0', ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: any[] = [];
  let buffered = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    buffered += d;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) if (line.trim()) logs.push(JSON.parse(line));
  });
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const s = { child, pid: child.pid!, logs, stderr: () => stderr, exited };
  started.push(s);
  return s;
}

/** Polls until `find` returns something, or fails naming what it waited for. */
async function waitFor<T>(what: string, find: () => T | undefined | false, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const urlLine = (s: Serve) =>
  waitFor('the URL log line', () => {
    if (s.child.exitCode !== null) throw new Error(`serve exited with ${s.child.exitCode}: ${s.stderr()}`);
    return s.logs.find((l) => /GraphQL and GraphiQL at http:\/\/localhost:\d+\/graphql/.test(l.msg));
  });

/** Pids whose parent is `pid`, in order. */
const childrenOf = (pid: number): number[] => childPids(pid).sort((a, b) => a - b);

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`);

/** The socket inode of the server end of our TCP connection (server port, client port), from /proc/net. */
function serverSocketInode(serverPort: number, clientPort: number): string | undefined {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of fs.readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const f = row.trim().split(/\s+/);
      const portOf = (addr: string) => parseInt(addr.split(':')[1], 16);
      if (portOf(f[1]) === serverPort && portOf(f[2]) === clientPort) return f[9];
    }
  }
  return undefined;
}

/** The processes among `pids` holding socket `inode` open. */
function holders(inode: string, pids: number[]): number[] {
  return pids.filter((pid) => {
    try {
      return fs.readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`;
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}

/**
 * Sends one GraphQL POST on a new keep-alive connection and, while that connection is still open,
 * returns the answer and which of `pids` holds the server end of it (the process that answered).
 */
async function askOnNewConnection(
  port: number,
  pids: number[],
): Promise<{ status: number; body: any; servedBy: number[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const { status, body, clientPort } = await new Promise<{ status: number; body: any; clientPort: number }>(
      (resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/graphql',
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            let text = '';
            res.on('data', (d) => (text += d));
            res.on('end', () =>
              resolve({ status: res.statusCode!, body: JSON.parse(text), clientPort: req.socket!.localPort! }),
            );
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ query: QUERY }));
      },
    );
    const inode = serverSocketInode(port, clientPort);
    return { status, body, servedBy: inode ? holders(inode, pids) : [] };
  } finally {
    agent.destroy();
  }
}

/** Asks on `n` connections one after the other; the distinct pids that answered. */
async function servingPids(port: number, workers: number[], n = 6): Promise<number[]> {
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const r = await askOnNewConnection(port, workers);
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.posts.totalCount).toBe(104);
    // Exactly one worker holds each accepted connection (the primary hands it over and lets go).
    expect(r.servedBy).toHaveLength(1);
    seen.add(r.servedBy[0]);
  }
  return [...seen].sort((a, b) => a - b);
}

describe('newsgraph serve --workers 2', () => {
  let s: Serve;
  let port: number;
  let workers: number[];

  beforeAll(async () => {
    s = serve(['--workers', '2']);
    const line = await urlLine(s);
    port = line.port;
    workers = childrenOf(s.pid);
  });

  test('the primary forks 2 workers, logs the URL once with their pids, and GraphQL and /healthz answer', async () => {
    expect(workers).toHaveLength(2);
    expect([...s.logs.find((l) => l.port === port).workers].sort((a: number, b: number) => a - b)).toEqual(workers);
    expect(s.logs.filter((l) => /GraphQL and GraphiQL at/.test(l.msg))).toHaveLength(1);
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    const body = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.posts.totalCount).toBe(104);
    expect(body.data.posts.edges).toHaveLength(2);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  test('connections are answered by both worker processes (round robin)', async () => {
    expect(await servingPids(port, workers)).toEqual(workers);
  });

  test('a worker killed with SIGKILL is restarted, and the server answers all along', async () => {
    const [victim, survivor] = workers;
    process.kill(victim, 'SIGKILL');
    const exit = await waitFor('the exit of the killed worker in the log', () =>
      s.logs.find((l) => l.pid === victim && /exited unexpectedly/.test(l.msg)),
    );
    expect(exit).toMatchObject({ signal: 'SIGKILL', code: null, restartInMs: expect.any(Number) });
    // Before or while the replacement starts, the surviving worker answers.
    const meanwhile = await askOnNewConnection(port, [survivor]);
    expect(meanwhile).toMatchObject({ status: 200, servedBy: [survivor] });
    expect(meanwhile.body.data.posts.totalCount).toBe(104);

    const restarted = await waitFor('the replacement worker in the log', () =>
      s.logs.find((l) => /worker restarted/.test(l.msg)),
    );
    const now = childrenOf(s.pid);
    expect(now).toHaveLength(2);
    expect(now).not.toContain(victim);
    expect(now).toContain(survivor);
    expect(now).toContain(restarted.pid);
    expect(alive(victim)).toBe(false);
    // The replacement takes its share of the connections.
    expect(await servingPids(port, now)).toEqual(now);
    workers = now;
  });

  test('SIGTERM stops every worker gracefully and the primary exits 0', async () => {
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    for (const pid of workers) expect(alive(pid)).toBe(false);
    // Each worker drained and exited 0 by itself, rather than dying of the signal.
    const stopped = s.logs.filter((l) => /worker stopped/.test(l.msg));
    expect(stopped.map((l) => l.pid).sort((a: number, b: number) => a - b)).toEqual(workers);
    for (const l of stopped) expect(l).toMatchObject({ code: 0, signal: null });
    expect(s.stderr()).toBe('');
  });
});

test('--workers 1 overrides NEWSGRAPH_WORKERS: one process, no cluster, as without the option', async () => {
  const s = serve(['--workers', '1'], { NEWSGRAPH_WORKERS: '2' });
  const line = await urlLine(s);
  expect(line).not.toHaveProperty('workers');
  expect(childrenOf(s.pid)).toEqual([]);
  const res = await fetch(`http://127.0.0.1:${line.port}/healthz`);
  expect(res.status).toBe(200);
  s.child.kill('SIGTERM');
  expect(await s.exited).toEqual({ code: 0, signal: null });
});

describe('a bad worker count stops the command with exit code 2 and a message naming it', () => {
  test.each([
    [
      ['--workers', '0'],
      {},
      'newsgraph: --workers 0: the number of worker processes must be a whole number from 1 to 64\n',
    ],
    [
      ['--workers', 'abc'],
      {},
      'newsgraph: --workers abc: the number of worker processes must be a whole number from 1 to 64\n',
    ],
    [
      ['--workers', '65'],
      {},
      'newsgraph: --workers 65: the number of worker processes must be a whole number from 1 to 64\n',
    ],
    [
      [],
      { NEWSGRAPH_WORKERS: '1.5' },
      'newsgraph: NEWSGRAPH_WORKERS=1.5: the number of worker processes must be a whole number from 1 to 64\n',
    ],
  ])('%j %j', (args, env, message) => {
    const file = path.join(tempDir(), 'never.db');
    const r = spawnSync(process.execPath, [BIN, 'serve', '--db', file, '--port', '0', ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: 30_000,
    });
    expect(r.stderr).toBe(message);
    expect(r.status).toBe(2);
    // Refused before anything started: no database was created.
    expect(fs.existsSync(file)).toBe(false);
  });
});

test('--workers 2 --metrics: /metrics answers for both workers, whichever one is asked', async () => {
  const s = serve(['--workers', '2', '--metrics']);
  const { port } = await urlLine(s);
  const workers = childrenOf(s.pid);
  // Six requests on new connections: both workers answer some (round robin).
  expect(await servingPids(port, workers)).toEqual(workers);
  const counted = (text: string) =>
    Number(/^newsgraph_graphql_requests_total\{operation="\(anonymous\)",outcome="ok"\} (\d+)$/m.exec(text)?.[1]);
  // Each scrape lands on one worker; every one must hold the sum over both.
  for (let i = 0; i < 4; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { connection: 'close' } });
    expect(res.status).toBe(200);
    expect(counted(await res.text())).toBe(6);
  }
  s.child.kill('SIGTERM');
  expect(await s.exited).toEqual({ code: 0, signal: null });
});
