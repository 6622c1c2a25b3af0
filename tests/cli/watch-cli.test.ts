// `newsgraph import --watch` and `newsgraph serve --watch`, through the compiled CLI (`npm test`
// builds first): real processes following a copy of the sample archive. Every wait is for a
// condition (a log line, a row, a GraphQL answer) with a deadline.
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { childPids } from '../../bench/cpu';
import { tempDir } from '../helpers/db';
import { consistencyProblems, requireCompiledCli } from '../robustness/db-state';
import { sample } from '../helpers/metrics';
import { archiveCopy, datedPostText, PLAIN, postText, urlOf, waitFor } from '../watch/helpers';

jest.setTimeout(120_000);

interface Proc {
  child: ChildProcess;
  logs: any[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Proc[] = [];
afterAll(() => {
  // Only if a test failed half way: nothing may outlive the file.
  for (const p of started) {
    for (const pid of descendants(p.child.pid!)) process.kill(pid, 'SIGKILL');
    p.child.kill('SIGKILL');
  }
});

/** Runs the CLI with info logs (debug: `env`), collecting its JSON log lines. */
function run(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [requireCompiledCli(), ...args], {
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
  const p = { child, logs, stderr: () => stderr, exited };
  started.push(p);
  return p;
}

const line = (p: Proc, what: string, match: (l: any) => boolean) =>
  waitFor(what, () => {
    if (p.child.exitCode !== null) throw new Error(`exited with ${p.child.exitCode} before ${what}: ${p.stderr()}`);
    return p.logs.find(match);
  });

function descendants(pid: number): number[] {
  const kids = childPids(pid);
  return [...kids, ...kids.flatMap(descendants)];
}

/** The processes among `pids` running `newsgraph import … --watch`. */
const watchers = (pids: number[]) =>
  pids.filter((pid) => {
    try {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return argv.includes('import') && argv.includes('--watch');
    } catch {
      return false;
    }
  });

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`);

/** A process's (or one of its threads') nice value, from /proc. */
function niceOf(pid: number, task?: string): number {
  const stat = fs.readFileSync(task ? `/proc/${pid}/task/${task}/stat` : `/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

function postCount(db: string, like = '%'): number {
  const conn = new Database(db, { readonly: true });
  try {
    return (conn.prepare('SELECT count(*) AS n FROM post WHERE path LIKE ?').get(like) as { n: number }).n;
  } finally {
    conn.close();
  }
}

const write = (archive: string, rel: string, title: string) =>
  fs.writeFileSync(path.join(archive, rel), postText(PLAIN, title));

test('import --watch: the initial import, then a new file and a 200-file burst in a few batches; SIGTERM exits 0', async () => {
  const archive = archiveCopy();
  const db = path.join(tempDir(), 'watch.db');
  const p = run(['import', archive, '--db', db, '--watch', '--debounce', '150']);
  await line(p, 'watching', (l) => l.msg === 'watching');
  expect(p.logs.find((l) => l.msg === 'imported the archives')).toMatchObject({ batch: 0, new: 104, failed: [] });

  write(archive, 'old_post/2021-12-08-cli-one.md', '一条');
  const one = await line(p, 'the first batch', (l) => l.msg === 'imported changes');
  expect(one).toMatchObject({ batch: 1, changed: 1, new: 1, failed: [], ms: expect.any(Number) });
  expect(postCount(db, '%cli-one%')).toBe(1);

  for (let i = 0; i < 200; i++) write(archive, `old_post/2021-12-08-cli-burst-${i}.md`, `快讯 ${i}`);
  await waitFor('the 200 posts', () => postCount(db, '%cli-burst-%') === 200);
  p.child.kill('SIGTERM');
  expect(await p.exited).toEqual({ code: 0, signal: null });
  const burst = p.logs.filter((l) => l.msg === 'imported changes' && l.batch > 1);
  expect(burst.length).toBeGreaterThanOrEqual(1);
  expect(burst.length).toBeLessThanOrEqual(5);
  expect(burst.reduce((n, l) => n + l.new, 0)).toBe(200);
  expect(p.logs.at(-1)).toMatchObject({ msg: 'stopped' });
});

test('import --watch: SIGTERM during a batch lets its transaction commit, exits 0, and leaves nothing partial', async () => {
  const archive = archiveCopy();
  const db = path.join(tempDir(), 'sigterm.db');
  // A quiet time the 400 writes below never leave, even on a loaded machine (at 150 ms a CI run
  // beside a large import saw a batch of 6; at 2 s, a PostgreSQL test run beside it saw 399 of 400).
  const p = run(['import', archive, '--db', db, '--watch', '--debounce', '5000', '--max-delay', '20000'], {
    NEWSGRAPH_BATCH_SIZE: '5',
  });
  await line(p, 'watching', (l) => l.msg === 'watching');
  for (let i = 0; i < 400; i++) write(archive, `old_post/2021-12-08-term-${i}.md`, `停 ${i}`);
  // SIGTERM once the batch's first transactions have committed (80 of 5 files each make the batch).
  await waitFor('the batch’s first transaction', () => postCount(db, '%term-%') > 0, 60_000);
  p.child.kill('SIGTERM');
  expect(await p.exited).toEqual({ code: 0, signal: null });
  expect(p.logs.filter((l) => l.msg === 'imported changes')).toEqual([
    expect.objectContaining({ batch: 1, changed: 400, stopped: true }),
  ]);
  // Whole transactions only, and not all of them.
  const written = postCount(db, '%term-%');
  expect(written).toBeLessThan(400);
  expect(written % 5).toBe(0);
  const conn = new Database(db);
  try {
    expect(consistencyProblems(conn, { complete: false })).toEqual([]);
  } finally {
    conn.close();
  }
  // The rest comes with the next import, each post once.
  const again = JSON.parse(
    execFileSync(process.execPath, [requireCompiledCli(), 'import', archive, '--db', db, '--json'], {
      encoding: 'utf8',
    }),
  );
  expect(again.new).toBe(400 - written);
  expect(postCount(db, '%term-%')).toBe(400);
});

/** Asks the server for a post by permalink. */
async function postByUrl(port: number, url: string): Promise<{ title: string } | null> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query ($url: String!) { post(url: $url) { title } }', variables: { url } }),
  });
  const body = (await res.json()) as { data?: { post: { title: string } | null } };
  return body.data?.post ?? null;
}

