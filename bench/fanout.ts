/**
 * Fan-out of one event to many subscriptions (issue #13: 1,000 concurrent subscriptions on one
 * process, an event delivered to all of them within 1 s).
 *
 *   npm run bench:fanout -- [--subscriptions 1000] [--per-connection 1|20] [--variant unfiltered|filtered|unique]
 *     [--events 5] [--interval 3000] [--archive DIR --db FILE] [--cpu-prof DIR] [--out NAME]
 *
 * Starts the compiled `newsgraph serve --watch ARCHIVE --metrics` (default: a copy of seeds/finews
 * and a new database in a temporary folder, as bench/live.ts), opens `--subscriptions` postAdded
 * subscriptions from this process over subscriptions/per-connection graphql-ws connections, each
 * selecting what a client's list would (id url title date stocks { symbol name }), then writes
 * `--events` new posts (copies of the archive's posts that link stocks, under new names and
 * titles) into the archive, each after the last was delivered and `--interval` ms of quiet.
 * Variants: `unfiltered` (every subscription hears every post); `filtered` (subscription i filters
 * by the i-th of the archive's stocks, tags and categories, round-robin: a few dozen distinct
 * filters, some pass each post, most do not); `unique` (those filters, each with its own dateFrom
 * before any post: every subscription a distinct filter, so a statement each per round).
 * Per event: write -> first and last delivery, the feed's commit (post_change.at_ms) -> last
 * delivery, spread (last - first), and who got it: exactly the subscriptions whose filter passes
 * the post (checked against the post's links in the database, not the server's SQL), each once.
 * Server CPU (the serving process; the watcher's import child apart) and RSS. Writes
 * bench/results/<out>.json (default fanout-<variant>-<connections>x<per-connection>).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { childPids, cpuWindow, processCpuMs } from './cpu';
import { startWatchingServer, waitFor } from './serve-watch';
import {
  addedAtMs,
  archiveFilters,
  filterOf,
  linksOf,
  passes,
  stockPosts,
  type Filter,
  type Variant,
} from './fanout-filters';

const ROOT = path.join(__dirname, '..', '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
const QUERY = `subscription Fanout($filter: PostFilter) {
  postAdded(filter: $filter) { id url title date stocks { symbol name } }
}`;
const log = (line: string) => process.stderr.write(`fanout: ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** VmRSS and VmHWM (peak) of a process, MiB. */
function rssMiB(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

async function subscriptionsOpen(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^newsgraph_subscriptions_open (\d+)$/m.exec(text)?.[1] ?? NaN);
}

interface EventRecord {
  title: string;
  template: string;
  writtenAt: number;
  /** Subscription index -> delivery times. */
  deliveries: Map<number, number[]>;
}

