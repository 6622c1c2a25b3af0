/**
 * `npm run bench -- --soak [--posts N] [--soak-seconds S] [--soak-connections C]`
 *
 * One long load run of mixed queries (front page, stock page, search and post page bodies from
 * pickRequests, interleaved round-robin) against the real GraphQL server in a child process, while
 * the server's RSS (VmRSS of /proc/<pid>/status) is sampled every second. Writes
 * bench/results/soak-<posts>.json, prints a table, and fails (exit 1) on any connection error,
 * timeout, non-2xx or 2xx body with GraphQL errors. The whole-response cache is off, so every
 * request executes: the soak is about the server under its heaviest sustained work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src/db/data-source';
import { nativeSqlite } from '../src/db/native';
import { resultName, type BenchOptions } from './args';
import { dbFile, ensureDatabase } from './cache';
import { startServer } from './children';
import { cpuWindow } from './cpu';
import { goodBody, postJson, run } from './load';
import { pickRequests } from './queries';
import { grid } from './table';

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const RESULTS = path.join(__dirname, '..', '..', 'bench', 'results');
/** RSS "after warm-up" is the first sample at or after this many seconds of load. */
export const SOAK_WARMUP_SECONDS = 5;
const MB = 1e6;

export interface RssSample {
  /** Seconds since the load started. */
  t: number;
  rssMB: number;
}

export interface SoakResult {
  name: string;
  date: string;
  posts: number;
  /** Why this database: the --posts given, or the default (cached 100k, else 10k). */
  database: string;
  seconds: number;
  connections: number;
  /** Bodies sent round-robin, per page. */
  mix: Record<string, number>;
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connection errors other than timeouts. */
  errors: number;
  /** Requests without a response within autocannon's timeout (30 s). */
  timeouts: number;
  non2xx: number;
  badBodies: number;
  serverCpuMsPerReq: number | null;
  otherCores: number | null;
  rss: { startMB: number; afterWarmupMB: number; endMB: number; maxMB: number; growthMB: number; samples: RssSample[] };
  ok: boolean;
}

/** VmRSS of a process in bytes, or null once it is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** --posts if given; otherwise the cached 100k database, else 10k (imported once if missing). */
async function chooseDatabase(o: BenchOptions): Promise<{ posts: number; file: string; why: string }> {
  if (o.postsGiven) {
    const cached = fs.existsSync(dbFile(o.cache, o.posts, o.seed));
    return {
      posts: o.posts,
      file: await ensureDatabase(o.cache, o.posts, o.seed),
      why: `--posts ${o.posts} (${cached ? 'cached' : 'imported now'})`,
    };
  }
  if (fs.existsSync(dbFile(o.cache, 100000, o.seed)))
    return { posts: 100000, file: dbFile(o.cache, 100000, o.seed), why: 'default: cached 100k database' };
  const cached = fs.existsSync(dbFile(o.cache, 10000, o.seed));
  return {
    posts: 10000,
    file: await ensureDatabase(o.cache, 10000, o.seed),
    why: `default: 10k database (100k not cached; 10k ${cached ? 'cached' : 'imported now'})`,
  };
}

/** Rounds of the mix: every body is checked before the soak, so not the whole long tail. */
const SOAK_ROUNDS = 2000;

/** Interleaves the pages: front, stock, search, post[0], front, stock, search, post[1], … */
function mixBodies(requests: ReturnType<typeof pickRequests>): { bodies: string[]; mix: Record<string, number> } {
  const rounds = Math.min(SOAK_ROUNDS, Math.max(...requests.map((r) => r.bodies.length)));
  const bodies: string[] = [];
  const mix: Record<string, number> = {};
  for (let i = 0; i < rounds; i++) {
    for (const r of requests) {
      bodies.push(r.bodies[i % r.bodies.length]);
      mix[r.name] = (mix[r.name] ?? 0) + 1;
    }
  }
  return { bodies, mix };
}