test('serve --watch: a file written into the archive is queryable over GraphQL; SIGTERM stops the server and its watcher', async () => {
  const archive = archiveCopy();
  const db = path.join(tempDir(), 'serve.db');
  const p = run(['serve', '--db', db, '--port', '0', '--watch', archive, '--debounce', '150', '--duty-cycle', '0.5']);
  const { port } = await line(p, 'the URL line', (l) => /GraphQL and GraphiQL at/.test(l.msg));
  const { pid } = await line(p, 'the watcher', (l) => l.msg === 'archive watcher started');
  await line(p, 'watching', (l) => l.msg === 'watching');
  expect(watchers(descendants(p.child.pid!))).toEqual([pid]);
  // The watcher runs below the server's CPU priority, its threads too (its imports' parse threads).
  expect(niceOf(pid)).toBe(Math.min(19, niceOf(p.child.pid!) + 10));
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) expect(niceOf(pid, task)).toBe(niceOf(pid));
  // The watch flags go to the watcher, the imports' pacing with them.
  expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toEqual(
    expect.arrayContaining(['--watch', '--debounce', '150', '--duty-cycle', '0.5']),
  );

  const rel = 'old_post/2021-12-08-served.md';
  write(archive, rel, '服务中写入');
  expect(await waitFor('the post over GraphQL', () => postByUrl(port, urlOf(PLAIN, rel)))).toEqual({
    title: '服务中写入',
  });

  p.child.kill('SIGTERM');
  expect(await p.exited).toEqual({ code: 0, signal: null });
  expect(alive(pid)).toBe(false);
});

