/**
 * `npm run bench -- --postgres URL`: newsgraph and PostGraphile 4 side by side over the same
 * PostgreSQL data (imported beforehand with `newsgraph import … --db URL`), front and stock pages.
 *
 * Both servers run as child processes and are loaded alike (loadTest). newsgraph runs with its
 * whole-response cache off: PostGraphile has none, so every request of both is executed. Statements
 * per request are counted at each server's pg driver (pg-count.ts, postgraphile/server.js). CPU per
 * request is split into the server process and its PostgreSQL backends, because PostGraphile moves
 * the work into one SQL statement (PostgreSQL builds the JSON) while newsgraph assembles in node.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Client } from 'pg';
import { resultName, type BenchOptions } from './args';
import { processCpuMs } from './cpu';
import { loadTest, LoadResult, postJson, run } from './load';
import {
  frontOfNewsgraph,
  frontOfPostgraphile,
  PG_FRONT_PAGE,
  SameFront,
  PG_STOCK_PAGE,
  stockOfNewsgraph,
  stockOfPostgraphile,
  withoutFields,
} from './pg-compare-queries';
import { FRONT_PAGE, STOCK_PAGE } from './queries';
import { grid } from './table';

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const ROOT = path.join(__dirname, '..', '..');
const PG_DIR = path.join(ROOT, 'bench', 'postgraphile');

interface Server {
  name: 'newsgraph' | 'postgraphile';
  url: string;
  pid: number;
  /** Statements sent to PostgreSQL so far, and the local ports of its connections. */
  count(): Promise<{ statements: number; ports: number[] }>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** Spawns a server and polls `probe` until it answers 200; fails early if the child exits. */
async function startChild(
  name: Server['name'],
  args: string[],
  port: number,
  probe: string,
  opts: { cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...opts.env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${name} exited with ${child.exitCode ?? child.signalCode} before listening`);
    const ok = await fetch(`http://127.0.0.1:${port}${probe}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not answer ${probe} within 120 s`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
}

async function startNewsgraph(url: string): Promise<Server> {
  const port = await freePort();
  const child = await startChild(
    'newsgraph',
    [
      '-r',
      path.join(__dirname, 'pg-count.js'),
      path.join(ROOT, 'bin', 'newsgraph.js'),
      'serve',
      '--db',
      url,
      '--port',
      String(port),
    ],
    port,
    '/healthz',
    { env: { GRAPHQL_RESPONSE_CACHE_MB: '0' } },
  );
  return {
    name: 'newsgraph',
    url: `http://127.0.0.1:${port}/graphql`,
    pid: child.pid!,
    stop: stopper(child),
    count: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as { statements: number; ports: number[] }));
        child.send('pg-count');
      }),
  };
}

async function startPostgraphile(url: string, schema: string): Promise<Server> {
  if (!fs.existsSync(path.join(PG_DIR, 'node_modules', 'postgraphile')))
    throw new Error('PostGraphile is not installed: run `npm --prefix bench/postgraphile ci` first');
  const port = await freePort();
  const child = await startChild(
    'postgraphile',
    ['server.js', '--schema', schema, '--port', String(port)],
    port,
    '/stats',
    { cwd: PG_DIR, env: { DATABASE_URL: url } },
  );
  const base = `http://127.0.0.1:${port}`;
  return {
    name: 'postgraphile',
    url: `${base}/graphql`,
    pid: child.pid!,
    stop: stopper(child),
    count: async () => (await (await fetch(`${base}/stats`)).json()) as { statements: number; ports: number[] },
  };
}

/** The schema newsgraph's tables are in: the URL's `options=-c search_path=…`, else public. */
export function schemaOf(url: string): string {
  const options = new URL(url).searchParams.get('options') ?? '';
  return /search_path\s*=\s*([^,\s]+)/.exec(options)?.[1] ?? 'public';
}

interface Picked {
  posts: number;
  symbol: string;
  stockName: string;
  coverage: number;
  year: string;
  from: string;
  to: string;
  postgres: string;
}

