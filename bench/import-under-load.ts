/**
 * Readers during an import (#13 item 5): front-page latency of `newsgraph serve` as shipped
 * (response cache on) while a separate `newsgraph import` adds newer posts to its archive.
 *
 *   npm run build && node dist/bench/import-under-load.js [--posts 30000] [--add 3000] [--seed 1]
 *     [--connections 20] [--warmup 5] [--idle 15] [--pages 100] [--workers 1]
 *     [--import-flags "--nice 10"] [--renice N] [--cache bench/.cache] [--out NAME]
 *
 * A generated archive of posts+add posts (bench/gen, cached like the main bench's) is split: the
 * `add` newest files (the generator dates posts in index order, so these are the newest, as on a
 * live site) stay out, the rest are imported once into a base database (cached). Each run copies
 * that database, starts the compiled `newsgraph serve` on it, and loads the front page with
 * `--connections` connections: two requests of three the head page (`posts(first: 20)` with
 * stocks and relatedCoverage(first: 3), bench/queries.ts), the third the next of `--pages` pages
 * reached by cursor (the main bench's front pages, spread over the archive). After `--warmup` s
 * (not measured) and `--idle` s measured, `newsgraph import` runs in its own process on the archive
 * with the `add` files (linked in before the load: nothing watches it); the load goes on until the import exits, then 1 s
 * more. Every response is timed: p50/p99 idle and during the import, the import's duration, and
 * p99 per second. At the end the head page must show the newest post (nothing stale served).
 * `--renice N` lowers the import's priority from outside (for builds whose import has no --nice:
 * its main thread, and the parse threads it starts after). Writes bench/results/<out>.json
 * (default import-under-load-<posts>+<add>).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ensureArchive } from './cache';
import { runJsonChild } from './children';
import { childPids, cpuWindow } from './cpu';
import type { ImportChildResult } from './import-child';
import { openLoad, postJson, type Timed } from './load';
import { pickRequests } from './queries';
import { NEWSGRAPH_CLI, startCli } from './workers';

const log = (line: string) => process.stderr.write(`import-under-load: ${line}\n`);
const RESULTS = path.join(__dirname, '..', '..', 'bench', 'results');

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const int = (name: string, fallback: number) => {
  const n = Number(flag(name, String(fallback)));
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
  return n;
};

const o = {
  posts: int('posts', 30_000),
  add: int('add', 3_000),
  seed: int('seed', 1),
  connections: int('connections', 20),
  warmup: int('warmup', 5),
  idle: int('idle', 15),
  pages: int('pages', 100),
  workers: int('workers', 1),
  importFlags: flag('import-flags', '').split(/\s+/).filter(Boolean),
  renice: int('renice', 0),
  cache: path.resolve(flag('cache', 'bench/.cache')),
};
const out = flag('out', `import-under-load-${o.posts}+${o.add}`);

/** Every post file of an archive, relative to it, in name order (the generator's names start with the date). */
function postFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else files.push(rel);
    }
  };
  walk('_posts');
  return files.sort((a, b) => path.basename(a).localeCompare(path.basename(b)));
}

/** Hard links (same inode, size and mtime: the import sees the very files of the generated archive). */
function link(from: string, to: string, files: readonly string[]): void {
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(to, f)), { recursive: true });
    if (!fs.existsSync(path.join(to, f))) fs.linkSync(path.join(from, f), path.join(to, f));
  }
}

interface Split {
  /** The archive the server's database was imported from, always at this path (its root is stored). */
  archive: string;
  baseDb: string;
  /** The newest files, left out of the base and imported during the load. */
  later: string[];
  source: string;
}

async function prepare(): Promise<Split> {
  const total = o.posts + o.add;
  const source = await ensureArchive(o.cache, total, o.seed);
  const home = path.join(o.cache, `live-${o.posts}+${o.add}-s${o.seed}`);
  const archive = path.join(home, 'archive');
  const baseDb = path.join(home, 'base.db');
  const files = postFiles(source);
  const later = files.slice(files.length - o.add);
  if (!fs.existsSync(baseDb)) {
    log(`linking the ${files.length - o.add} older posts into ${path.relative(process.cwd(), archive)} …`);
    fs.rmSync(archive, { recursive: true, force: true });
    fs.mkdirSync(archive, { recursive: true });
    // Everything but the later posts: _config.yml, category pages, the older posts.
    for (const e of fs.readdirSync(source))
      if (e !== '_posts') fs.cpSync(path.join(source, e), path.join(archive, e), { recursive: true });
    link(source, archive, files.slice(0, files.length - o.add));
    log(`importing them into the base database …`);
    const tmp = `${baseDb}.new`;
    const r = await runJsonChild<ImportChildResult>('import-child', ['import', '--archive', archive, '--db', tmp]);
    log(`imported ${r.posts} posts in ${(r.elapsedMs / 1000).toFixed(1)} s`);
    fs.renameSync(tmp, baseDb);
  }
  return { archive, baseDb, later, source };
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;

function summary(ts: Timed[]) {
  const l = ts.map((t) => Math.round(t.latencyMs * 10) / 10).sort((a, b) => a - b);
  const span = ts.length > 1 ? (ts.at(-1)!.atMs - ts[0].atMs) / 1000 : NaN;
  return {
    requests: ts.length,
    reqPerSec: Math.round(ts.length / span),
    p50Ms: pct(l, 50),
    p99Ms: pct(l, 99),
    maxMs: l.at(-1) ?? NaN,
    non2xx: ts.filter((t) => t.status < 200 || t.status >= 300).length,
  };
}

/** Runs `newsgraph import` in its own process; resolves with its wall time and JSON summary. */
function runImport(archive: string, db: string): Promise<{ ms: number; summary: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [NEWSGRAPH_CLI, 'import', archive, '--db', db, '--json', '--no-progress', ...o.importFlags],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } },
    );
    if (o.renice > 0) os.setPriority(child.pid!, o.renice);
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`newsgraph import exited with ${code}`));
      resolve({ ms: performance.now() - started, summary: JSON.parse(text.trim().split('\n').pop()!) });
    });
  });
}

