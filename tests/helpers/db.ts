import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { nativeSqlite } from '../../src/db/native';

export const SEED = path.join(__dirname, '..', '..', 'seeds', 'finews');

export function tempDir(prefix = 'newsgraph-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A migrated SQLite database in a fresh temp folder. */
export async function tempDatabase(): Promise<{ ds: DataSource; db: Database; file: string; close: () => Promise<void> }> {
  const dir = tempDir('newsgraph-db-');
  const file = path.join(dir, 'test.db');
  const ds = await openDatabase(file);
  return { ds, db: nativeSqlite(ds), file, close: () => ds.destroy() };
}

/** Copies a folder tree (the seed archive) so a test may change it. */
export function copyTree(from: string, to: string): string {
  fs.cpSync(from, to, { recursive: true });
  for (const f of walk(to)) fs.chmodSync(f, 0o644);
  return to;
}

function* walk(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      fs.chmodSync(p, 0o755);
      yield* walk(p);
    } else yield p;
  }
}