async function main(): Promise<void> {
  const n = Number(arg('subscriptions', '1000'));
  const perConnection = Number(arg('per-connection', '1'));
  const variant = arg('variant', 'unfiltered') as Variant;
  if (!['unfiltered', 'filtered', 'unique'].includes(variant)) throw new Error(`unknown --variant ${variant}`);
  const events = Number(arg('events', '5'));
  const interval = Number(arg('interval', '3000'));
  const connections = Math.ceil(n / perConnection);
  const out = arg('out', `fanout-${variant}-${connections}x${perConnection}`);
  const profDir = arg('cpu-prof', '');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsgraph-fanout-'));
  const archive = arg('archive', '');
  const dir = archive || path.join(tmp, 'archive');
  if (!archive) fs.cpSync(path.join(ROOT, 'seeds', 'finews'), dir, { recursive: true });
  const db = arg('db', path.join(tmp, 'fanout.db'));

  const nodeFlags = profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
  const server = await startWatchingServer({ db, dir, flags: ['--metrics'], nodeFlags });
  const { child, port } = server;
  const clients: Client[] = [];
  try {
    const base = `http://127.0.0.1:${port}`;
    const serverPid = child.pid!;
    const rssIdle = rssMiB(serverPid);

    const filters = archiveFilters(db);
    const filterOfSub: (Filter | undefined)[] = Array.from({ length: n }, (_, i) => filterOf(variant, filters, i));
    const distinct = new Set(filterOfSub.map((f) => JSON.stringify(f ?? null))).size;
    log(
      `serving on ${port}; ${n} subscriptions (${variant}, ${distinct} distinct filters) over ${connections} connections`,
    );

    const byTitle = new Map<string, EventRecord>();
    let errors = 0;
    let stray = 0;
    const t0 = Date.now();
    for (let c = 0; c < connections; c++) {
      const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket });
      clients.push(client);
      for (let i = c * perConnection; i < Math.min(n, (c + 1) * perConnection); i++) {
        const filter = filterOfSub[i];
        client.subscribe(
          { query: QUERY, variables: filter ? { filter } : {} },
          {
            next: (r) => {
              const at = Date.now();
              const post = (r.data as { postAdded?: { title: string; stocks: unknown[] } } | undefined)?.postAdded;
              const e = post && byTitle.get(post.title);
              if (r.errors || !post || !Array.isArray(post.stocks)) errors++;
              if (!e) return void stray++;
              const seen = e.deliveries.get(i);
              if (seen) seen.push(at);
              else e.deliveries.set(i, [at]);
            },
            error: (err) => {
              errors++;
              if (errors <= 5) log(`subscription ${i} failed: ${JSON.stringify(err)}`);
            },
            complete: () => undefined,
          },
        );
      }
      // Connections open a hundred at a time: the bench measures delivery, not a connection storm.
      if (c % 100 === 99) await sleep(100);
    }
    await waitFor('every subscription open', async () => (await subscriptionsOpen(base)) === n, 120_000);
    const subscribeMs = Date.now() - t0;
    const rssSubscribed = rssMiB(serverPid);
    log(`${n} subscriptions open in ${subscribeMs} ms; server RSS ${rssSubscribed.rss} MiB`);
    await sleep(1000);

    const templates = stockPosts(db);
    const whole = cpuWindow(serverPid);
    const records: ReturnType<typeof tally>[] = [];
    for (let k = 0; k < events; k++) {
      const template = templates[k % templates.length];
      const title = `fanout bench ${process.pid} #${k}`;
      const file = path.join(dir, '_posts', `2021-12-09-fanout-${process.pid}-${k}.md`);
      const text = fs.readFileSync(path.join(dir, template), 'utf8').replace(/^title: .*$/m, `title: "${title}"`);
      const e: EventRecord = { title, template, writtenAt: 0, deliveries: new Map() };
      byTitle.set(title, e);
      const cpu0 = processCpuMs(serverPid);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      e.writtenAt = Date.now();
      fs.writeFileSync(file, text);
      const post = await waitFor('the post imported', () => linksOf(db, title), 60_000);
      const expected = new Set(filterOfSub.flatMap((f, i) => (passes(f, post.links) ? [i] : [])));
      await waitFor('every delivery', () => [...expected].every((i) => e.deliveries.has(i)), 30_000).catch(() =>
        log(`event ${k}: ${[...expected].filter((i) => !e.deliveries.has(i)).length} expected deliveries missing`),
      );
      const serverCpuMs = (processCpuMs(serverPid) ?? NaN) - (cpu0 ?? NaN);
      await sleep(interval); // late or repeated deliveries would land here
      records.push(tally(e, expected, addedAtMs(db, post.url), serverCpuMs));
      log(`event ${k}: ${JSON.stringify(records[k])}`);
    }
    const cpu = whole.stop();
    const watcherPids = childPids(serverPid);

    const spreads = records.map((r) => r.spreadMs);
    const toLast = records.map((r) => r.writeToLastMs);
    const commitToLast = records.map((r) => r.commitToLastMs);
    const exact = records.every((r) => r.missing === 0 && r.unexpected === 0 && r.twice === 0);
    const result = {
      date: new Date().toISOString(),
      variant,
      subscriptions: n,
      connections,
      perConnection,
      distinctFilters: distinct,
      events,
      intervalMs: interval,
      subscribeMs,
      spreadMs: { p50: percentile(spreads, 50), max: Math.max(...spreads) },
      writeToFirstMs: {
        p50: percentile(
          records.map((r) => r.writeToFirstMs),
          50,
        ),
        max: Math.max(...records.map((r) => r.writeToFirstMs)),
      },
      writeToLastMs: { p50: percentile(toLast, 50), max: Math.max(...toLast) },
      commitToLastMs: { p50: percentile(commitToLast, 50), max: Math.max(...commitToLast) },
      eachExactlyOnce: exact,
      errors,
      stray,
      // The target: every subscriber that should hear of the event does, once, within 1 s of the
      // event, its commit to the feed (the spread alone would hide the work done before the first send).
      targetMet: exact && errors === 0 && Math.max(...commitToLast) <= 1000,
      // Stricter: within 1 s of the file's write, the watcher's debounce and import included.
      withinOneSecondOfWrite: exact && errors === 0 && Math.max(...toLast) <= 1000,
      server: {
        cpuMsDuringEvents: cpu.processMs,
        cpuMsPerEvent: records.map((r) => r.serverCpuMs),
        rssIdleMiB: rssIdle.rss,
        rssSubscribedMiB: rssSubscribed.rss,
        rssEndMiB: rssMiB(serverPid).rss,
        rssPeakMiB: rssMiB(serverPid).peak,
        watcherChildren: watcherPids.length,
      },
      bench: { cpuMsDuringEvents: Math.round(cpu.selfMs), otherCores: cpu.otherCores, loadAvg1: cpu.loadAvg1 },
      perEvent: records,
    };
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(path.join(RESULTS, `${out}.json`), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      [
        `${variant}, ${connections} connections x ${perConnection}: ${n} subscriptions, ${distinct} distinct filters`,
        `spread (last - first) p50 ${result.spreadMs.p50} ms, max ${result.spreadMs.max} ms`,
        `write -> first p50 ${result.writeToFirstMs.p50} ms; write -> last p50 ${result.writeToLastMs.p50} ms, max ${result.writeToLastMs.max} ms`,
        `feed commit -> last p50 ${result.commitToLastMs.p50} ms, max ${result.commitToLastMs.max} ms`,
        `server CPU ${cpu.processMs} ms over ${events} events (${result.server.cpuMsPerEvent.join(', ')}); RSS idle ${rssIdle.rss}, subscribed ${rssSubscribed.rss}, peak ${result.server.rssPeakMiB} MiB`,
        `each exactly once: ${exact}; errors ${errors}; other cores ${cpu.otherCores?.toFixed(2)}, load ${cpu.loadAvg1.toFixed(1)}`,
        `target (all within 1 s of the commit): ${result.targetMet ? 'met' : 'NOT met'}; of the write: ${result.withinOneSecondOfWrite ? 'yes' : 'no'}`,
        `bench/results/${out}.json`,
        '',
      ].join('\n'),
    );
    if (!exact || errors) process.exitCode = 1;
  } finally {
    await Promise.all(clients.map(async (c) => c.dispose()));
    await server.stop();
  }
}

/** One event's figures. */
function tally(e: EventRecord, expected: Set<number>, committedAt: number | null, serverCpuMs: number) {
  const firsts = [...e.deliveries.values()].map((t) => t[0]);
  const first = Math.min(...firsts);
  const last = Math.max(...firsts);
  return {
    template: e.template,
    expected: expected.size,
    delivered: e.deliveries.size,
    missing: [...expected].filter((i) => !e.deliveries.has(i)).length,
    unexpected: [...e.deliveries.keys()].filter((i) => !expected.has(i)).length,
    twice: [...e.deliveries.values()].filter((t) => t.length > 1).length,
    writeToFirstMs: first - e.writtenAt,
    writeToLastMs: last - e.writtenAt,
    commitToLastMs: committedAt === null ? NaN : last - committedAt,
    spreadMs: last - first,
    serverCpuMs,
  };
}

main().catch((e: unknown) => {
  process.stderr.write(`fanout: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
