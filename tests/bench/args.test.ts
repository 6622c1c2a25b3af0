import { parseBenchArgs, resultName } from '../../bench/args';

test('--out names every run: the main one, the soak and the PostgreSQL comparison', () => {
  const given = parseBenchArgs(['--postgres', 'postgres://localhost/test', '--out', 'pg-rerun']);
  expect(given).toMatchObject({ out: 'pg-rerun', outGiven: true });
  expect(resultName(given, 'pg-compare-100000')).toBe('pg-rerun');
  expect(resultName(parseBenchArgs(['--soak', '--out', 'soak-night']), 'soak-100000')).toBe('soak-night');
});

test('without --out, each run keeps its own name', () => {
  const none = parseBenchArgs(['--postgres', 'postgres://localhost/test']);
  expect(none).toMatchObject({ out: 'posts-100000', outGiven: false });
  expect(resultName(none, 'pg-compare-100000')).toBe('pg-compare-100000');
  expect(resultName(parseBenchArgs(['--soak']), 'soak-30000')).toBe('soak-30000');
  expect(parseBenchArgs(['--quick']).out).toBe('quick');
});

test('--out must be a plain file name', () => {
  expect(() => parseBenchArgs(['--out', '../x'])).toThrow('--out must be a plain file name');
});

test('--server-warmup: 10 s by default, 2 s for --quick, 0 turns it off, a negative is refused', () => {
  expect(parseBenchArgs([]).serverWarmup).toBe(10);
  expect(parseBenchArgs(['--quick']).serverWarmup).toBe(2);
  expect(parseBenchArgs(['--server-warmup', '0']).serverWarmup).toBe(0);
  expect(parseBenchArgs(['--server-warmup=4.5']).serverWarmup).toBe(4.5);
  expect(() => parseBenchArgs(['--server-warmup', '-1'])).toThrow('--server-warmup must be a number >= 0');
});

test('--rounds: 3 by default, 1 for --quick, at least 1', () => {
  expect(parseBenchArgs([]).rounds).toBe(3);
  expect(parseBenchArgs(['--quick']).rounds).toBe(1);
  expect(parseBenchArgs(['--rounds', '5']).rounds).toBe(5);
  expect(() => parseBenchArgs(['--rounds', '0'])).toThrow('--rounds must be an integer >= 1');
  expect(() => parseBenchArgs(['--rounds', '2.5'])).toThrow('--rounds must be an integer >= 1');
});
