import * as fs from 'fs';
import * as path from 'path';
import { ArgError, main, parseArgs } from '../../bench/gen/main';
import { cleanup, listFiles, tempDir } from './util';

function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  return main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }).then((code) => ({
    code,
    out: out.join('\n'),
    err: err.join('\n'),
  }));
}

describe('gen command line', () => {
  test.each([
    [['--posts', '0', '--out', '/tmp/x'], /--posts must be an integer from 1 to/],
    [['--posts', 'abc', '--out', '/tmp/x'], /--posts must be an integer.*got "abc"/],
    [['--posts', '-3', '--out', '/tmp/x'], /--posts must be an integer.*got "-3"/],
    [['--posts', '1.5', '--out', '/tmp/x'], /--posts must be an integer.*got "1.5"/],
    [['--posts', '10'], /--out DIR is required/],
    [['--out', '/tmp/x'], /--posts N is required/],
    [['--posts', '--out', '/tmp/x'], /--posts needs a value/],
    [['--posts', '10', '--out'], /--out needs a value/],
    [['--posts', '10', '--out', '/tmp/x', '--seed', 'x1'], /--seed must be an integer.*got "x1"/],
    [['--posts', '10', '--out', '/tmp/x', '--seed', '4294967296'], /--seed must be an integer/],
    [['--posts', '10', '--out', '/tmp/x', '--bogus'], /unknown argument "--bogus"/],
    [['--posts', '10', '--posts', '20', '--out', '/tmp/x'], /--posts given more than once/],
  ])('rejects %j', async (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(ArgError);
    expect(() => parseArgs(argv)).toThrow(message);
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/^gen: /);
    expect(r.err).toContain('usage:');
  });

  test('accepts --name=value and defaults the seed', () => {
    expect(parseArgs(['--posts=12', '--out=/tmp/y'])).toEqual({
      posts: 12,
      out: '/tmp/y',
      seed: 1,
      force: false,
      help: false,
    });
    expect(parseArgs(['--out', 'o', '--posts', '3', '--seed', '0', '--force'])).toEqual({
      posts: 3,
      out: 'o',
      seed: 0,
      force: true,
      help: false,
    });
  });

  test('--help prints usage and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--posts N');
  });

  test('generates and prints a one-line summary; refuses to overwrite without --force', async () => {
    const dir = path.join(tempDir('cli'), 'archive');
    try {
      const r = await run(['--posts', '25', '--out', dir, '--seed', '3']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^gen: 25 posts, \d+ bytes \(.*MiB\) in \d+\.\d+ s -> .*\(seed 3\)$/);
      expect(r.out.split('\n')).toHaveLength(1);
      expect(listFiles(dir).filter((f) => f.startsWith('_posts/'))).toHaveLength(25);
      const again = await run(['--posts', '25', '--out', dir]);
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/--force/);
      const forced = await run(['--posts', '5', '--out', dir, '--force']);
      expect(forced.code).toBe(0);
      expect(listFiles(dir).filter((f) => f.startsWith('_posts/'))).toHaveLength(5);
    } finally {
      cleanup(path.dirname(dir));
    }
  });

  test('an --out that is a file is a clear error', async () => {
    const base = tempDir('file');
    try {
      const file = path.join(base, 'f');
      fs.writeFileSync(file, 'x');
      const r = await run(['--posts', '2', '--out', file]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/is not a folder/);
    } finally {
      cleanup(base);
    }
  });
});
