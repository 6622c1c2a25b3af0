/**
 * Generated archives and imported databases kept between runs, keyed by posts and seed:
 *   <cache>/archive-<posts>-s<seed>/   (complete once it holds .bench-complete)
 *   <cache>/db-<posts>-s<seed>.db      (complete once it exists: imports write to a .new file first)
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateArchive } from './gen/main';
import { runJsonChild } from './children';
import type { ImportChildResult } from './import-child';

const MARKER = '.bench-complete';

export const archiveDir = (cache: string, posts: number, seed: number) =>
  path.resolve(cache, `archive-${posts}-s${seed}`);
export const dbFile = (cache: string, posts: number, seed: number) => path.resolve(cache, `db-${posts}-s${seed}.db`);

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

export async function ensureArchive(cache: string, posts: number, seed: number): Promise<string> {
  const dir = archiveDir(cache, posts, seed);
  if (fs.existsSync(path.join(dir, MARKER))) return dir;
  log(`generating ${posts} posts (seed ${seed}) into ${path.relative(process.cwd(), dir)} …`);
  const started = Date.now();
  fs.mkdirSync(dir, { recursive: true });
  const r = await generateArchive({ posts, out: dir, seed, force: true });
  fs.writeFileSync(path.join(dir, MARKER), `${JSON.stringify({ posts, seed, bytes: r.bytes })}\n`);
  log(`generated ${(r.bytes / 1048576).toFixed(0)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}

function removeDb(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}

/** A fresh import of the archive in a child process, which then becomes the cached database. */
export async function freshImport(
  cache: string,
  posts: number,
  seed: number,
  nodeArgs: string[] = [],
): Promise<ImportChildResult> {
  const archive = await ensureArchive(cache, posts, seed);
  const target = dbFile(cache, posts, seed);
  const tmp = `${target}.new`;
  removeDb(tmp);
  log(`importing ${posts} posts into a fresh database (child process) …`);
  const r = await runJsonChild<ImportChildResult>('import-child', ['import', '--archive', archive, '--db', tmp], {
    nodeArgs,
  });
  removeDb(target);
  fs.renameSync(tmp, target);
  log(
    `imported ${r.posts} posts in ${(r.elapsedMs / 1000).toFixed(1)} s (${Math.round(r.posts / (r.elapsedMs / 1000))} posts/s)`,
  );
  return r;
}

/** The cached database of this size, importing it first when missing. */
export async function ensureDatabase(cache: string, posts: number, seed: number): Promise<string> {
  const file = dbFile(cache, posts, seed);
  if (!fs.existsSync(file)) await freshImport(cache, posts, seed);
  return file;
}

/**
 * Reads the database file once, so the operating system's page cache holds it before a
 * measurement: the growth series compares the data path at each size in its steady state. Cold,
 * a 1M database (13 GB) is read from disk by the first minutes of a long tail, and the first
 * 1M run (2026-12-04) measured the disk: front page p50 2.7x the 10k one. Returns the seconds.
 */
export function warmPageCache(file: string): number {
  const started = Date.now();
  const buf = Buffer.allocUnsafe(8 << 20);
  for (const f of [file, `${file}-wal`]) {
    if (!fs.existsSync(f)) continue;
    const fd = fs.openSync(f, 'r');
    try {
      while (fs.readSync(fd, buf, 0, buf.length, null) > 0);
    } finally {
      fs.closeSync(fd);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  log(
    `read ${path.basename(file)} once (${(dbSize(file) / 1073741824).toFixed(1)} GiB in ${seconds.toFixed(1)} s): page cache warm`,
  );
  return seconds;
}

const dbSize = (file: string) => fs.statSync(file).size;