export async function runSoak(o: BenchOptions): Promise<number> {
  const { posts, file, why } = await chooseDatabase(o);
  log(`soak: ${why}: ${file}`);
  const ds = await openDatabase(file);
  let requests: ReturnType<typeof pickRequests>;
  let n: number;
  try {
    const db = nativeSqlite(ds);
    requests = pickRequests(db);
    n = (db.prepare('SELECT count(*) AS n FROM post').get() as { n: number }).n;
  } finally {
    await ds.destroy();
  }
  const { bodies, mix } = mixBodies(requests);

  const server = await startServer('graphql', file, { env: { GRAPHQL_RESPONSE_CACHE_MB: '0' } });
  let result: SoakResult;
  try {
    const url = `${server.url}/graphql`;
    // Refuse to soak with bodies that do not answer correctly (and warm the statement cache).
    for (const body of new Set(bodies)) {
      const r = await postJson(url, body);
      if (r.status !== 200 || r.json.errors || !r.json.data)
        throw new Error(`soak check: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
    }
    const startBytes = rssBytes(server.pid) ?? 0;
    const samples: RssSample[] = [];
    const started = Date.now();
    const sample = () => {
      const b = rssBytes(server.pid);
      const t = (Date.now() - started) / 1000;
      if (b !== null) samples.push({ t: Math.round(t * 10) / 10, rssMB: b / MB });
      if (b !== null && samples.length % 10 === 0)
        log(`soak: ${Math.round(t)} s, server RSS ${(b / MB).toFixed(0)} MB`);
    };
    sample();
    const timer = setInterval(sample, 1000);
    const cpu = cpuWindow(server.pid);
    log(`soak: ${o.soakSeconds} s at ${o.soakConnections} connections, ${bodies.length} bodies round-robin …`);
    let r;
    try {
      r = await run(
        { url, bodies, connections: o.soakConnections, duration: o.soakSeconds, warmup: 0 },
        o.soakSeconds,
        o.soakConnections,
      );
    } finally {
      clearInterval(timer);
    }
    sample();
    const c = cpu.stop();
    // A last check that the server still answers correctly after the soak.
    const after = await postJson(url, bodies[0]);
    const afterOk = after.status === 200 && goodBody(JSON.stringify(after.json));
    if (!afterOk) log(`soak: the server answered badly after the soak: HTTP ${after.status}`);

    const warm = samples.find((s) => s.t >= SOAK_WARMUP_SECONDS) ?? samples[samples.length - 1];
    const end = samples[samples.length - 1];
    const total = r.requests.total;
    const failures = r.errors + r.non2xx + r.mismatches + (afterOk ? 0 : 1);
    result = {
      name: resultName(o, `soak-${posts}`),
      date: new Date().toISOString(),
      posts: n,
      database: why,
      seconds: r.duration,
      connections: o.soakConnections,
      mix,
      requests: total,
      reqPerSec: total / r.duration,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      maxMs: r.latency.max,
      // autocannon counts each timeout in errors too
      errors: r.errors - r.timeouts,
      timeouts: r.timeouts,
      non2xx: r.non2xx,
      badBodies: r.mismatches,
      serverCpuMsPerReq: c.processMs !== null && total ? c.processMs / total : null,
      otherCores: c.otherCores,
      rss: {
        startMB: startBytes / MB,
        afterWarmupMB: warm.rssMB,
        endMB: end.rssMB,
        maxMB: Math.max(...samples.map((s) => s.rssMB)),
        growthMB: end.rssMB - warm.rssMB,
        samples,
      },
      ok: failures === 0,
    };
  } finally {
    await server.stop();
  }
  fs.mkdirSync(RESULTS, { recursive: true });
  const out = path.join(RESULTS, `${result.name}.json`);
  fs.writeFileSync(`${out}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  fs.renameSync(`${out}.tmp`, out);
  process.stdout.write(`${formatSoak(result)}\n\nwrote ${path.relative(process.cwd(), out)}\n`);
  return result.ok ? 0 : 1;
}

export function formatSoak(r: SoakResult): string {
  const f0 = (x: number) => Math.round(x).toLocaleString('en-US');
  const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;
  const mb = (x: number) => `${x.toFixed(0)} MB`;
  const s = r.rss;
  return [
    `newsgraph soak ${r.date}: ${f0(r.posts)} posts (${r.database}), ${r.connections} connections, ${f0(r.seconds)} s,`,
    `mixed bodies round-robin: ${Object.entries(r.mix)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    '',
    grid(
      ['measure', 'value'],
      [
        ['requests', f0(r.requests)],
        ['req/s', f0(r.reqPerSec)],
        ['p50 / p99 / max', `${ms(r.p50Ms)} / ${ms(r.p99Ms)} / ${ms(r.maxMs)}`],
        ['connection errors + timeouts (30 s)', `${r.errors} + ${r.timeouts}`],
        ['non-2xx', String(r.non2xx)],
        ['bad bodies (2xx with GraphQL errors)', String(r.badBodies)],
        ['server CPU ms/req', r.serverCpuMsPerReq === null ? '-' : r.serverCpuMsPerReq.toFixed(2)],
        ['other cores (noise)', r.otherCores === null ? '-' : r.otherCores.toFixed(2)],
        [
          'server RSS: idle / after warm-up (5 s) / end / max',
          `${mb(s.startMB)} / ${mb(s.afterWarmupMB)} / ${mb(s.endMB)} / ${mb(s.maxMB)}`,
        ],
        ['server RSS growth (end - after warm-up)', `${s.growthMB >= 0 ? '+' : ''}${s.growthMB.toFixed(1)} MB`],
        ['result', r.ok ? 'ok' : 'FAILED (errors, non-2xx or bad bodies)'],
      ],
    ),
  ].join('\n');
}
