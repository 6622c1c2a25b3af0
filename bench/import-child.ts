/**
 * One measured import (or parse floor) in its own process, so peak RSS is that work's own.
 *
 *   node dist/bench/import-child.js import --archive DIR --db FILE|POSTGRES-URL
 *   node dist/bench/import-child.js parse --archive DIR
 *
 * Prints one JSON line on stdout. `import` is the product's importArchives into FILE (created and
 * migrated if missing; an existing FILE makes it a re-import). `parse` is the floor: the same walk,
 * read, sha256 and parseFile (front matter, render, extraction, search tokens) with no database.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isPostgresUrl, openDatabase } from '../src/db/data-source';
import { importArchives } from '../src/db/importer';
import { holdYoungGeneration, useImportHeapSettings } from '../src/ingest/import-heap';
import { writeStoreOf } from '../src/db/store';
import { readSiteConfig } from '../src/ingest/jekyll';
import { parseFile } from '../src/ingest/parse-file';
import { walkArchive } from '../src/ingest/walk';
import { WalksAhead } from '../src/ingest/walk-ahead';

export interface ImportChildResult {
  mode: 'import' | 'parse';
  /** Posts written (import) or parsed as posts (parse). */
  posts: number;
  unchanged: number;
  failed: number;
  files: number;
  /** The work itself, without process start and migrations. */
  elapsedMs: number;
  /** Process start to the end of the work (includes opening/migrating the database). */
  wallMs: number;
  maxRssBytes: number;
  /** CPU (user + system) of the whole child process: unaffected by other load on the machine. */
  cpuMs: number;
  dbBytes?: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function usage(): { maxRssBytes: number; cpuMs: number } {
  const u = process.resourceUsage();
  return { maxRssBytes: u.maxRSS * 1024, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 };
}

const fileSize = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);

async function runImport(archive: string, dbFile: string): Promise<ImportChildResult> {
  // As `newsgraph import` does: the walk starts first, and the heap settings.
  useImportHeapSettings();
  const walks = new WalksAhead([archive]);
  holdYoungGeneration();
  const ds = await openDatabase(dbFile);
  const sum = await importArchives(writeStoreOf(ds), [archive], { walk: walks.walk });
  walks.close();
  const wallMs = performance.now();
  // On PostgreSQL: the tables and indexes of the import's schema.
  const pgBytes = isPostgresUrl(dbFile)
    ? Number(
        (
          await ds.query(`SELECT sum(pg_total_relation_size(c.oid)) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                               WHERE n.nspname = current_schema() AND c.relkind = 'r'`)
        )[0].n,
      )
    : 0;
  await ds.destroy();
  return {
    mode: 'import',
    posts: sum.new + sum.updated,
    unchanged: sum.unchanged,
    failed: sum.failed.length,
    files: sum.files,
    elapsedMs: sum.elapsedMs,
    wallMs,
    ...usage(),
    dbBytes: isPostgresUrl(dbFile) ? pgBytes : fileSize(dbFile) + fileSize(`${dbFile}-wal`),
  };
}

async function runParse(archive: string): Promise<ImportChildResult> {
  const started = performance.now();
  const root = path.resolve(archive);
  let config: string | null = null;
  try {
    config = fs.readFileSync(path.join(root, '_config.yml'), 'utf8');
  } catch {
    /* no config: defaults */
  }
  const site = readSiteConfig(config);
  let posts = 0;
  let failed = 0;
  let files = 0;
  for await (const f of walkArchive(root)) {
    files++;
    const bytes = fs.readFileSync(f.abs);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const out = parseFile(f.rel, bytes, hash, site, Date.now());
    if (out.kind === 'post') posts++;
    else if (out.kind === 'failed') failed++;
  }
  const wallMs = performance.now();
  return { mode: 'parse', posts, unchanged: 0, failed, files, elapsedMs: wallMs - started, wallMs, ...usage() };
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const archive = arg('--archive');
  if (!archive) throw new Error('--archive DIR is required');
  let result: ImportChildResult;
  if (mode === 'import') {
    const db = arg('--db');
    if (!db) throw new Error('--db FILE is required');
    result = await runImport(archive, db);
  } else if (mode === 'parse') {
    result = await runParse(archive);
  } else {
    throw new Error(`mode must be import or parse (got ${mode})`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`import-child: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