test('serve --workers 2 --watch: one watcher for all workers, restarted when it dies', async () => {
  const archive = archiveCopy();
  const db = path.join(tempDir(), 'workers.db');
  const p = run(['serve', '--db', db, '--port', '0', '--workers', '2', '--watch', archive, '--debounce', '150']);
  const { port } = await line(p, 'the URL line', (l) => /GraphQL and GraphiQL at/.test(l.msg));
  const first = await line(p, 'the watcher', (l) => l.msg === 'archive watcher started');
  await line(p, 'watching', (l) => l.msg === 'watching');
  expect(watchers(descendants(p.child.pid!))).toEqual([first.pid]);

  process.kill(first.pid, 'SIGKILL');
  await line(p, 'the restart', (l) => l.msg === 'archive watcher exited; restarting it' && l.pid === first.pid);
  const second = await line(p, 'the new watcher', (l) => l.msg === 'archive watcher started' && l.pid !== first.pid);
  await waitFor('the new watcher watching', () => p.logs.filter((l) => l.msg === 'watching').length === 2);
  expect(watchers(descendants(p.child.pid!))).toEqual([second.pid]);

  const rel = 'old_post/2021-12-08-after-restart.md';
  write(archive, rel, '重启之后');
  expect(await waitFor('the post over GraphQL', () => postByUrl(port, urlOf(PLAIN, rel)))).toEqual({
    title: '重启之后',
  });

  p.child.kill('SIGTERM');
  expect(await p.exited).toEqual({ code: 0, signal: null });
  expect(alive(second.pid)).toBe(false);
});

test('watch flags without --watch, and a missing archive to watch, are refused with the reason', () => {
  const db = path.join(tempDir(), 'x.db');
  const stray = spawnSync(process.execPath, [requireCompiledCli(), 'import', archiveCopy(), '--db', db, '--poll'], {
    encoding: 'utf8',
  });
  expect(stray.status).toBe(2);
  expect(stray.stderr).toContain('--poll: only with --watch');
  // An import is paced alone too; a server paces only the imports of its watcher.
  const unwatched = spawnSync(
    process.execPath,
    [requireCompiledCli(), 'serve', '--db', db, '--port', '0', '--duty-cycle', '0.5'],
    { encoding: 'utf8' },
  );
  expect(unwatched.status).toBe(2);
  expect(unwatched.stderr).toContain('--duty-cycle: only with --watch');
  const missing = spawnSync(
    process.execPath,
    [requireCompiledCli(), 'serve', '--db', db, '--port', '0', '--watch', '/no/such/archive'],
    {
      encoding: 'utf8',
    },
  );
  expect(missing.status).toBe(2);
  expect(missing.stderr).toContain('/no/such/archive: no such folder');
  const bad = spawnSync(process.execPath, [requireCompiledCli(), 'import', 'x', '--watch', '--debounce', 'soon'], {
    encoding: 'utf8',
  });
  expect(bad.status).not.toBe(0);
  expect(bad.stderr).toContain("'soon' is not a number of milliseconds");
});

/** `YYYY/MM/DD` of an instant in Asia/Shanghai (no DST). */
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '/');

/** The server's /metrics text. */
async function metricsOf(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { connection: 'close' } });
  expect(res.status).toBe(200);
  return res.text();
}