/** The same arguments bench/queries.ts picks on SQLite: the most-covered stock over the busiest year. */
async function pick(db: Client): Promise<Picked> {
  const one = async <T>(sql: string) => (await db.query(sql)).rows[0] as T;
  const { n } = await one<{ n: number }>('SELECT count(*)::int AS n FROM post');
  if (!n) throw new Error('the database holds no posts: import an archive first (newsgraph import DIR --db URL)');
  const stock = await one<{ symbol: string; name: string; n: number }>(
    'SELECT symbol, name, coverage_count AS n FROM stock ORDER BY coverage_count DESC, id LIMIT 1',
  );
  const { y } = await one<{
    y: string;
  }>(`SELECT to_char(to_timestamp(date_ms / 1000.0) AT TIME ZONE 'UTC', 'YYYY') AS y, count(*) AS n
    FROM post GROUP BY y ORDER BY n DESC, y LIMIT 1`);
  const { v } = await one<{ v: string }>("SELECT current_setting('server_version') AS v");
  return {
    posts: n,
    symbol: stock.symbol,
    stockName: stock.name,
    coverage: stock.n,
    year: y,
    from: `${y}-01-01T00:00:00Z`,
    to: `${y}-12-31T23:59:59Z`,
    postgres: v,
  };
}

interface Case {
  server: Server['name'];
  page: 'front' | 'stock';
  label: string;
  body: string;
}

function cases(p: Picked): Case[] {
  const body = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });
  const ngStock = { symbol: p.symbol, from: p.from, to: p.to };
  return [
    { server: 'newsgraph', page: 'front', label: 'front page, full (with relatedCoverage)', body: body(FRONT_PAGE) },
    {
      server: 'newsgraph',
      page: 'front',
      label: 'front page, same fields as PostGraphile',
      body: body(withoutFields(FRONT_PAGE, ['relatedCoverage'])),
    },
    { server: 'postgraphile', page: 'front', label: 'front page', body: body(PG_FRONT_PAGE) },
    {
      server: 'newsgraph',
      page: 'stock',
      label: 'stock page, full (with coMentioned, coverageTimeline)',
      body: body(STOCK_PAGE, ngStock),
    },
    {
      server: 'newsgraph',
      page: 'stock',
      label: 'stock page, same fields as PostGraphile',
      body: body(withoutFields(STOCK_PAGE, ['coMentioned', 'coverageTimeline']), ngStock),
    },
    {
      server: 'postgraphile',
      page: 'stock',
      label: 'stock page',
      body: body(PG_STOCK_PAGE, { symbol: p.symbol, from: String(Date.parse(p.from)), to: String(Date.parse(p.to)) }),
    },
  ];
}

