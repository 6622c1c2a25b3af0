// Crash safety: the compiled importer (`node bin/newsgraph.js import`, parser worker threads and
// all) is killed with SIGKILL at seeded random points, at least 20 times. After every kill the
// database must pass `PRAGMA integrity_check` and the invariants of a committed state (every post
// has its source file and full-text row, every stored count equals its link rows, the change feed
// has no gap and replays to the stored posts); an uninterrupted import afterwards must end with
// exactly the rows a clean import of the same archive gives (canonical, id-free dump), and a feed
// of one ADDED per post.
//
// Budget: a full import of the 3,000-post archive takes W ≈ 5-15 s here (2 shared cores).
// Recovering from each kill separately would cost ~W per kill (20 × W > 3 minutes), so kills come
// in short series on one database: each run of a series resumes where the killed one stopped and
// is itself killed after a random share of the work that is left (4-6 kills per series); the
// series then ends with the uninterrupted import and the comparison, and the next series starts
// from a new database. Every kill is still followed by the integrity and invariant checks.
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { generateArchive } from '../../bench/gen/main';
import { Rng } from '../../bench/gen/rng';
import { importArchives } from '../../src/db/importer';
import { sqliteOnly, tempDatabase, tempDir } from '../helpers/db';
import {
  canonicalDump,
  canonicalDumpOf,
  consistencyProblems,
  consistencyProblemsOf,
  dumpDifference,
  kindsByUrl,
  readFeed,
  requireCompiledCli,
} from './db-state';

const POSTS = 3000;
const KILLS = 20;
const SEED = 0x5eed_c4a5;
/** Files per transaction: ~150 commits per import, so kills land between and inside many of them. */
const BATCH_SIZE = '20';

// 164-169 s alone on the 2-core machine while other jobs ran (2026-12-04); CI machines run up to
// 1.6x slower than that: room above it.
jest.setTimeout(600_000);

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const live = new Set<ChildProcess>();
afterAll(() => {
  for (const c of live) c.kill('SIGKILL');
  // ~400 MB of archive and databases per run.
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

let bin: string;
let archive: string;
let work: string;

beforeAll(async () => {
  bin = requireCompiledCli();
  work = tempDir('newsgraph-crash-');
  archive = path.join(work, 'archive');
  await generateArchive({ posts: POSTS, out: archive, seed: 3 });
});

/** Runs the CLI import; with `killAfterMs`, sends SIGKILL after that delay (if still running). */
function runImport(db: string, killAfterMs?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [bin, 'import', archive, '--db', db, '--json', '--no-progress'], {
      env: { ...process.env, NEWSGRAPH_BATCH_SIZE: BATCH_SIZE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const killer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    // A hung import is a failure, not a test timeout.
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`import did not finish within 60 s (stderr: ${stderr.slice(0, 500)})`));
    }, 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      live.delete(child);
      if (killer) clearTimeout(killer);
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Opens the database file (never creating it) for checks, and closes it again. */
function withDb<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function postCount(file: string): number {
  if (!fs.existsSync(file)) return 0;
  return withDb(file, (db) => {
    const hasPosts = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'post'`).get();
    return hasPosts ? (db.prepare('SELECT count(*) AS n FROM post').get() as { n: number }).n : 0;
  });
}

function checkCommittedState(file: string, complete: boolean): void {
  withDb(file, (db) => {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'post'`).get()) return; // killed before the migrations committed
    expect(consistencyProblems(db, { complete })).toEqual([]);
  });
}

// SIGKILLs of SQLite writers; on PostgreSQL a killed client's transaction is rolled back by the
// server, and the resume semantics are the describe block below, which runs on both.
sqliteOnly.it(
  `${KILLS} SIGKILLs at random points never corrupt the database, and the next full import gives the clean result`,
  async () => {
    const cleanDb = path.join(work, 'clean.db');
    const clean = await runImport(cleanDb);
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    const cleanSummary = JSON.parse(clean.stdout);
    expect(cleanSummary).toMatchObject({ new: POSTS, updated: 0, failed: [], skipped: [], duplicates: [] });
    const expected = withDb(cleanDb, (db) => {
      expect(consistencyProblems(db, { complete: true })).toEqual([]);
      return canonicalDump(db);
    });
    expect(expected.post).toHaveLength(POSTS);
    expect(expected.post_stock.length).toBeGreaterThan(POSTS);
    const fullMs = clean.ms;

    const rng = new Rng(SEED);
    const log: string[] = [];
    let kills = 0;
    let finishedBeforeKill = 0;
    for (let series = 1; kills < KILLS; series++) {
      const db = path.join(work, `crash-${series}.db`);
      const planned = Math.min(rng.int(4, 6), KILLS - kills);
      for (let k = 0; k < planned; k++) {
        const before = postCount(db);
        // Spread over the work left: from process start (loading, migrations) to near the last batch
        // (not quite to the end: this machine's speed varies, and a run that finishes first is wasted).
        const left = Math.max(1 - before / POSTS, 0.05);
        const delay = Math.round(rng.next() * 0.9 * fullMs * left);
        const r = await runImport(db, delay);
        if (r.signal !== 'SIGKILL') {
          // The import finished before the kill: nothing left to interrupt in this series.
          expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
          finishedBeforeKill++;
          log.push(`series ${series}: finished before the kill at ${delay} ms`);
          break;
        }
        kills++;
        const exists = fs.existsSync(db);
        if (exists) checkCommittedState(db, false);
        log.push(
          `series ${series} kill ${kills}: at ${delay} ms, posts ${before} -> ${exists ? postCount(db) : 'no database yet'}`,
        );
      }
      const resumed = await runImport(db);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      const s = JSON.parse(resumed.stdout);
      expect(s.new + s.updated + s.unchanged).toBe(POSTS);
      expect({ failed: s.failed, skipped: s.skipped, duplicates: s.duplicates }).toEqual({
        failed: [],
        skipped: [],
        duplicates: [],
      });
      checkCommittedState(db, true);
      const diff = withDb(db, (h) => dumpDifference(canonicalDump(h), expected));
      expect({ series, diff }).toEqual({ series, diff: null });
      // The change feed (every committed state above replays to its posts): one ADDED per post,
      // numbered 1..POSTS, whatever the kills: no change lost, none twice.
      const feed = withDb(db, readFeed);
      expect({
        series,
        head: feed.head,
        changes: feed.rows.length,
        urls: kindsByUrl(feed).size,
        kinds: [...new Set(feed.rows.map((r) => r.kind))],
      }).toEqual({ series, head: POSTS, changes: POSTS, urls: POSTS, kinds: ['ADDED'] });
      log.push(
        `series ${series}: resumed import ${resumed.ms} ms (new ${s.new}, unchanged ${s.unchanged}), same rows as the clean import`,
      );
    }
    // The kills must have landed across the import, not all at its start or after its end.
    const landed = log.filter((l) => / kill \d+: /.test(l)).map((l) => /posts (\d+) -> (\d+|no database yet)/.exec(l)!);
    const mid = landed.filter((m) => m[2] !== 'no database yet' && Number(m[2]) > 0 && Number(m[2]) < POSTS).length;
    expect(kills).toBe(KILLS);
    expect(mid).toBeGreaterThanOrEqual(KILLS / 2);
    expect(finishedBeforeKill).toBeLessThan(KILLS);
    if (process.env.NEWSGRAPH_TEST_VERBOSE) console.log(`clean import ${fullMs} ms\n${log.join('\n')}`);
  },
);

