// The change feed across kill -9 of the importer, on the suite's database (SQLite, or PostgreSQL
// under `npm run test:pg`). The compiled CLI (`node bin/newsgraph.js import`) is SIGKILLed right
// after it is seen to commit a batch, so the next batch is being parsed or written, three times
// during a first import and three times during a re-import that edits, deletes (--prune), moves
// and adds posts; each import then runs to its end. After every kill the committed feed has no gap
// and replays to the stored posts (db-state.ts `feedProblems`); at the end every permalink has
// exactly the changes its history implies, each once.
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateArchive } from '../../bench/gen/main';
import { Rng } from '../../bench/gen/rng';
import { tempDatabase, tempDir, type TempDatabase } from '../helpers/db';
import { consistencyProblemsOf, kindsByUrl, readFeedOf, requireCompiledCli } from './db-state';

const POSTS = 300;
const KILLS = 3;
/** Files per transaction: 30 commits in the first import, so kills land between and inside them. */
const BATCH_SIZE = '10';

jest.setTimeout(170_000);

let bin: string;
let work: string;
let archive: string;
let t: TempDatabase;
const live = new Set<ChildProcess>();
const rng = new Rng(0xfeed);
const log: string[] = [];

beforeAll(async () => {
  bin = requireCompiledCli();
  work = tempDir('newsgraph-feed-crash-');
  archive = path.join(work, 'archive');
  await generateArchive({ posts: POSTS, out: archive, seed: 11 });
  t = await tempDatabase();
});
afterAll(async () => {
  for (const c of live) c.kill('SIGKILL');
  await t?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const changeCount = async () => Number((await t.query('SELECT count(*) AS n FROM post_change'))[0].n);

interface Run {
  killed: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI import on the test database; with `killAt`, SIGKILLs it once the feed holds that
 * many changes (then a little later, at random): a batch has committed, the next is in flight.
 */
function runImport(args: string[], killAt?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [bin, 'import', archive, '--db', t.file, '--json', '--no-progress', ...args],
      { env: { ...process.env, NEWSGRAPH_BATCH_SIZE: BATCH_SIZE }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let running = true;
    if (killAt !== undefined) {
      const extraMs = rng.int(0, 40);
      void (async () => {
        while (running && (await changeCount()) < killAt) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setTimeout(r, extraMs));
        if (running) child.kill('SIGKILL');
      })().catch(reject);
    }
    // A hung import is a failure, not a test timeout.
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`import did not finish within 60 s (stderr: ${stderr.slice(0, 500)})`));
    }, 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running = false;
      live.delete(child);
      clearTimeout(guard);
      resolve({ killed: signal === 'SIGKILL', code, stdout, stderr });
    });
  });
}

/**
 * Runs one import killed up to KILLS times, while it has changes left to append (`total`: how many
 * the feed holds once it is done), checking the committed state after each kill; then to its end.
 * Returns the summary of the run that finished, and how many kills landed.
 */
async function killedThenFinished(args: string[], total: number): Promise<{ summary: any; kills: number }> {
  let kills = 0;
  let mid = 0;
  for (let k = 0; k < KILLS; k++) {
    const have = await changeCount();
    if (total - have < 2) break;
    // In the first half of what is left, so that the import is still running when the kill comes.
    const r = await runImport(args, have + rng.int(1, Math.ceil((total - have) / 2)));
    if (!r.killed) {
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      break;
    }
    kills++;
    expect({ kill: kills, problems: await consistencyProblemsOf(t, { complete: false }) }).toEqual({
      kill: kills,
      problems: [],
    });
    const now = await changeCount();
    if (now < total) mid++;
    log.push(`${args.join(' ') || 'first import'}: kill ${kills} at ${have} -> ${now} of ${total} changes`);
  }
  // Kills landed inside the import, with changes committed before them and left to append after.
  expect(mid).toBeGreaterThanOrEqual(1);
  const done = await runImport(args);
  expect({ code: done.code, stderr: done.stderr }).toEqual({ code: 0, stderr: '' });
  expect(await consistencyProblemsOf(t, { complete: true })).toEqual([]);
  return { summary: JSON.parse(done.stdout), kills };
}

/** Rewrites a file with a later mtime, so the next import reads it. */
function rewrite(file: string, content: string): void {
  fs.writeFileSync(file, content);
  const when = new Date(Date.now() + 60_000);
  fs.utimesSync(file, when, when);
}

const withPermalink = (content: string, url: string) => content.replace(/^---\n/, `---\npermalink: ${url}\n`);

test('kill -9 mid-import, then a rerun: the feed has every change its history implies, once, without gaps', async () => {
  // A first import: one ADDED per post.
  const first = await killedThenFinished([], POSTS);
  expect(first.summary).toMatchObject({ duplicates: [], failed: [] });
  expect(first.kills).toBeGreaterThanOrEqual(2);
  let feed = await readFeedOf(t);
  const expected = new Map<string, string[]>();
  const posts = await t.query<{ url: string; path: string }>('SELECT url, path FROM post ORDER BY path');
  expect(posts).toHaveLength(POSTS);
  for (const p of posts) expected.set(p.url, ['ADDED']);
  expect(kindsByUrl(feed)).toEqual(expected);
  expect(feed.head).toBe(POSTS);

  // A re-import of an edited archive, spread over the walk: bodies edited (UPDATED), files deleted
  // and pruned (REMOVED), permalinks moved (REMOVED, then ADDED at the new one), files added.
  const moved: [string, string][] = [];
  posts.forEach((p, i) => {
    const file = path.join(archive, p.path);
    const text = fs.readFileSync(file, 'utf8');
    if (i % 15 === 1) {
      rewrite(file, `${text}\n追加的一段。\n`);
      expected.get(p.url)!.push('UPDATED');
    } else if (i % 15 === 4) {
      fs.rmSync(file);
      expected.get(p.url)!.push('REMOVED');
    } else if (i % 15 === 7) {
      const url = `/moved/${i}.html`;
      rewrite(file, withPermalink(text, url));
      expected.get(p.url)!.push('REMOVED');
      expected.set(url, ['ADDED']);
      moved.push([p.url, url]);
    } else if (i % 30 === 10) {
      const copy = path.join(path.dirname(file), `${path.basename(p.path).slice(0, 11)}copy-${i}.md`);
      const url = `/copies/${i}.html`;
      rewrite(copy, withPermalink(text, url));
      expected.set(url, ['ADDED']);
    }
  });
  const phase2 = [...expected.values()].reduce((n, kinds) => n + kinds.length, 0) - POSTS;
  expect(phase2).toBe(20 + 20 + 2 * 20 + 10);
  const second = await killedThenFinished(['--prune'], POSTS + phase2);
  expect(second.summary).toMatchObject({ duplicates: [], failed: [] });
  expect(first.kills + second.kills).toBeGreaterThanOrEqual(4);

  feed = await readFeedOf(t);
  expect(kindsByUrl(feed)).toEqual(expected);
  expect(feed.head).toBe(POSTS + phase2);
  expect(feed.rows.map((r) => r.seq)).toEqual(Array.from({ length: POSTS + phase2 }, (_, i) => i + 1));
  // A moved post's removal comes before its new post.
  for (const [from, to] of moved) {
    const removed = feed.rows.find((r) => r.url === from && r.kind === 'REMOVED')!;
    const added = feed.rows.find((r) => r.url === to)!;
    expect(added.seq).toBeGreaterThan(removed.seq);
  }
  if (process.env.NEWSGRAPH_TEST_VERBOSE) console.log(log.join('\n'));
});