test('serve --watch --metrics: the watcher child reports each run; a scheduled post is published at its time', async () => {
  const archive = archiveCopy();
  const db = path.join(tempDir(), 'metrics.db');
  fs.writeFileSync(path.join(archive, 'old_post/2021-12-09-broken.md'), '---\ntitle: [\n---\nbody\n');
  // Far enough ahead for the first run of a watcher at nice +10 on a loaded machine.
  const due = Math.ceil((Date.now() + 20_000) / 1000) * 1000;
  const scheduled = 'old_post/2030-01-01-metrics-scheduled.md';
  fs.writeFileSync(path.join(archive, scheduled), datedPostText(PLAIN, '定时指标', due));
  const startedAt = Date.now();
  const p = run(['serve', '--db', db, '--port', '0', '--watch', archive, '--debounce', '150', '--metrics']);
  const { port } = await line(p, 'the URL line', (l) => /GraphQL and GraphiQL at/.test(l.msg));
  await line(p, 'watching', (l) => l.msg === 'watching');
  // The message follows the log line over IPC: wait for it.
  let text = await waitFor('the first run in /metrics', async () => {
    const t = await metricsOf(port);
    return sample(t, 'newsgraph_watch_batches_total') === 1 && t;
  });
  expect(Date.now()).toBeLessThan(due);
  expect(sample(text, 'newsgraph_watch_batch_duration_seconds_count')).toBe(1);
  expect(sample(text, 'newsgraph_watch_posts_total', { kind: 'added' })).toBe(104);
  expect(sample(text, 'newsgraph_watch_posts_total', { kind: 'updated' })).toBe(0);
  expect(sample(text, 'newsgraph_watch_posts_total', { kind: 'removed' })).toBe(0);
  expect(sample(text, 'newsgraph_import_errors_total', { scope: 'file' })).toBe(1);
  expect(sample(text, 'newsgraph_import_errors_total', { scope: 'archive' })).toBe(0);
  expect(sample(text, 'newsgraph_posts_scheduled')).toBe(1);
  const last = sample(text, 'newsgraph_watch_last_batch_timestamp_seconds')!;
  expect(last * 1000).toBeGreaterThanOrEqual(startedAt);
  expect(last * 1000).toBeLessThanOrEqual(Date.now());
  // The server's own metrics are still there, once.
  expect(text.match(/^# TYPE newsgraph_process_cpu_user_seconds_total /gm)).toHaveLength(1);

  // Its time comes: published by the watcher with no file event, within moments.
  text = await waitFor(
    'the scheduled post published',
    async () => {
      const t = await metricsOf(port);
      return sample(t, 'newsgraph_watch_batches_total') === 2 && t;
    },
    60_000,
  );
  // Without the timer it would wait for a file event that never comes.
  expect(Date.now() - due).toBeLessThan(15_000);
  expect(sample(text, 'newsgraph_watch_posts_total', { kind: 'added' })).toBe(105);
  expect(sample(text, 'newsgraph_posts_scheduled')).toBe(0);
  expect(sample(text, 'newsgraph_import_errors_total', { scope: 'file' })).toBe(1);
  expect(
    // The permalink's date is the day in the sample's zone (Asia/Shanghai, +08:00 all year).
    await postByUrl(port, urlOf(PLAIN, scheduled).replace('2021/12/08', shanghaiDay(due))),
  ).toEqual({ title: '定时指标' });

  // A rewritten post, then a deleted one.
  fs.writeFileSync(path.join(archive, PLAIN), postText(PLAIN, '改过的标题'));
  await waitFor(
    'the update in /metrics',
    async () => sample(await metricsOf(port), 'newsgraph_watch_posts_total', { kind: 'updated' }) === 1,
  );
  fs.unlinkSync(path.join(archive, PLAIN));
  text = await waitFor('the removal in /metrics', async () => {
    const t = await metricsOf(port);
    return sample(t, 'newsgraph_watch_posts_total', { kind: 'removed' }) === 1 && t;
  });
  expect(sample(text, 'newsgraph_watch_batches_total')).toBe(4);
  expect(sample(text, 'newsgraph_watch_batch_duration_seconds_count')).toBe(4);

  p.child.kill('SIGTERM');
  expect(await p.exited).toEqual({ code: 0, signal: null });
});

test('serve --workers 2 --watch --metrics: every scrape, whichever worker answers, counts the one watcher once', async () => {
  const archive = archiveCopy();
  const db = path.join(tempDir(), 'workers-metrics.db');
  const p = run(['serve', '--db', db, '--port', '0', '--workers', '2', '--watch', archive, '--metrics']);
  const { port } = await line(p, 'the URL line', (l) => /GraphQL and GraphiQL at/.test(l.msg));
  await line(p, 'watching', (l) => l.msg === 'watching');
  await waitFor(
    'the first run in /metrics',
    async () => sample(await metricsOf(port), 'newsgraph_watch_batches_total') === 1,
  );
  for (let i = 0; i < 4; i++) {
    const text = await metricsOf(port);
    expect(sample(text, 'newsgraph_watch_batches_total')).toBe(1);
    expect(sample(text, 'newsgraph_watch_posts_total', { kind: 'added' })).toBe(104);
    expect(sample(text, 'newsgraph_posts_scheduled')).toBe(0);
    expect(text.match(/^# TYPE newsgraph_watch_batches_total /gm)).toHaveLength(1);
  }
  p.child.kill('SIGTERM');
  expect(await p.exited).toEqual({ code: 0, signal: null });
});
