/**
 * CPU profiles of the import and of the server under each query's load, summarized.
 *
 *   node dist/bench/profile.js [--posts N] [--seed S] [--cache DIR] [--duration S]
 *     [--only import|front|stock|search|post] [--response-cache off|on]
 *
 * Runs the children with `node --cpu-prof` (profiles kept in <cache>/profiles/) and prints, per
 * profile, self time by area (SQLite native calls, GraphQL, our code, GC …) and the top functions;
 * for the import also each SQLite statement's time, from a second import without the profiler.
 * The server runs with its response cache off unless `--response-cache on`: the bench's targets
 * are read cache off, and with it on every distinct body also pays for its cache key, its read log
 * and a miss.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src/db/data-source';
import { nativeSqlite } from '../src/db/native';
import { archiveDir, ensureArchive, ensureDatabase } from './cache';
import { runJsonChild, startServer } from './children';
import { loadTest } from './load';
import { pickRequests } from './queries';
import { statementTable, type StatementTime } from './statement-times';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the stack a frame belongs to. */
function area(fn: string, url: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)' || fn === '(idle)' || fn === '(root)') return fn;
  if (!url) return `native: ${fn || '(anonymous)'}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/dist\/(src\/[^/]+(?:\/[^/]+)?|bench)\//.exec(url);
  if (own) return own[1];
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

export function summarize(file: string, top = 15): string {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const a = area(functionName, url);
    areas.set(a, (areas.get(a) ?? 0) + us);
    const key =
      `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}` : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `  ${pct(us)}  ${k}`);
  return [
    `${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled`,
    ' self time by area:',
    ...list(areas, 12),
    ' top functions (self):',
    ...list(fns, top),
  ].join('\n');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Every profile in the folder: one per thread (the main thread first, then worker threads). */
function summarizeAll(dir: string): string {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .map((f) => path.join(dir, f));
  if (!files.length) throw new Error(`no profile written in ${dir}`);
  return files.map((f, i) => `${i === 0 ? '[main thread] ' : `[thread ${i}] `}${summarize(f)}`).join('\n');
}

/**
 * The import again, without the profiler, each SQLite statement of the writer's thread timed
 * (statement-times.ts): which statements the native time of the profile above is.
 */
async function writerStatements(dir: string, archive: string): Promise<string> {
  const db = path.join(dir, 'statements-import.db');
  const times = path.join(dir, 'statement-times.json');
  const r = await runJsonChild<{ posts: number; elapsedMs: number }>(
    'import-child',
    ['import', '--archive', archive, '--db', db],
    {
      nodeArgs: ['-r', path.join(__dirname, 'statement-times.js')],
      env: { NEWSGRAPH_STATEMENT_TIMES: times },
    },
  );
  for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
  const rows = JSON.parse(fs.readFileSync(times, 'utf8')) as StatementTime[];
  const rate = Math.round(r.posts / (r.elapsedMs / 1000));
  return `## the writer's statements, the same import timed statement by statement (${rate} posts/s)\n${statementTable(rows, r.posts)}`;
}

async function main(): Promise<void> {
  const cache = arg('--cache') ?? 'bench/.cache';
  const posts = Number(arg('--posts') ?? 10000);
  const seed = Number(arg('--seed') ?? 1);
  const duration = Number(arg('--duration') ?? 8);
  const only = arg('--only');
  const responseCache = arg('--response-cache') ?? 'off';
  if (responseCache !== 'off' && responseCache !== 'on') {
    throw new Error(`--response-cache takes off or on, got ${JSON.stringify(responseCache)}`);
  }
  const dir = path.resolve(cache, 'profiles');
  fs.mkdirSync(dir, { recursive: true });
  const prof = (name: string) => {
    const d = path.join(dir, name);
    fs.rmSync(d, { recursive: true, force: true });
    fs.mkdirSync(d, { recursive: true });
    return { d, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${d}`] };
  };

  if (!only || only === 'import') {
    await ensureArchive(cache, posts, seed);
    const { d, nodeArgs } = prof('import');
    const tmp = path.join(d, 'profile-import.db');
    const r = await runJsonChild<{ posts: number; elapsedMs: number }>(
      'import-child',
      ['import', '--archive', archiveDir(cache, posts, seed), '--db', tmp],
      { nodeArgs },
    );
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
    console.log(
      `## import of ${r.posts} posts (${Math.round(r.posts / (r.elapsedMs / 1000))} posts/s under the profiler)\n${summarizeAll(d)}\n`,
    );
    console.log(`${await writerStatements(d, archiveDir(cache, posts, seed))}\n`);
  }

  const file = await ensureDatabase(cache, posts, seed);
  const ds = await openDatabase(file);
  const requests = pickRequests(nativeSqlite(ds));
  await ds.destroy();
  for (const req of requests) {
    if (only && only !== req.name) continue;
    const { d, nodeArgs } = prof(req.name);
    const server = await startServer('graphql', file, {
      nodeArgs,
      ...(responseCache === 'off' ? { env: { GRAPHQL_RESPONSE_CACHE_MB: '0' } } : {}),
    });
    let rps = 0;
    try {
      rps = (await loadTest({ url: `${server.url}/graphql`, bodies: req.bodies, connections: 20, duration, warmup: 1 }))
        .reqPerSec;
    } finally {
      await server.stop();
    }
    console.log(
      `## server under ${req.label} load, ${posts} posts, response cache ${responseCache} (${Math.round(rps)} req/s under the profiler)\n${summarizeAll(d)}\n`,
    );
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`profile: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
