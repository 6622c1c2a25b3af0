// Latency of `serve --watch`: from a post file written into the watched archive to its post being
// answered over GraphQL. Starts the compiled server on a copy-free archive (the files it writes
// are removed at the end), writes --files posts --interval ms apart, and asks for the oldest post
// not seen yet until it is there (the batches import files in order).
//
//   npm run build && node dist/bench/watch-latency.js --archive DIR --db DB [--files 50] [--interval 100]
//     [--debounce MS] [--max-delay MS] [--poll] [--poll-interval MS]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const arg = (name: string, fallback?: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1 || i + 1 >= process.argv.length) {
    if (fallback === undefined) throw new Error(`--${name} is required`);
    return fallback;
  }
  return process.argv[i + 1];
};

const BIN = path.join(__dirname, '..', '..', 'bin', 'newsgraph.js');
const archive = path.resolve(arg('archive'));
const db = arg('db');
const files = Number(arg('files', '50'));
const interval = Number(arg('interval', '100'));
/** Watch flags passed on to `serve --watch`. */
const extra = ['debounce', 'max-delay', 'poll-interval'].flatMap((f) =>
  process.argv.includes(`--${f}`) ? [`--${f}`, arg(f)] : [],
);
const poll = process.argv.includes('--poll') ? ['--poll'] : [];

/** A post body like the sample's, with a unique slug under a folder of its own. */
const body = (i: number) => `---
layout: post
title: "实时写入 ${i}"
date: 2022-06-16 10:00:00 +0800
categories: watchbench
tags: 东财滚动新闻
---

中国联通(600050)今日公告，第 ${i} 条。

<http://finance.eastmoney.com/news/1354,2022061600000${i}.html>
`;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main(): Promise<void> {
  const dir = path.join(archive, 'watch-bench');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  const started = Date.now();
  const server = spawn(
    process.execPath,
    [BIN, 'serve', '--db', db, '--port', '0', '--watch', archive, ...extra, ...poll],
    {
      env: { ...process.env, LOG_LEVEL: 'info', GRAPHQL_RESPONSE_CACHE_MB: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const logs: any[] = [];
  let buffered = '';
  server.stdout.on('data', (d) => {
    buffered += d;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) if (line.trim()) logs.push(JSON.parse(line));
  });
  const until = async (what: string, find: () => any) => {
    for (const deadline = Date.now() + 600_000; ; await new Promise((r) => setTimeout(r, 50))) {
      const found = find();
      if (found) return found;
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`no ${what}`);
    }
  };
  try {
    const { port } = await until('URL line', () => logs.find((l) => /GraphQL and GraphiQL at/.test(l.msg)));
    await until('watching line', () => logs.find((l) => l.msg === 'watching'));
    const ready = Date.now() - started;
    const ask = async (i: number) => {
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ post(url: "/watchbench/2022/06/16/live-${i}.html") { id } }` }),
      });
      return ((await res.json()) as { data?: { post: unknown } }).data?.post != null;
    };
    const writtenAt: number[] = [];
    const latency: number[] = [];
    const writer = (async () => {
      for (let i = 0; i < files; i++) {
        fs.writeFileSync(path.join(dir, `2022-06-16-live-${i}.md`), body(i));
        writtenAt.push(Date.now());
        await new Promise((r) => setTimeout(r, interval));
      }
    })();
    for (let i = 0; i < files;) {
      if (i < writtenAt.length && (await ask(i))) {
        latency.push(Date.now() - writtenAt[i]);
        i++;
      } else await new Promise((r) => setTimeout(r, 20));
    }
    await writer;
    // A post is answered as soon as its batch commits, a moment before that batch's log line.
    const logged = () => logs.filter((l) => l.msg === 'imported changes').reduce((n, b) => n + (b.new as number), 0);
    for (const deadline = Date.now() + 5000; logged() < files && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 50));
    const watcher = logs.find((l) => l.msg === 'archive watcher started')?.pid as number;
    const rss = (pid: number) =>
      Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
    const sorted = [...latency].sort((a, b) => a - b);
    const batches = logs.filter((l) => l.msg === 'imported changes');
    const batchMs = batches.map((b) => b.ms as number).sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        archive,
        files,
        intervalMs: interval,
        serverAndWatcherReadyMs: ready,
        initialImportMs: logs.find((l) => l.msg === 'imported the archives')?.ms,
        latencyMs: { p50: pct(sorted, 50), p90: pct(sorted, 90), p99: pct(sorted, 99), max: sorted.at(-1) },
        batches: batches.length,
        // Each file once: as many new posts as files, none updated.
        postsNew: batches.reduce((n, b) => n + (b.new as number), 0),
        postsUpdated: batches.reduce((n, b) => n + (b.updated as number), 0),
        batchImportMs: { p50: pct(batchMs, 50), max: batchMs.at(-1) },
        rssMiB: { server: Math.round(rss(server.pid!)), watcher: Math.round(rss(watcher)) },
      }),
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
