import Database from 'better-sqlite3';
import { inList, numberPlaceholders, sqliteRunnerFactory } from '../../src/db/sql-runner';

describe('numberPlaceholders: the read queries are written with ? for both databases', () => {
  test('numbers ? in order', () => {
    expect(numberPlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?) LIMIT ?')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3) LIMIT $4',
    );
  });

  test('leaves ? inside quoted literals and identifiers alone', () => {
    expect(numberPlaceholders(`SELECT '?' AS "a?", x FROM t WHERE y = ? AND z = 'it''s ?'`)).toBe(
      `SELECT '?' AS "a?", x FROM t WHERE y = $1 AND z = 'it''s ?'`,
    );
  });

  test('no placeholders, no change', () => {
    expect(numberPlaceholders('SELECT 1')).toBe('SELECT 1');
  });
});

describe('inList: IN lists in a few lengths, so prepared statements are reused', () => {
  test('rounds the length up to a power of two with NULLs, which match nothing', () => {
    expect(inList([7])).toEqual({ sql: '(?)', params: [7] });
    expect(inList([1, 2, 3])).toEqual({ sql: '(?, ?, ?, ?)', params: [1, 2, 3, null] });
    expect(inList([1, 2, 3, 4, 5]).sql).toBe(inList([1, 2, 3, 4, 5, 6, 7, 8]).sql);
    expect(inList(Array.from({ length: 1000 }, (_, i) => i)).params).toHaveLength(1024);
  });

  test('a padded list finds exactly its values, never the rows holding NULL', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
      INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e'), (6, NULL)`);
    const ids = inList([5, 3, 1]);
    expect(db.prepare(`SELECT id FROM t WHERE id IN ${ids.sql} ORDER BY id`).all(...ids.params)).toEqual([
      { id: 1 },
      { id: 3 },
      { id: 5 },
    ]);
    const values = inList(['b', 'e', 'c']);
    expect(values.params).toContain(null);
    expect(db.prepare(`SELECT id FROM t WHERE v IN ${values.sql} ORDER BY id`).all(...values.params)).toEqual([
      { id: 2 },
      { id: 3 },
      { id: 5 },
    ]);
    db.close();
  });
});

describe("SQLite runner: rows built from better-sqlite3's arrays", () => {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB, big INTEGER);
    INSERT INTO t VALUES (1, '联通', x'00ff', 9007199254740991), (2, NULL, NULL, -1)`);
  const run = () => sqliteRunnerFactory(db)();

  test('the same rows as better-sqlite3 makes itself: aliases, NULLs, blobs, large integers, order', async () => {
    const sql = 'SELECT id, name AS "theName", data, big, id * 2 AS twice FROM t ORDER BY id DESC';
    expect(await run().all(sql)).toEqual(db.prepare(sql).all());
    expect(await run().all('SELECT id FROM t WHERE id > ?', [5])).toEqual([]);
  });

  test('a column named twice: the later one wins, as in better-sqlite3', async () => {
    const sql = 'SELECT 1 AS x, 2 AS x';
    expect(await run().all(sql)).toEqual([{ x: 2 }]);
    expect(await run().all(sql)).toEqual(db.prepare(sql).all());
  });

  test('each row is its own object (a statement reused across requests shares nothing)', async () => {
    const r = run();
    const a = await r.all<{ id: number }>('SELECT id FROM t ORDER BY id');
    a[0].id = 99;
    expect(await r.all('SELECT id FROM t ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(r.statements).toBe(2);
  });

  test('a statement that returns no rows is refused, naming it', () => {
    expect(() => run().all('DELETE FROM t WHERE id = 3')).toThrow(/a read statement returns rows.*DELETE FROM t/);
  });
});

describe('numbers: a column of ids without an object a row', () => {
  test('the first column of each row, in order, as numbers, counted as a statement', async () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, big INTEGER, v TEXT);
      INSERT INTO t VALUES (3, 9007199254740991, 'c'), (1, -5, 'a'), (2, 0, NULL)`);
    const run = sqliteRunnerFactory(db)();
    expect(await run.numbers('SELECT id, v FROM t ORDER BY id DESC')).toEqual([3, 2, 1]);
    expect(await run.numbers('SELECT big FROM t WHERE id >= ? ORDER BY id', [2])).toEqual([0, 9007199254740991]);
    expect(await run.numbers('SELECT id FROM t WHERE id > 10')).toEqual([]);
    // The same SQL as a row read: each keeps its own prepared statement.
    expect(await run.all('SELECT id, v FROM t ORDER BY id DESC')).toEqual([
      { id: 3, v: 'c' },
      { id: 2, v: null },
      { id: 1, v: 'a' },
    ]);
    expect(run.statements).toBe(4);
  });
});
