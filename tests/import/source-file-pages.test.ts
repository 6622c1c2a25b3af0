import Database from 'better-sqlite3';
import { byteCompare, FILE_PAGE, SourceFilePages } from '../../src/db/writes/source-file-pages';

describe('byteCompare: the order SQLite and PostgreSQL (COLLATE "C") keep paths in', () => {
  // ASCII, CJK, a character at U+FFxx and ones past U+FFFF (surrogate pairs in JS).
  const names = ['a', 'Z', '_posts/2021', '财经', '财', '\uff01', '\u{1F600}', '\u{20000}x', 'a\u{1F600}', 'a\uffff'];

  test('agrees with SQLite on every pair, surrogate pairs included', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (p TEXT PRIMARY KEY)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    for (const n of names) insert.run(n);
    const sqlite = (db.prepare('SELECT p FROM t ORDER BY p').all() as { p: string }[]).map((r) => r.p);
    expect([...names].sort(byteCompare)).toEqual(sqlite);
    // JS's own order differs exactly there: U+FFxx after a surrogate pair's first unit.
    expect([...names].sort()).not.toEqual(sqlite);
    db.close();
  });
});

describe('SourceFilePages: a walk in path order reads its files a page at a time', () => {
  const rows = Array.from({ length: FILE_PAGE * 2 + 10 }, (_, i) => ({
    id: i + 1,
    path: `_posts/${String(i).padStart(6, '0')}.md`,
    size: i,
    mtimeMs: i,
    fileHash: `h${i}`,
    status: 'post',
    reason: null,
    url: `/p/${i}`,
    publishAtMs: null,
  }));
  const fetcher = () => {
    const calls: string[] = [];
    const fetch = (archiveId: number, from: string, limit: number) => {
      calls.push(from);
      return archiveId === 1 ? rows.filter((r) => byteCompare(r.path, from) >= 0).slice(0, limit) : [];
    };
    return { calls, fetch };
  };

  test('every file of the archive is found, with three fetches for two pages and a bit', () => {
    const { calls, fetch } = fetcher();
    const pages = new SourceFilePages(fetch);
    for (const r of rows) expect(pages.file(1, r.path)).toMatchObject({ id: r.id, fileHash: r.fileHash });
    expect(calls).toHaveLength(3);
  });

  test('a file the last import did not see is undefined, and costs no fetch inside a page', () => {
    const { calls, fetch } = fetcher();
    const pages = new SourceFilePages(fetch);
    expect(pages.file(1, rows[0].path)).toBeDefined();
    expect(pages.file(1, '_posts/000005-new.md')).toBeUndefined();
    expect(calls).toHaveLength(1);
    // Past the last page: nothing there, whatever is asked.
    expect(pages.file(1, '_posts/zzz.md')).toBeUndefined();
  });

  test('another archive, or a write (drop), fetches again', () => {
    const { calls, fetch } = fetcher();
    const pages = new SourceFilePages(fetch);
    expect(pages.file(1, rows[0].path)).toBeDefined();
    expect(pages.file(2, rows[1].path)).toBeUndefined();
    pages.drop();
    expect(pages.file(2, rows[1].path)).toBeUndefined();
    expect(calls).toHaveLength(3);
  });

  test('an asynchronous fetch (PostgreSQL) answers the same', async () => {
    const { fetch } = fetcher();
    const pages = new SourceFilePages(async (a, f, l) => fetch(a, f, l));
    expect(await pages.file(1, rows[7].path)).toMatchObject({ id: 8 });
    expect(await pages.file(1, rows[8].path)).toMatchObject({ id: 9 });
  });
});