async function main(): Promise<void> {
  const split = await prepare();
  // Each run starts from the base: the later posts out of the archive, a fresh copy of the database.
  for (const f of split.later) fs.rmSync(path.join(split.archive, f), { force: true });
  const db = path.join(path.dirname(split.baseDb), 'run.db');
  for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(split.baseDb, db);
  // The later files go in now, before the load: linking 3,000 files blocks this process (the
  // load's client) for a tenth of a second, which would show as the import's first-second p99.
  link(split.source, split.archive, split.later);

  const base = new Database(db, { readonly: true });
  const front = pickRequests(base).find((r) => r.name === 'front')!;
  base.close();
  const [head, ...cursorPages] = front.bodies;
  const bodies = cursorPages.slice(0, o.pages).flatMap((page) => [head, head, page]);

  const loadAvg = os.loadavg();
  log(`load average before: ${loadAvg.map((n) => n.toFixed(2)).join(' ')}`);
  const { child: server, url } = await startCli(db, o.workers, {});
  const responses: Timed[] = [];
  try {
    const serverPids = [server.pid!, ...childPids(server.pid!)];
    const first = await postJson(`${url}/graphql`, head);
    if (first.status !== 200 || first.json.errors) throw new Error(`the head page failed: HTTP ${first.status}`);
    const load = openLoad(`${url}/graphql`, bodies, o.connections, (t) => responses.push(t));
    log(`${o.connections} connections: ${o.warmup} s warm-up, ${o.idle} s idle …`);
    await new Promise((r) => setTimeout(r, o.warmup * 1000));
    const idleFrom = performance.now();
    const idleCpu = cpuWindow(serverPids);
    await new Promise((r) => setTimeout(r, o.idle * 1000));
    const idleUse = idleCpu.stop();

    log(`importing the ${split.later.length} newest posts beside the load …`);
    const importFrom = performance.now();
    const importCpu = cpuWindow(serverPids);
    const imported = await runImport(split.archive, db);
    const importTo = performance.now();
    const importUse = importCpu.stop();
    await new Promise((r) => setTimeout(r, 1000));
    load.stop();
    const totals = await load.done;

    // Nothing stale: the head page as served now starts with the newest post of the database.
    const after = await postJson(`${url}/graphql`, head);
    const check = new Database(db, { readonly: true });
    const newest = check.prepare('SELECT url FROM post ORDER BY date_ms DESC, id DESC LIMIT 1').get() as {
      url: string;
    };
    check.close();
    const servedNewest = after.json.data?.posts.edges[0]?.node.url === newest.url;

    const idle = summary(responses.filter((t) => t.atMs >= idleFrom && t.atMs < importFrom));
    const during = summary(responses.filter((t) => t.atMs >= importFrom && t.atMs <= importTo));
    const perSecond: { s: number; requests: number; p99Ms: number }[] = [];
    for (let s = 0; importFrom + s * 1000 < importTo; s++) {
      const slice = responses.filter((t) => t.atMs >= importFrom + s * 1000 && t.atMs < importFrom + (s + 1) * 1000);
      perSecond.push({ s, requests: slice.length, p99Ms: summary(slice).p99Ms });
    }
    const result = {
      when: new Date().toISOString(),
      options: { ...o, out },
      loadAverageBefore: loadAvg,
      idle: { ...idle, serverCores: idleUse.processMs! / (o.idle * 1000), otherCores: idleUse.otherCores },
      duringImport: {
        ...during,
        serverCores: importUse.processMs! / (importTo - importFrom),
        otherCores: importUse.otherCores,
      },
      import: { ms: Math.round(imported.ms), new: imported.summary.new, updated: imported.summary.updated },
      p99Ratio: during.p99Ms / idle.p99Ms,
      perSecond,
      errors: totals.errors,
      badBodies: totals.mismatches,
      servedNewestAfterImport: servedNewest,
    };
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(path.join(RESULTS, `${out}.json`), `${JSON.stringify(result, null, 2)}\n`);
    const line = (name: string, s: ReturnType<typeof summary>) =>
      `${name}: ${s.requests} requests, ${s.reqPerSec} req/s, p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, max ${s.maxMs} ms`;
    process.stdout.write(
      [
        line('idle         ', idle),
        line('during import', during),
        `import: ${String(result.import.new)} new posts in ${(imported.ms / 1000).toFixed(1)} s; p99 during / idle ${result.p99Ratio.toFixed(2)}`,
        `other cores: idle ${idleUse.otherCores?.toFixed(2)}, during ${importUse.otherCores?.toFixed(2)} (the import is one of them)`,
        `errors ${totals.errors}, bad bodies ${totals.mismatches}, head page shows the newest post after the import: ${servedNewest}`,
        `bench/results/${out}.json`,
        '',
      ].join('\n'),
    );
    if (!servedNewest || totals.errors || totals.mismatches) process.exitCode = 1;
  } finally {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`import-under-load: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
