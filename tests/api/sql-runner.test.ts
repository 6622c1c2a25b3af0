import { numberPlaceholders } from '../../src/db/sql-runner';

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
