import Database from 'better-sqlite3';
import { byteCompare, FILE_PAGE, FIRST_PAGE, SourceFilePages } from '../../src/db/writes/source-file-pages';

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
    const limits: number[] = [];
    const fetch = (archiveId: number, from: string, limit: number) => {
      calls.push(from);
      limits.push(limit);
      return archiveId === 1 ? rows.filter((r) => byteCompare(r.path, from) >= 0).slice(0, limit) : [];
    };
    return { calls, limits, fetch };
  };

  test('every file of the archive is found; pages double while the walk goes through them', () => {
    const { limits, fetch } = fetcher();
    const pages = new SourceFilePages(fetch);
    for (const r of rows) expect(pages.file(1, r.path)).toMatchObject({ id: r.id, fileHash: r.fileHash });
    // 32, 64, ..., 1024 (2,016 rows), then pages of FILE_PAGE.
    expect(limits).toEqual([32, 64, 128, 256, 512, 1024, FILE_PAGE]);
  });

  test("lookups far apart (a watcher's changed paths) fetch small pages", () => {
    const { limits, fetch } = fetcher();
    const pages = new SourceFilePages(fetch);
    // The whole walk first: pages as large as they go.
    for (const r of rows) expect(pages.file(1, r.path)).toBeDefined();
    limits.length = 0;
    const scattered = rows.filter((_, i) => i % 100 === 7);
    for (const r of scattered) expect(pages.file(1, r.path)).toMatchObject({ id: r.id });
    // Halved while each page answers few lookups.
    expect(limits).toEqual([FILE_PAGE, 1000, 500, 250, 125, 62]);
    // The next batch (a write drops the page): the size it ended at, then FIRST_PAGE rows a lookup.
    pages.drop();
    limits.length = 0;
    for (const r of scattered) expect(pages.file(1, r.path)).toMatchObject({ id: r.id });
    expect(limits).toEqual([62, ...scattered.slice(1).map(() => FIRST_PAGE)]);
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
