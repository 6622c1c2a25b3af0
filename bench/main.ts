/**
 * `npm run bench -- [--posts N] [--growth N,N] [--quick] [--out NAME] …` (see args.ts)
 *
 * 1. import: parse floor, fresh import and unchanged re-import of a generated archive, each in a child
 *    process (posts/s, peak RSS);
 * 2. queries: front page, stock page, search and post page over HTTP with autocannon against the real
 *    server in a child process, each a long tail of distinct bodies (queries.ts), with the response
 *    cache off, then as shipped; SQL statements per request from one in-process execution, at page
 *    sizes 5, 20 and 50;
 * 3. floor: the front page's JSON from hand-written SQL on bare node:http, same load; ceiling: the
 *    front page from memory through Apollo + type-graphql (ceiling-server.ts), same load, right
 *    after ours;
 * 4. growth: the front page at each --growth size (cached archives and databases).
 * Writes bench/results/<name>.json and prints the tables.
 * With --soak, only the soak runs instead (soak.ts).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../src/db/data-source';
import { nativeSqlite } from '../src/db/native';
import { ArgError, BenchOptions, parseBenchArgs, USAGE } from './args';
import { dbFile, ensureArchive, ensureDatabase, freshImport, warmPageCache } from './cache';
import { warmServer } from './warm';
import { roundBodies, roundLoad, RoundLoad, summarizeRounds } from './rounds';
import { runJsonChild, ServerChild, startServer } from './children';
import type { ImportChildResult } from './import-child';
import { loadTest, LoadResult, postJson } from './load';
import { BenchRequest, fullSearchPages, fullStockPages, PAGE_SIZE, PAGE_SIZES_COMPARED, pickRequests } from './queries';
import { runPgCompare } from './pg-compare';
import { runSoak } from './soak';
import { countStatements, PageSizeCount, StatementCount, statementsByPageSize } from './statements';
import { measureWorkers } from './workers';
import {
  BenchResult,
  CeilingResult,
  FloorResult,
  formatTables,
  GrowthPoint,
  growthRatios,
  ImportResult,
  Machine,
  QueryResult,
  targets,
} from './table';

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const RESULTS = path.join(__dirname, '..', '..', 'bench', 'results');
/** Statements the floor runs per request (see floor-server.ts). */
const FLOOR_STATEMENTS = 7;

function machine(db: Database): Machine {
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: os.totalmem() / 2 ** 30,
    node: process.versions.node,
    sqlite: (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
    os: `${os.type()} ${os.release()}`,
    git: gitState(),
  };
}

function gitState(): Machine['git'] {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return {
      commit: git('rev-parse', 'HEAD'),
      dirty: git('status', '--porcelain', '--untracked-files=no', '--', 'src', 'migrations') !== '',
    };
  } catch {
    return null;
  }
}

const dbBytes = (file: string) =>
  [file, `${file}-wal`].reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);

async function measureImport(o: BenchOptions): Promise<ImportResult> {
  const archive = await ensureArchive(o.cache, o.posts, o.seed);
  log('parse floor (child process) …');
  const parse = await runJsonChild<ImportChildResult>('import-child', ['parse', '--archive', archive]);
  const imp = await freshImport(o.cache, o.posts, o.seed);
  log('unchanged re-import …');
  const reimport = await runJsonChild<ImportChildResult>('import-child', [
    'import',
    '--archive',
    archive,
    '--db',
    dbFile(o.cache, o.posts, o.seed),
  ]);
  if (reimport.posts !== 0) throw new Error(`re-import of an unchanged archive wrote ${reimport.posts} posts`);
  const postsPerSec = imp.posts / (imp.elapsedMs / 1000);
  const parsePostsPerSec = parse.posts / (parse.elapsedMs / 1000);
  return {
    posts: imp.posts,
    parse,
    import: imp,
    reimport,
    postsPerSec,
    parsePostsPerSec,
    ratioToParse: postsPerSec / parsePostsPerSec,
    ratioToParseCpu: imp.posts / imp.cpuMs / (parse.posts / parse.cpuMs),
    peakRssMiB: imp.maxRssBytes / 1048576,
    reimportSeconds: reimport.elapsedMs / 1000,
    dbBytesPerPost: (imp.dbBytes ?? 0) / imp.posts,
  };
}