async function data(s: Server, c: Case): Promise<any> {
  const r = await postJson(s.url, c.body);
  if (r.status !== 200 || r.json.errors || !r.json.data)
    throw new Error(`${s.name} ${c.label}: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
  return r.json.data;
}

interface Row {
  server: Server['name'];
  page: Case['page'];
  label: string;
  /** Statements of one request, alone on the server. */
  statements: number;
  load: LoadResult;
  /** CPU ms per request over a fixed run after the load test: the server process, its PostgreSQL backends. */
  cpu: { requests: number; serverMs: number | null; postgresMs: number | null; statementsPerRequest: number };
}

/** CPU of the backends serving these client ports (null if PostgreSQL runs elsewhere). */
async function backendPids(db: Client, ports: number[]): Promise<number[]> {
  const rows = (await db.query('SELECT pid FROM pg_stat_activity WHERE client_port = ANY($1::int[])', [ports]))
    .rows as { pid: number }[];
  return rows.map((r) => r.pid);
}

/** Sum of CPU ms of the pids still there at both ends (a connection closed meanwhile drops out). */
function cpuOf(pids: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const pid of pids) {
    const ms = processCpuMs(pid);
    if (ms !== null) m.set(pid, ms);
  }
  return m;
}
const cpuDelta = (a: Map<number, number>, b: Map<number, number>) => {
  let sum = 0;
  for (const [pid, ms] of b) if (a.has(pid)) sum += ms - a.get(pid)!;
  return a.size ? sum : null;
};

/**
 * A server's warm-up before its first row (`--server-warmup` seconds, unmeasured): its cases' bodies
 * in turn. A server just started is still compiling its hot paths (bench/warm.ts), and newsgraph's
 * compiled execution starts from an operation's second run; each row's own `--warmup` follows.
 */
async function warm(o: BenchOptions, s: Server, all: readonly Case[]): Promise<void> {
  const bodies = all.filter((c) => c.server === s.name).map((c) => c.body);
  if (o.serverWarmup <= 0 || bodies.length === 0) return;
  log(`${s.name}: ${o.serverWarmup} s of warm-up over its pages …`);
  await run({ url: s.url, bodies, connections: o.connections, duration: o.serverWarmup, warmup: 0 }, o.serverWarmup);
}

async function measure(o: BenchOptions, db: Client, s: Server, c: Case): Promise<Row> {
  const before = await s.count();
  await data(s, c);
  const statements = (await s.count()).statements - before.statements;
  log(`${s.name}: ${c.label}: ${o.duration} s of load …`);
  const load = await loadTest({
    url: s.url,
    bodies: [c.body],
    connections: o.connections,
    duration: o.duration,
    warmup: o.warmup,
    serverPid: s.pid,
  });
  // A fixed number of requests (about 3 s worth) with both sides' CPU read around it.
  const requests = Math.max(20, Math.round(load.reqPerSec * 3));
  const c0 = await s.count();
  const pids = await backendPids(db, c0.ports);
  const server0 = processCpuMs(s.pid);
  const pg0 = cpuOf(pids);
  const r = await run(
    { url: s.url, bodies: [c.body], connections: o.connections, duration: 30, warmup: 0 },
    30,
    o.connections,
    requests,
  );
  const server1 = processCpuMs(s.pid);
  const pg1 = cpuOf(pids);
  const c1 = await s.count();
  const done = r.requests.total;
  const pgMs = cpuDelta(pg0, pg1);
  return {
    server: s.name,
    page: c.page,
    label: c.label,
    statements,
    load,
    cpu: {
      requests: done,
      serverMs: server0 !== null && server1 !== null ? (server1 - server0) / done : null,
      postgresMs: pgMs !== null ? pgMs / done : null,
      statementsPerRequest: (c1.statements - c0.statements) / done,
    },
  };
}

/** The two answers of each page, reduced to one shape: must be equal for the comparison to hold. */
async function compare(ng: Server, pg: Server, all: Case[]): Promise<{ front: boolean; stock: boolean }> {
  const get = (s: Server, page: Case['page']) =>
    data(
      s,
      all.find((c) => c.server === s.name && c.page === page && !c.label.includes('full'))!,
    );
  const nf = frontOfNewsgraph(await get(ng, 'front'));
  const pf = frontOfPostgraphile(await get(pg, 'front'));
  const order = (x: SameFront) => x.posts.map((p) => p.id).join(',');
  if (order(nf) !== order(pf))
    throw new Error(`front page post ids differ:\n  newsgraph    ${order(nf)}\n  postgraphile ${order(pf)}`);
  const front = isDeepStrictEqual(nf, pf);
  if (!front) log(`WARNING: front pages list the same posts but differ in content:\n${diffHint(nf, pf)}`);
  const ns = stockOfNewsgraph(await get(ng, 'stock'));
  const ps = stockOfPostgraphile(await get(pg, 'stock'));
  const stock = isDeepStrictEqual(ns, ps);
  if (!stock) log(`WARNING: the stock pages differ:\n${diffHint(ns, ps)}`);
  return { front, stock };
}

function diffHint(a: unknown, b: unknown): string {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return `  newsgraph    …${x.slice(Math.max(0, i - 80), i + 120)}\n  postgraphile …${y.slice(Math.max(0, i - 80), i + 120)}`;
}

const f0 = (n: number | null) => (n === null ? '-' : n.toFixed(0));
const f1 = (n: number | null) => (n === null ? '-' : n.toFixed(n < 10 ? 2 : 1));

export async function runPgCompare(o: BenchOptions, url: string): Promise<number> {
  const db = new Client({ connectionString: url, application_name: 'newsgraph-bench' });
  await db.connect();
  const servers: Server[] = [];
  try {
    const p = await pick(db);
    log(
      `${p.posts} posts on PostgreSQL ${p.postgres}, schema ${schemaOf(url)}; stock ${p.symbol} (${p.coverage} posts), year ${p.year}`,
    );
    const ng = await startNewsgraph(url);
    servers.push(ng);
    const pg = await startPostgraphile(url, schemaOf(url));
    servers.push(pg);
    const all = cases(p);
    for (const c of all) await data(c.server === 'newsgraph' ? ng : pg, c);
    const identical = await compare(ng, pg, all);
    for (const s of servers) await warm(o, s, all);
    const rows: Row[] = [];
    for (const c of all) rows.push(await measure(o, db, c.server === 'newsgraph' ? ng : pg, c));

    const result: PgCompareResult = {
      name: resultName(o, `pg-compare-${p.posts}`),
      date: new Date().toISOString(),
      options: { duration: o.duration, warmup: o.warmup, serverWarmup: o.serverWarmup, connections: o.connections },
      machine: {
        nproc: os.availableParallelism?.() ?? os.cpus().length,
        cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
        node: process.versions.node,
        postgres: p.postgres,
        git: git(),
      },
      postgraphile: (
        JSON.parse(fs.readFileSync(path.join(PG_DIR, 'node_modules', 'postgraphile', 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version,
      arguments: p,
      identical,
      rows,
    };
    const out = path.join(ROOT, 'bench', 'results', `${result.name}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(`${out}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
    fs.renameSync(`${out}.tmp`, out);
    process.stdout.write(`${format(result)}\n\nwrote ${path.relative(process.cwd(), out)}\n`);
    return 0;
  } finally {
    for (const s of servers) await s.stop();
    await db.end();
  }
}

function git(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

/** bench/results/pg-compare-<posts>.json, or the --out name */
export interface PgCompareResult {
  name: string;
  date: string;
  /** `serverWarmup`: seconds of each server's warm-up before its first row (absent in results before it existed). */
  options: { duration: number; warmup: number; serverWarmup?: number; connections: number };
  machine: { nproc: number; cpu: string; node: string; postgres: string; git: string | null };
  postgraphile: string;
  arguments: Picked;
  /** Both servers' answers, reduced to one shape, are deeply equal. */
  identical: { front: boolean; stock: boolean };
  rows: Row[];
}

function format(r: PgCompareResult): string {
  const m = r.machine;
  const a = r.arguments;
  const out = [
    `newsgraph vs PostGraphile ${r.postgraphile} "${r.name}" ${r.date}: ${a.posts} posts, PostgreSQL ${a.postgres}, ${m.nproc} CPUs (${m.cpu}), Node ${m.node}`,
    `load: autocannon, ${r.options.connections} connections, ${r.options.duration} s measured after ${r.options.warmup} s warm-up (each server warmed ${r.options.serverWarmup ?? 0} s first); newsgraph with its response cache off`,
    '',
    grid(
      [
        'server',
        'query',
        'req/s',
        'p50 ms',
        'p99 ms',
        'SQL stmts/req',
        'server CPU ms/req',
        'PostgreSQL CPU ms/req',
        'other cores',
        'errors',
      ],
      r.rows.map((x) => [
        x.server,
        `${x.page}: ${x.label}`,
        f0(x.load.reqPerSec),
        f1(x.load.p50Ms),
        f1(x.load.p99Ms),
        x.statements === x.cpu.statementsPerRequest
          ? String(x.statements)
          : `${x.statements} (load: ${f1(x.cpu.statementsPerRequest)})`,
        f1(x.cpu.serverMs),
        f1(x.cpu.postgresMs),
        f1(x.load.otherCores),
        String(x.load.errors + x.load.non2xx + x.load.badBodies),
      ]),
    ),
    '',
    `- front page: posts(first: 20) newest first with categories, tags, publisher, stocks; PostGraphile data ${r.identical.front ? 'identical to' : 'DIFFERS from'} newsgraph's (same post ids in the same order).`,
    `- stock page: stock ${a.symbol} (${a.coverage} posts) with organization, its 20 newest posts in ${a.year} with totalCount, publisher, stocks; PostGraphile data ${r.identical.stock ? 'identical to' : 'DIFFERS from'} newsgraph's.`,
    '- "full" rows add what PostGraphile has no equivalent for: relatedCoverage(first: 3) on the front page, coMentioned(10) and coverageTimeline(MONTH) on the stock page.',
    "- SQL statements counted at each server's pg driver; CPU per request from a fixed run after each load test (server process; PostgreSQL backends of its connections).",
    '- "other cores": CPU taken by every other process during the measurement; req/s and latencies are only comparable between rows with similar values, CPU per request always is.',
  ];
  return out.join('\n');
}
