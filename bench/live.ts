/**
 * From a file written into a watched archive to a subscribed client (issue #13's target: p99 <= 2 s
 * over 100 files written 100 ms apart, each announced exactly once).
 *
 *   node dist/bench/live.js [--archive DIR] [--db FILE] [--files N] [--interval MS]
 *
 * Starts the compiled `newsgraph serve --watch ARCHIVE` (default: a copy of seeds/finews and a new
 * database, both in a temporary folder; give --archive and --db for a large archive imported
 * before), subscribes to `postAdded` over graphql-ws, then writes N new posts (a sample post under
 * new names and titles) N ms apart, and times each from its write to its event.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startWatchingServer, waitFor } from './serve-watch';

const ROOT = path.join(__dirname, '..', '..');
const SAMPLE = path.join(ROOT, 'seeds', 'finews', 'old_post', '2021-12-08-202112082206703990.md');
const log = (line: string) => process.stderr.write(`live: ${line}\n`);

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'newsgraph-live-'));
  const archive = arg('--archive', '');
  const dir = archive || path.join(tmp, 'archive');
  if (!archive) fs.cpSync(path.join(ROOT, 'seeds', 'finews'), dir, { recursive: true });
  const db = arg('--db', path.join(tmp, 'live.db'));
  const files = Number(arg('--files', '100'));
  const interval = Number(arg('--interval', '100'));
  const template = fs.readFileSync(SAMPLE, 'utf8');

  // The watcher's first import (of the whole archive) ends with a batch log line; then follow.
  const server = await startWatchingServer({ db, dir });
  const { port } = server;
  try {
    log(`serving on ${port}; writing ${files} files ${interval} ms apart into ${dir}`);

    const seen = new Map<string, number[]>();
    const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket });
    client.subscribe(
      { query: 'subscription { postAdded { title } }' },
      {
        next: (r) => {
          const title = (r.data as { postAdded: { title: string } } | undefined)?.postAdded.title;
          if (title) seen.set(title, [...(seen.get(title) ?? []), Date.now()]);
        },
        error: (e) => log(`subscription error: ${JSON.stringify(e)}`),
        complete: () => undefined,
      },
    );
    await new Promise((r) => setTimeout(r, 1000));

    const written = new Map<string, number>();
    for (let i = 0; i < files; i++) {
      const title = `live bench ${process.pid} #${i}`;
      const file = path.join(dir, '_posts', `2021-12-09-live-${process.pid}-${i}.md`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, template.replace(/^title: .*$/m, `title: "${title}"`));
      written.set(title, Date.now());
      await new Promise((r) => setTimeout(r, interval));
    }
    await waitFor('every event', () => [...written.keys()].every((t) => seen.has(t)), 60_000).catch(() => false);
    await new Promise((r) => setTimeout(r, 1000)); // late duplicates would show here
    await client.dispose();

    const latencies = [...written]
      .flatMap(([t, at]) => (seen.has(t) ? [seen.get(t)![0] - at] : []))
      .sort((a, b) => a - b);
    const missing = [...written.keys()].filter((t) => !seen.has(t)).length;
    const twice = [...seen.values()].filter((v) => v.length > 1).length;
    const batches = (server.output().match(/"batch":/g) ?? []).length - 1;
    const result = {
      files,
      intervalMs: interval,
      announced: latencies.length,
      missing,
      announcedTwice: twice,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies[latencies.length - 1],
      watchBatches: batches,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (missing || twice) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`live: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
