import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { copyTree, SEED, tempDir } from '../helpers/db';

// Runs the compiled command (`npm test` builds first), so this covers the parser worker threads too.
const BIN = path.join(__dirname, '..', '..', 'bin', 'newsgraph.js');

test('newsgraph import --json: the summary object, then an idempotent re-import', () => {
  const db = path.join(tempDir(), 'cli.db');
  const first = JSON.parse(execFileSync('node', [BIN, 'import', SEED, '--db', db, '--json'], { encoding: 'utf8' }));
  expect(first).toMatchObject({ new: 104, updated: 0, unchanged: 0 });
  expect(first.skipped).toEqual([{ path: '_posts/-202205262391921712.md', reason: expect.any(String) }]);
  expect(first.duplicates).toEqual([
    { path: 'old_post/2021-12-08-202112082206672930.md', reason: expect.stringContaining('_posts/') },
  ]);
  expect(first.failed).toEqual([]);
  const again = JSON.parse(execFileSync('node', [BIN, 'import', SEED, '--db', db, '--json'], { encoding: 'utf8' }));
  expect(again).toMatchObject({ new: 0, updated: 0, unchanged: 104 });
});

test('DATABASE_URL is used when --db is absent; the human summary names skipped files', () => {
  const db = path.join(tempDir(), 'env.db');
  const out = execFileSync('node', [BIN, 'import', SEED, '--no-progress'], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: db },
  });
  expect(out).toMatch(/new 104/);
  expect(out).toMatch(/_posts\/-202205262391921712\.md: file name does not start with a date/);
  expect(fs.existsSync(db)).toBe(true);
});

test('a post dated in the future: the summary says how many wait and when the next is due, in JSON and in text', () => {
  const archive = copyTree(SEED, path.join(tempDir(), 'finews'));
  const text = fs
    .readFileSync(path.join(SEED, 'old_post/2021-12-08-202112082206703990.md'), 'utf8')
    .replace(/^date: .*$/m, 'date: "2099-01-02 08:00:00"');
  fs.writeFileSync(path.join(archive, 'old_post/2099-01-02-later.md'), text);
  const db = path.join(tempDir(), 'scheduled.db');
  const json = JSON.parse(execFileSync('node', [BIN, 'import', archive, '--db', db, '--json'], { encoding: 'utf8' }));
  // Local to the sample's zone (Asia/Shanghai): midnight UTC.
  expect(json).toMatchObject({ new: 104, scheduled: 1, nextScheduledMs: Date.parse('2099-01-02T00:00:00Z') });
  const out = execFileSync('node', [BIN, 'import', archive, '--db', db, '--no-progress'], { encoding: 'utf8' });
  expect(out).toContain(
    'scheduled 1 (dated in the future: published at their time, the next at 2099-01-02T00:00:00.000Z)',
  );
});

test('a missing archive is an error naming it, with a non-zero exit', () => {
  const r = spawnSync('node', [BIN, 'import', '/no/such/archive', '--db', path.join(tempDir(), 'x.db')], {
    encoding: 'utf8',
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('/no/such/archive: no such folder');
});

test('a bad --port is refused with the reason', () => {
  const r = spawnSync('node', [BIN, 'serve', '--port', 'abc'], { encoding: 'utf8' });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/'abc' is not a port number/);
});

test('newsgraph reindex rebuilds a damaged read model from the stored posts', () => {
  const db = path.join(tempDir(), 'reindex.db');
  execFileSync('node', [BIN, 'import', SEED, '--db', db, '--json']);
  const read = () => {
    const conn = new Database(db, { readonly: true });
    try {
      return {
        pairs: conn.prepare('SELECT stock_id, other_id, together FROM stock_pair ORDER BY 1, 2').all(),
        days: conn.prepare('SELECT kind, entity_id, day, posts FROM coverage_day ORDER BY 1, 2, 3').all(),
      };
    } finally {
      conn.close();
    }
  };
  const built = read();
  expect(built.pairs.length).toBeGreaterThan(0);
  const conn = new Database(db);
  conn.exec('DELETE FROM stock_pair; UPDATE coverage_day SET posts = posts + 5');
  conn.close();
  expect(read()).not.toEqual(built);
  const out = execFileSync('node', [BIN, 'reindex', '--db', db, '--no-progress'], { encoding: 'utf8' });
  expect(out).toMatch(/^Rebuilt the read model in \d+\.\d\d s$/m);
  expect(read()).toEqual(built);
});

test('import --duty-cycle: the same posts, in transactions with rests between them; a bad fraction is a usage error', () => {
  const db = path.join(tempDir(), 'duty.db');
  const ok = JSON.parse(
    execFileSync('node', [BIN, 'import', SEED, '--db', db, '--json', '--duty-cycle', '0.5'], {
      encoding: 'utf8',
      env: { ...process.env, NEWSGRAPH_BATCH_SIZE: '25' },
    }),
  );
  expect(ok).toMatchObject({ new: 104, failed: [] });
  expect(new Database(db, { readonly: true }).prepare('SELECT count(*) AS n FROM post').get()).toEqual({ n: 104 });
  for (const bad of ['0', '1.5', 'half', '-0.5']) {
    const r = spawnSync('node', [BIN, 'import', SEED, '--db', db, '--duty-cycle', bad], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`'${bad}' is not a fraction above 0 and at most 1`);
  }
});

test('import --nice: a whole number from 0 to 19, else a usage error', () => {
  const db = path.join(tempDir(), 'nice.db');
  const ok = JSON.parse(
    execFileSync('node', [BIN, 'import', SEED, '--db', db, '--json', '--nice', '5'], { encoding: 'utf8' }),
  );
  expect(ok).toMatchObject({ new: 104 });
  const bad = spawnSync('node', [BIN, 'import', SEED, '--db', db, '--nice', '20'], { encoding: 'utf8' });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('--nice must be a whole number from 0 to 19');
});
