import Database from 'better-sqlite3';
import { statementTable, timeStatements } from '../../bench/statement-times';

test('every run, get, all, exec and transaction commit is counted under its SQL', () => {
  const report = timeStatements();
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO t (v)\n   VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 5; i++) insert.run(`v${i}`);
  })();
  expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 5 });
  expect(db.prepare('SELECT v FROM t ORDER BY id').all()).toHaveLength(5);
  // A statement that throws is still timed.
  expect(() => insert.run(null, 1)).toThrow();
  db.close();

  const rows = report();
  const calls = new Map(rows.map((r) => [r.sql, r.calls]));
  expect(calls.get('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)')).toBe(1);
  expect(calls.get('INSERT INTO t (v) VALUES (?)')).toBe(6);
  expect(calls.get('COMMIT')).toBe(1);
  expect(calls.get('SELECT count(*) AS n FROM t')).toBe(1);
  expect(calls.get('SELECT v FROM t ORDER BY id')).toBe(1);
  for (const r of rows) expect(r.ms).toBeGreaterThanOrEqual(0);
  expect(rows.map((r) => r.ms)).toEqual([...rows.map((r) => r.ms)].sort((a, b) => b - a));
});

test('the table gives each statement per post written, slowest first, and the total', () => {
  const table = statementTable(
    [
      { sql: 'INSERT INTO post_fts (rowid, title, body) VALUES (?, ?, ?)', calls: 2000, ms: 300 },
      { sql: 'COMMIT', calls: 4, ms: 100 },
    ],
    2000,
  );
  const lines = table.split('\n');
  expect(lines[0]).toBe(' statements: 400 ms in all, 200 us a post written');
  expect(lines[1]).toMatch(/^\s+300 ms\s+2000 calls\s+150\.0 us\/post {2}INSERT INTO post_fts/);
  expect(lines[2]).toMatch(/^\s+100 ms\s+4 calls\s+50\.0 us\/post {2}COMMIT$/);
});
