import Database from 'better-sqlite3';
import { inList, numberPlaceholders } from '../../src/db/sql-runner';

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
