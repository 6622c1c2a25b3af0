import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, SQLITE_PAGE_SIZE } from '../../src/db/data-source';
import { importArchives } from '../../src/db/importer';
import { nativeSqlite } from '../../src/db/native';
import { writeStoreOf } from '../../src/db/store';
import { SEED, sqliteOnly, tempDir } from '../helpers/db';

const BIN = path.join(__dirname, '..', '..', 'bin', 'newsgraph.js');

const pragma = (db: Database.Database, name: string) => db.pragma(name, { simple: true });

/** What a file holds: its pages, and the answers the posts, links and search index give. */
function contents(db: Database.Database) {
  return {
    pageSize: pragma(db, 'page_size'),
    journal: pragma(db, 'journal_mode'),
    integrity: pragma(db, 'integrity_check'),
    posts: db.prepare('SELECT id, url, title, html, text FROM post ORDER BY id').all(),
    links: db.prepare('SELECT post_id, stock_id FROM post_stock ORDER BY post_id, stock_id').all(),
    hits: db.prepare(`SELECT rowid FROM post_fts WHERE post_fts MATCH '"港交"' ORDER BY rowid`).pluck().all(),
  };
}

/** A file as an earlier build made it: SQLite's default 4 KB pages, in WAL mode. */
function olderFile(file: string): string {
  const made = new Database(file);
  made.pragma('page_size = 4096');
  made.pragma('journal_mode = WAL');
  made.exec('CREATE TABLE scratch (x); DROP TABLE scratch;');
  made.close();
  return file;
}

/** Imports the sample into `file`; the data source stays open. */
async function importSample(file: string) {
  const ds = await openDatabase(file);
  const summary = await importArchives(writeStoreOf(ds), [SEED]);
  expect(summary.failed).toEqual([]);
  expect(summary.new).toBeGreaterThan(100);
  return { ds, db: nativeSqlite(ds) };
}

sqliteOnly.describe('SQLite page size', () => {
  const answers = ({ posts, links, hits }: ReturnType<typeof contents>) => ({ posts, links, hits });

  test('a new database file gets 8 KB pages in WAL mode; one made before keeps its 4 KB pages and imports the same', async () => {
    expect(SQLITE_PAGE_SIZE).toBe(8192);
    const dir = tempDir();
    const fresh = await importSample(path.join(dir, 'fresh.db'));
    const made = contents(fresh.db);
    await fresh.ds.destroy();
    expect(made).toMatchObject({ pageSize: 8192, journal: 'wal', integrity: 'ok' });
    expect(made.hits.length).toBeGreaterThan(0);
    expect(made.links.length).toBeGreaterThan(20);

    const older = await importSample(olderFile(path.join(dir, 'older.db')));
    const kept = contents(older.db);
    await older.ds.destroy();
    expect(kept).toMatchObject({ pageSize: 4096, journal: 'wal', integrity: 'ok' });
    expect(answers(kept)).toEqual(answers(made));
  });

  test('compact moves a 4 KB file to 8 KB pages, not while another process has it open, and every answer stays', async () => {
    const file = olderFile(path.join(tempDir(), 'older.db'));
    const open = await importSample(file);
    const before = contents(open.db);
    const compact = () => execFileSync('node', [BIN, 'compact', '--db', file, '--no-progress'], { encoding: 'utf8' });

    // A server reading the file: leaving WAL would need it alone, so the pages stay (and it says why).
    expect(compact()).toMatch(
      /database [\d.]+ MiB -> [\d.]+ MiB; its 4 KB pages stay: another process has it open \(run compact again without it for 8 KB pages\)\n$/,
    );
    expect(contents(open.db)).toEqual(before);
    await open.ds.destroy();

    expect(compact()).toMatch(/database [\d.]+ MiB -> [\d.]+ MiB, pages 4 KB -> 8 KB\n$/);
    const db = new Database(file, { readonly: true });
    try {
      const after = contents(db);
      expect(after).toMatchObject({ pageSize: 8192, journal: 'wal', integrity: 'ok' });
      expect(answers(after)).toEqual(answers(before));
    } finally {
      db.close();
    }
    // Once moved, nothing more to say about pages.
    expect(compact()).toMatch(/database [\d.]+ MiB -> [\d.]+ MiB\n$/);
  });
});
