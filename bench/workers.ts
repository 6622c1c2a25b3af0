/**
 * The front and stock pages against `newsgraph serve --workers N` (the compiled CLI, as a user runs
 * it), for each N, response cache off so every request executes: what a second process buys on
 * this machine.
 */
import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { BenchOptions } from './args';
import { childPids } from './cpu';
import { loadTest, LoadResult, postJson } from './load';
import { warmServer } from './warm';
import type { BenchRequest } from './queries';

const CLI = path.join(__dirname, '..', '..', 'bin', 'newsgraph.js');

export interface WorkersPoint {
  workers: number;
  page: string;
  load: LoadResult;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/** The compiled `newsgraph` command. */
export const NEWSGRAPH_CLI = CLI;

/**
 * Starts `newsgraph serve` (response cache off unless `env` says otherwise), resolves once /healthz
 * answers and, with workers, once they run.
 */
export async function startCli(
  db: string,
  workers: number,
  env: NodeJS.ProcessEnv = { GRAPHQL_RESPONSE_CACHE_MB: '0' },
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--db', db, '--port', String(port), '--workers', String(workers)],
    {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`newsgraph serve --workers ${workers} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok && childPids(child.pid!).length >= (workers > 1 ? workers : 0))
        return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`newsgraph serve --workers ${workers} did not answer within 30 s`);
}

export async function measureWorkers(
  o: BenchOptions,
  db: string,
  requests: BenchRequest[],
  counts = [1, 2],
): Promise<WorkersPoint[]> {
  const points: WorkersPoint[] = [];
  const pages = requests.filter((r) => r.name === 'front' || r.name === 'stock');
  for (const workers of counts) {
    const { child, url } = await startCli(db, workers);
    try {
      const pids = [child.pid!, ...childPids(child.pid!)];
      await warmServer(`${url}/graphql`, pages, o.serverWarmup, o.connections, `serve --workers ${workers}`);
      for (const req of pages) {
        const r = await postJson(`${url}/graphql`, req.bodies[0]);
        if (r.status !== 200 || r.json.errors)
          throw new Error(`${req.label} with ${workers} workers: HTTP ${r.status}`);
        process.stderr.write(
          `bench: ${req.label}, serve --workers ${workers}, response cache off: ${o.duration} s of load …\n`,
        );
        const load = await loadTest({
          url: `${url}/graphql`,
          bodies: req.bodies,
          connections: o.connections,
          duration: o.duration,
          warmup: o.warmup,
          serverPid: pids,
        });
        points.push({ workers, page: req.label, load });
      }
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }
  return points;
}