// Deterministic crashes in process: `onProgress` (called every 200 files) throws, which stops the
// import exactly there, after the batches committed so far and before anything the import does at
// its end. The next import must still end with the rows of a clean import.
describe('an import that dies half-way, then a full one', () => {
  class Crash extends Error {}
  const crashAt = (files: number) => (p: { files: number }) => {
    if (p.files >= files) throw new Crash(`simulated crash at ${p.files} files`);
  };

  async function cleanDump(root: string) {
    const t = await tempDatabase();
    try {
      await importArchives(t.writeStore, [root]);
      // Awaited here: `finally` must not close the database while the dump still reads it.
      return await canonicalDumpOf(t);
    } finally {
      await t.close();
    }
  }

  test('after _config.yml changed: the files not yet re-read are re-read by the next import', async () => {
    const root = path.join(tempDir('newsgraph-crash-config-'), 'archive');
    await generateArchive({ posts: 400, out: root, seed: 8 });
    const t = await tempDatabase();
    try {
      await importArchives(t.writeStore, [root]);
      // Another time zone moves the dates written without an offset, and the permalinks with them.
      const config = path.join(root, '_config.yml');
      fs.writeFileSync(
        config,
        fs.readFileSync(config, 'utf8').replace('timezone: Asia/Shanghai', 'timezone: America/New_York'),
      );
      await expect(importArchives(t.writeStore, [root], { batchSize: 20, onProgress: crashAt(200) })).rejects.toThrow(
        Crash,
      );
      const resumed = await importArchives(t.writeStore, [root]);
      expect(resumed.new + resumed.updated + resumed.unchanged).toBe(400);
      expect(await consistencyProblemsOf(t, { complete: true })).toEqual([]);
      expect(dumpDifference(await canonicalDumpOf(t), await cleanDump(root))).toBeNull();
    } finally {
      await t.close();
    }
  });

  test('after a post lost its file: its duplicate still takes over the permalink', async () => {
    const root = path.join(tempDir('newsgraph-crash-orphan-'), 'archive');
    const post = (title: string, date = '2022-01-01 10:00:00 +0800') =>
      `---\ntitle: "${title}"\ndate: ${date}\ncategories: news\n---\nbody of ${title}\n`;
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    fs.mkdirSync(path.join(root, 'old_post'));
    fs.writeFileSync(path.join(root, '_posts', '2022-01-01-a.md'), post('a in _posts'));
    fs.writeFileSync(path.join(root, 'old_post', '2022-01-01-a.md'), post('a in old_post'));
    // Enough files after it for the crash to come after its batch committed.
    for (let i = 0; i < 250; i++)
      fs.writeFileSync(
        path.join(root, '_posts', `2022-01-02-z${String(i).padStart(3, '0')}.md`),
        post(`z${i}`, '2022-01-02 10:00:00 +0800'),
      );
    const t = await tempDatabase();
    try {
      const first = await importArchives(t.writeStore, [root]);
      expect(first.duplicates.map((d) => d.path)).toEqual(['old_post/2022-01-01-a.md']);
      // The _posts file breaks: its post goes, and the old_post twin should take the permalink over.
      fs.writeFileSync(path.join(root, '_posts', '2022-01-01-a.md'), '---\ntitle: [unclosed\n---\nbody\n');
      await expect(importArchives(t.writeStore, [root], { batchSize: 1, onProgress: crashAt(200) })).rejects.toThrow(
        Crash,
      );
      await importArchives(t.writeStore, [root]);
      const owner = await t.query(`SELECT p.path, p.title FROM post p WHERE p.url = '/news/2022/01/01/a.html'`);
      expect(owner[0]).toEqual({ path: 'old_post/2022-01-01-a.md', title: 'a in old_post' });
      expect(await consistencyProblemsOf(t, { complete: true })).toEqual([]);
      expect(dumpDifference(await canonicalDumpOf(t), await cleanDump(root))).toBeNull();
    } finally {
      await t.close();
    }
  });
});
