// Bad input to the compiled CLI (`npm test` builds first): one line naming the argument, file or
// variable and the reason, no stack, a non-zero exit, and nothing written anywhere else.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SEED, tempDir } from '../helpers/db';

const BIN = path.join(__dirname, '..', '..', 'bin', 'newsgraph.js');

function cli(
  args: string[],
  o: { env?: Record<string, string | undefined>; cwd?: string; timeout?: number } = {},
): SpawnSyncReturns<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  delete env.NEWSGRAPH_DEBUG;
  delete env.DATABASE_URL;
  Object.assign(env, o.env);
  for (const [k, v] of Object.entries(o.env ?? {})) if (v === undefined) delete env[k];
  return spawnSync('node', [BIN, ...args], { encoding: 'utf8', env, cwd: o.cwd, timeout: o.timeout ?? 60_000 });
}

/** The one line the CLI printed, after checking it printed no stack. */
function oneLine(r: SpawnSyncReturns<string>): string {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

const importedDb = (() => {
  let db: string | null = null;
  return () => {
    if (db) return db;
    db = path.join(tempDir(), 'ok.db');
    expect(cli(['import', SEED, '--db', db, '--json']).status).toBe(0);
    return db;
  };
})();

describe('--db and DATABASE_URL', () => {
  test('an empty --db or DATABASE_URL is a usage error naming it, and ./data/newsgraph.db is left alone', () => {
    const cwd = tempDir();
    const flag = cli(['reindex', '--db', ''], { cwd });
    expect(flag.status).toBe(2);
    expect(oneLine(flag)).toBe('newsgraph: --db: empty (give a SQLite file path or a postgres:// URL)');
    const env = cli(['reindex'], { cwd, env: { DATABASE_URL: '' } });
    expect(env.status).toBe(2);
    expect(oneLine(env)).toContain('newsgraph: DATABASE_URL: empty');
    expect(fs.existsSync(path.join(cwd, 'data'))).toBe(false);
  });

  test.each(['mysql://root@127.0.0.1/x', 'postgres:/127.0.0.1/x', 'sqlite:x.db'])(
    'a URL other than postgres:// (%s) is a usage error, not a SQLite file of that name',
    (url) => {
      const cwd = tempDir();
      const r = cli(['reindex', '--db', url], { cwd });
      expect(r.status).toBe(2);
      expect(oneLine(r)).toContain(`--db ${url}: only postgres:// URLs or SQLite file paths`);
      expect(fs.readdirSync(cwd)).toEqual([]);
    },
  );

  test.each(['reindex', 'compact'])('%s refuses a SQLite file that does not exist, creating nothing', (command) => {
    const dir = path.join(tempDir(), 'nothere');
    const db = path.join(dir, 'none.db');
    const r = cli([command, '--db', db]);
    expect(r.status).toBe(2);
    expect(oneLine(r)).toBe(`newsgraph: --db ${db}: no such SQLite database file`);
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('import still creates a new database, and its folder', () => {
    const db = path.join(tempDir(), 'new', 'sub', 'first.db');
    expect(cli(['import', SEED, '--db', db, '--json']).status).toBe(0);
    expect(fs.existsSync(db)).toBe(true);
  });

  test('a folder, a file that is not a database, a folder that cannot be made: the file and the reason, no stack', () => {
    const dir = tempDir();
    const notDb = path.join(dir, 'notes.db');
    fs.writeFileSync(notDb, 'not a database, just some text that is long enough to be read as a header\n');
    const cases: [string[], string][] = [
      [['reindex', '--db', dir], `newsgraph: database ${dir}: is a folder, not a SQLite file`],
      [['import', SEED, '--db', dir], `newsgraph: database ${dir}: is a folder, not a SQLite file`],
      [['reindex', '--db', notDb], `newsgraph: database ${notDb}: file is not a database`],
      [['import', SEED, '--db', path.join(notDb, 'sub', 'x.db')], `newsgraph: database ${notDb}/sub/x.db: ENOTDIR`],
    ];
    for (const [args, message] of cases) {
      const r = cli(args);
      expect(r.status).toBe(1);
      expect(oneLine(r)).toContain(message);
    }
  });

  test('a PostgreSQL URL that is malformed, or whose server is not there: the redacted URL and the reason, no stack', async () => {
    // A port nothing listens on.
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const refused = cli(['reindex', '--db', `postgres://app:secret@127.0.0.1:${closed}/x`]);
    expect(refused.status).toBe(1);
    expect(oneLine(refused)).toBe(
      `newsgraph: database postgres://app:***@127.0.0.1:${closed}/x: connect ECONNREFUSED 127.0.0.1:${closed}`,
    );
    for (const url of ['postgres://%zz:secret@127.0.0.1/x', 'postgres://app:secret@127.0.0.1:99999/x']) {
      const r = cli(['import', SEED, '--db', url]);
      expect(r.status).toBe(2);
      expect(oneLine(r)).toMatch(/^newsgraph: --db postgres:\/\/\S+:\*\*\*@\S+: not a valid postgres:\/\/ URL$/);
      expect(r.stderr).not.toContain('secret');
    }
  });
});

describe('ports', () => {
  test.each([[['--port', '']], [['--port', '1e3']], [['--port', '0x10']], [['--port', '65536']]])(
    'serve %j is refused',
    (args) => {
      const r = cli(['serve', '--db', path.join(tempDir(), 'x.db'), ...args]);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/is not a port number \(0-65535\)/);
    },
  );

  test.each([' ', '0x10e1', '1e3', '4.0', '70000'])('PORT=%j is refused', (value) => {
    const r = cli(['serve', '--db', path.join(tempDir(), 'x.db')], { env: { PORT: value } });
    expect(r.status).toBe(2);
    expect(oneLine(r)).toBe(`newsgraph: PORT=${JSON.stringify(value)}: expected a port number (0-65535)`);
  });

  test.each([[[]], [['--workers', '2']]])('a port in use is one line, with no stack (serve %j)', async (more) => {
    const db = importedDb();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const r = cli(['serve', '--db', db, '--port', String(port), ...more]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(`newsgraph: port ${port} is already in use (EADDRINUSE)`);
    } finally {
      blocker.close();
    }
  });
});

describe('environment variables', () => {
  test.each([
    ['GRAPHQL_BODY_LIMIT', 'foo', 'GRAPHQL_BODY_LIMIT=foo: expected a size'],
    ['GRAPHQL_MAX_CONCURRENCY', '-1', 'GRAPHQL_MAX_CONCURRENCY=-1: expected a positive integer'],
    ['NEWSGRAPH_LIVE_POLL_MS', '0', 'NEWSGRAPH_LIVE_POLL_MS=0: expected a positive integer'],
    ['NEWSGRAPH_METRICS', 'maybe', 'NEWSGRAPH_METRICS=maybe: expected 1/true/yes/on'],
    ['LOG_LEVEL', 'foo', 'LOG_LEVEL=foo: expected one of fatal, error, warn, info, debug, trace, silent'],
  ])('serve with %s=%s: the variable and the reason, no stack, exit 2', (name, value, message) => {
    const r = cli(['serve', '--db', importedDb(), '--port', '0'], { env: { [name]: value } });
    expect(r.status).toBe(2);
    expect(oneLine(r)).toMatch(new RegExp(`^newsgraph: ${message.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  });

  test('import with NEWSGRAPH_CHANGES_KEEP_DAYS=abc: no stack, exit 2', () => {
    const r = cli(['import', SEED, '--db', path.join(tempDir(), 'x.db')], {
      env: { NEWSGRAPH_CHANGES_KEEP_DAYS: 'abc' },
    });
    expect(r.status).toBe(2);
    expect(oneLine(r)).toMatch(/^newsgraph: NEWSGRAPH_CHANGES_KEEP_DAYS=abc: expected /);
  });

  test('NEWSGRAPH_DEBUG=1 shows the stack all the same', () => {
    const r = cli(['serve', '--db', importedDb(), '--port', '0'], {
      env: { GRAPHQL_MAX_CONCURRENCY: '-1', NEWSGRAPH_DEBUG: '1' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^\s+at envInt /m);
  });
});

describe('serve --watch', () => {
  test.each([
    ['a _config.yml that is a folder', {}, /_config\.yml: cannot read/],
    ['NEWSGRAPH_BATCH_SIZE=0', { NEWSGRAPH_BATCH_SIZE: '0' }, /NEWSGRAPH_BATCH_SIZE/],
  ])('a watcher stopped by bad input (%s) is not restarted: the server stops, exit 2', (_what, env, reason) => {
    const archive = path.join(tempDir(), 'archive');
    fs.mkdirSync(path.join(archive, '_posts'), { recursive: true });
    if (!('NEWSGRAPH_BATCH_SIZE' in env)) fs.mkdirSync(path.join(archive, '_config.yml'));
    const r = cli(['serve', '--db', path.join(tempDir(), 'w.db'), '--port', '0', '--watch', archive], {
      env: { ...env, LOG_LEVEL: 'info' },
      timeout: 30_000,
    });
    expect(r.error).toBeUndefined(); // not killed by the timeout: it stopped by itself
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(reason);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toContain('not restarting it');
    expect(r.stdout).not.toContain('exited; restarting it');
  });
});