/** Refuses to measure a query that does not answer correctly. */
async function check(url: string, req: BenchRequest): Promise<unknown> {
  const r = await postJson(`${url}/graphql`, req.bodies[0]);
  if (r.status !== 200 || r.json.errors || !r.json.data)
    throw new Error(`${req.label}: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
  return r.json.data;
}

/** The server as shipped (whole-response cache on), and with the cache off: every request executes. */
const UNCACHED = { env: { GRAPHQL_RESPONSE_CACHE_MB: '0' } };
/** Front-page bodies whose whole JSON the ceiling must answer as our server does (spread over the archive). */
const CEILING_CHECKS = 8;

const load = (o: BenchOptions, url: string, bodies: string[], serverPid: number) =>
  loadTest({ url, bodies, connections: o.connections, duration: o.duration, warmup: o.warmup, serverPid });

/** Our front page's whole responses for the ceiling's check, from our server with the response cache off. */
async function answers(url: string, bodies: string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const b of bodies) out.push((await postJson(url, b)).json);
  return out;
}

/** The in-memory Apollo + type-graphql front page: checked against ours, then the same load. */
async function measureCeiling(
  o: BenchOptions,
  ceiling: ServerChild,
  front: BenchRequest,
  ours: unknown[],
): Promise<Omit<CeilingResult, 'ratio' | 'cachedRatio' | 'cpuRatio'>> {
  const theirs = await answers(`${ceiling.url}/graphql`, front.bodies.slice(0, ours.length));
  const identical = isDeepStrictEqual(theirs, ours);
  if (!identical) log('WARNING: the in-memory front page differs from ours');
  log(`front page, in-memory Apollo + type-graphql: ${o.duration} s of load …`);
  return {
    identical,
    checked: ours.length,
    preload: ceiling.preload!,
    load: await load(o, `${ceiling.url}/graphql`, front.bodies, ceiling.pid),
  };
}

/**
 * Every page with the response cache off, then again as shipped, each on a fresh server; the
 * in-memory ceiling right after our front page with the cache off (it loads before either, so
 * its start costs the measurements nothing).
 */
async function measureQueries(
  o: BenchOptions,
  file: string,
  db: Database,
): Promise<{ queries: QueryResult[]; floor: FloorResult; ceiling: CeilingResult; front: LoadResult }> {
  const requests = pickRequests(db);
  // One in-process run of each page's first body: its statements, and its data to compare with HTTP.
  const counted = new Map<string, StatementCount & { bySize: PageSizeCount[]; live?: PageSizeCount[] }>();
  for (const req of requests) {
    const sizes = req.sizes ?? [PAGE_SIZES_COMPARED[0], PAGE_SIZE, PAGE_SIZES_COMPARED[1]];
    counted.set(req.name, {
      ...(await countStatements(db, req.bodies[0])),
      bySize: await statementsByPageSize(db, req, sizes),
      live: req.liveSizes ? await statementsByPageSize(db, req, req.liveSizes) : undefined,
    });
  }
  const uncached = new Map<string, LoadResult>();
  /** Every round's load with the response cache off, per page (the first is `uncached`'s). */
  const uncachedRounds = new Map<string, RoundLoad[]>();
  const shipped = new Map<string, LoadResult>();

  log(`front page in memory: loading ${requests[0].bodies.length} pages (child process) …`);
  const ceilingServer = await startServer('ceiling', file);
  const front = requests.find((r) => r.name === 'front')!;
  // The ceiling serves front pages only; warmed as our server is, before either is measured.
  await warmServer(ceilingServer.url + '/graphql', [front], o.serverWarmup, o.connections, 'the in-memory front page');
  let ceiling: Omit<CeilingResult, 'ratio' | 'cachedRatio' | 'cpuRatio'> | undefined;
  let frontData: unknown;
  try {
    const server = await startServer('graphql', file, UNCACHED);
    try {
      await warmServer(
        `${server.url}/graphql`,
        requests,
        o.serverWarmup,
        o.connections,
        'our server, response cache off',
      );
      // Round by round, every page in turn (a slow spell of the host hits all pages alike); the
      // front page's round is followed by the ceiling's on the same bodies (rounds.ts).
      for (let k = 0; k < o.rounds; k++) {
        for (const req of requests) {
          if (k === 0) {
            const data = await check(server.url, req);
            if (!isDeepStrictEqual(JSON.parse(JSON.stringify(counted.get(req.name)!.data)), data))
              log(`note: ${req.label} differs between in-process and HTTP`);
            if (req.name === 'front') frontData = data;
          }
          const bodies = roundBodies(req.bodies, k, o.rounds);
          const round = o.rounds > 1 ? ` (round ${k + 1} of ${o.rounds})` : '';
          log(`${req.label}, response cache off${round}: ${o.duration} s of load …`);
          const measured = await load(o, `${server.url}/graphql`, bodies, server.pid);
          if (k === 0) uncached.set(req.name, measured);
          uncachedRounds.set(req.name, [...(uncachedRounds.get(req.name) ?? []), roundLoad(measured)]);
          if (req.name !== 'front') continue;
          if (k === 0) {
            const ours = await answers(`${server.url}/graphql`, req.bodies.slice(0, CEILING_CHECKS));
            ceiling = await measureCeiling(o, ceilingServer, req, ours);
            ceiling.rounds = [{ ours: roundLoad(measured), ceiling: roundLoad(ceiling.load) }];
          } else {
            log(`front page, in-memory Apollo + type-graphql${round}: ${o.duration} s of load …`);
            const theirs = await load(o, `${ceilingServer.url}/graphql`, bodies, ceilingServer.pid);
            ceiling!.rounds!.push({ ours: roundLoad(measured), ceiling: roundLoad(theirs) });
          }
        }
      }
    } finally {
      await server.stop();
    }
  } finally {
    await ceilingServer.stop();
  }
  if (!ceiling) throw new Error('no front page among the requests');

  const asShipped = await startServer('graphql', file);
  try {
    await warmServer(`${asShipped.url}/graphql`, requests, o.serverWarmup, o.connections, 'our server as shipped');
    for (const req of requests) {
      await check(asShipped.url, req);
      log(`${req.label}: ${o.duration} s of load …`);
      shipped.set(req.name, await load(o, `${asShipped.url}/graphql`, req.bodies, asShipped.pid));
    }
  } finally {
    await asShipped.stop();
  }
  const queries: QueryResult[] = requests.map((req) => ({
    name: req.name,
    label: req.label,
    detail: req.detail,
    statements: counted.get(req.name)!.statements,
    coldStatements: counted.get(req.name)!.coldStatements,
    statementsByPageSize: counted.get(req.name)!.bySize,
    statementsLive: counted.get(req.name)!.live,
    load: shipped.get(req.name)!,
    uncached: uncached.get(req.name)!,
    ...(o.rounds > 1 ? { uncachedRounds: uncachedRounds.get(req.name)! } : {}),
  }));

  const q = queries.find((x) => x.name === 'front')!;
  // Like for like: the floor and the ceiling compute every response, so the ratios are taken with the cache off.
  const frontLoad = q.uncached!;
  const floorServer = await startServer('floor', file);
  try {
    await warmServer(floorServer.url, [front], o.serverWarmup, o.connections, 'the front-page floor');
    const got = await postJson(floorServer.url, '{}');
    const identical = isDeepStrictEqual(got.json.data, frontData);
    if (!identical) log('WARNING: the floor JSON differs from the GraphQL front page');
    log(`front page floor: ${o.duration} s of load …`);
    const floorLoad = await load(o, floorServer.url, requests[0].bodies, floorServer.pid);
    return {
      queries,
      floor: {
        statements: FLOOR_STATEMENTS,
        identical,
        load: floorLoad,
        ratio: frontLoad.reqPerSec / floorLoad.reqPerSec,
        cachedRatio: q.load.reqPerSec / floorLoad.reqPerSec,
      },
      ceiling: {
        ...ceiling,
        ...(ceiling.rounds && ceiling.rounds.length > 1 ? { summary: summarizeRounds(ceiling.rounds) } : {}),
        ratio: frontLoad.reqPerSec / ceiling.load.reqPerSec,
        cachedRatio: q.load.reqPerSec / ceiling.load.reqPerSec,
        cpuRatio:
          ceiling.load.serverCpuMsPerReq !== null && frontLoad.serverCpuMsPerReq
            ? ceiling.load.serverCpuMsPerReq / frontLoad.serverCpuMsPerReq
            : null,
      },
      front: frontLoad,
    };
  } finally {
    await floorServer.stop();
  }
}

async function measureGrowth(o: BenchOptions, reuse: Map<number, Map<string, LoadResult>>): Promise<GrowthPoint[]> {
  const points: GrowthPoint[] = [];
  for (const posts of o.growth) {
    const file = await ensureDatabase(o.cache, posts, o.seed);
    const ds = await openDatabase(file);
    try {
      const db = nativeSqlite(ds);
      const n = (db.prepare('SELECT count(*) AS n FROM post').get() as { n: number }).n;
      const known = reuse.get(n);
      const pages: NonNullable<GrowthPoint['pages']> = [];
      // Growth only: the stock page and search like for like (a full page at every size).
      const requests = [...pickRequests(db), fullStockPages(db), fullSearchPages(db)];
      const missing = requests.filter((req) => !known?.has(req.name));
      for (const req of requests) {
        const load = known?.get(req.name);
        if (load) pages.push({ name: req.name, label: req.label, load });
      }
      const warmedSeconds = missing.length ? warmPageCache(file) : undefined;
      if (missing.length) {
        const server = await startServer('graphql', file, UNCACHED);
        try {
          await warmServer(
            `${server.url}/graphql`,
            missing,
            o.serverWarmup,
            o.connections,
            `growth ${posts}, our server`,
          );
          for (const req of missing) {
            await check(server.url, req);
            log(`growth ${posts}: ${req.label}, response cache off, ${o.duration} s of load …`);
            const load = await loadTest({
              url: `${server.url}/graphql`,
              bodies: req.bodies,
              connections: o.connections,
              duration: o.duration,
              warmup: o.warmup,
              serverPid: server.pid,
            });
            pages.push({ name: req.name, label: req.label, load });
          }
        } finally {
          await server.stop();
        }
      }
      pages.sort((a, b) => requests.findIndex((r) => r.name === a.name) - requests.findIndex((r) => r.name === b.name));
      const bytes = dbBytes(file);
      const front = pages.find((p) => p.name === 'front')!.load;
      points.push({ posts: n, dbBytes: bytes, dbBytesPerPost: bytes / n, load: front, pages, warmedSeconds });
    } finally {
      await ds.destroy();
    }
  }
  return points;
}

async function main(argv: string[]): Promise<number> {
  let o: BenchOptions;
  try {
    o = parseBenchArgs(argv);
  } catch (e) {
    if (e instanceof ArgError) {
      process.stderr.write(`bench: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (o.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  fs.mkdirSync(o.cache, { recursive: true });
  if (o.soak) return runSoak(o);
  if (o.postgres) return runPgCompare(o, o.postgres);
  const out = path.join(RESULTS, `${o.out}.json`);
  // --no-import keeps the import figures of the previous result of the same name, marked as such.
  const previous = o.noImport && fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as BenchResult) : null;
  const imported = o.noImport ? (previous?.import ?? null) : await measureImport(o);
  const file = await ensureDatabase(o.cache, o.posts, o.seed);
  const ds = await openDatabase(file);
  let result: BenchResult;
  try {
    const db = nativeSqlite(ds);
    warmPageCache(file);
    const { queries, floor, ceiling } = await measureQueries(o, file, db);
    const workers = await measureWorkers(o, file, pickRequests(db));
    const posts = (db.prepare('SELECT count(*) AS n FROM post').get() as { n: number }).n;
    const measured = new Map(queries.map((q) => [q.name, q.uncached!]));
    const growth = await measureGrowth(o, new Map([[posts, measured]]));
    const front = growthRatios(growth).find((g) => g.page === 'front page');
    result = {
      name: o.out,
      date: new Date().toISOString(),
      options: {
        posts: o.posts,
        growth: o.growth,
        seed: o.seed,
        duration: o.duration,
        warmup: o.warmup,
        serverWarmup: o.serverWarmup,
        connections: o.connections,
        quick: o.quick,
        noImport: o.noImport,
      },
      machine: machine(db),
      import: imported,
      importMeasuredAt: previous?.import ? (previous.importMeasuredAt ?? previous.date) : undefined,
      queries,
      floor,
      ceiling,
      workers,
      growth,
      growthP50Ratio: front
        ? { from: front.from, to: front.to, ratio: front.ratio, serialRatio: front.serialRatio }
        : null,
      targets: [],
    };
    result.targets = targets(result);
  } finally {
    await ds.destroy();
  }
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(`${out}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  fs.renameSync(`${out}.tmp`, out);
  process.stdout.write(`${formatTables(result)}\n\nwrote ${path.relative(process.cwd(), out)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
