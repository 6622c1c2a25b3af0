// Jekyll's `future:` setting: a post dated after the build's time is left out under `future:
// false` (the default) until that time, in whole seconds (Publisher#hidden_in_the_future?).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { hiddenUntil, parseSiteConfig, readSiteConfig } from '../../src/ingest/jekyll';
import { parseFile } from '../../src/ingest/parse-file';
import { SEED } from '../helpers/db';

const T = Date.parse('2030-03-01T10:00:00Z');
const SITE = readSiteConfig(fs.readFileSync(path.join(SEED, '_config.yml'), 'utf8'));

describe('hiddenUntil: the decision', () => {
  test('a past post is published; a future one is hidden until its own second', () => {
    expect(hiddenUntil(T - 86_400_000, { future: false }, T)).toBeNull();
    expect(hiddenUntil(T + 86_400_000, { future: false }, T)).toBe(T + 86_400_000);
  });
  test('boundary: published from the first millisecond of its second, not one before', () => {
    expect(hiddenUntil(T, { future: false }, T)).toBeNull();
    expect(hiddenUntil(T, { future: false }, T - 1)).toBe(T);
    expect(hiddenUntil(T + 1000, { future: false }, T + 999)).toBe(T + 1000);
    // Jekyll compares `to_i` of both: a build 0.5 s into the post's second publishes it.
    expect(hiddenUntil(T + 500, { future: false }, T)).toBeNull();
    expect(hiddenUntil(T + 1500, { future: false }, T + 999)).toBe(T + 1000);
  });
  test('before 1970 (negative instants) floors the same way', () => {
    const old = Date.parse('1960-01-01T00:00:00Z');
    expect(hiddenUntil(old + 1000, { future: false }, old + 999)).toBe(old + 1000);
    expect(hiddenUntil(old, { future: false }, old)).toBeNull();
  });
  test('future: true publishes every post', () => {
    expect(hiddenUntil(T + 10 * 365 * 86_400_000, { future: true }, T)).toBeNull();
  });
});

describe('_config.yml future:', () => {
  test("Jekyll's default is false, also for the bundled sample", () => {
    expect(readSiteConfig(null).future).toBe(false);
    expect(SITE.future).toBe(false);
  });
  test('Ruby truthiness: only missing, null and false (no, off) are false', () => {
    const f = (yaml: string) => parseSiteConfig(yaml);
    expect(f('future: true').config.future).toBe(true);
    expect(f('future: false').config.future).toBe(false);
    expect(f('future: no').config.future).toBe(false);
    expect(f('future: Off').config.future).toBe(false);
    expect(f('future:').config.future).toBe(false);
    expect(f('future: "false"').config.future).toBe(true);
    expect(f('future: [1]').config.future).toBe(true);
    // Supported now: no "ignored" warning.
    expect(f('future: true').warnings).toEqual([]);
  });
});

describe('parseFile with a build time', () => {
  const real = 'old_post/2021-12-08-202112082206703990.md';
  const parse = (text: string, site = SITE, now = T) => {
    const bytes = Buffer.from(text);
    return parseFile(real, bytes, createHash('sha256').update(bytes).digest('hex'), site, now);
  };
  const text = fs.readFileSync(path.join(SEED, real), 'utf8');

  test('a real post dated 2021 is a post at any later time', () => {
    expect(parse(text).kind).toBe('post');
  });

  test('the same post dated in the future is scheduled at its instant, in the site time zone', () => {
    // Quoted: local to the site's zone (Asia/Shanghai, +08:00), as for every other date.
    const future = text.replace(/^date: .*$/m, 'date: "2030-03-01 18:00:00"');
    expect(parse(future, SITE, T - 1)).toEqual({
      kind: 'scheduled',
      path: real,
      reason: 'dated 2030-03-01T18:00:00+08:00, in the future (future: false)',
      publishAtMs: T,
    });
    expect(parse(future, SITE, T).kind).toBe('post');
    // An unquoted timestamp is UTC: 8 hours later.
    const utc = text.replace(/^date: .*$/m, 'date: 2030-03-01 18:00:00');
    expect(parse(utc)).toMatchObject({ kind: 'scheduled', publishAtMs: T + 8 * 3600_000 });
    expect(parse(future, { ...SITE, future: true }, T - 1).kind).toBe('post');
  });

  test('the file-name date alone counts too (local midnight)', () => {
    const noDate = text.replace(/^date: .*\n/m, '');
    const rel = 'old_post/2030-03-02-202112082206703990.md';
    const bytes = Buffer.from(noDate);
    const out = parseFile(rel, bytes, 'h', SITE, T);
    expect(out).toMatchObject({ kind: 'scheduled', publishAtMs: Date.parse('2030-03-01T16:00:00Z') });
  });

  test('unpublished wins over scheduled; a broken date still fails', () => {
    const hidden = text.replace(/^date: .*$/m, 'date: 2030-03-01 18:00:00\npublished: false');
    expect(parse(hidden).kind).toBe('unpublished');
    expect(parse(text.replace(/^date: .*$/m, 'date: yesterday')).kind).toBe('failed');
  });

  test('hostile: the far future and a date near the end of time are scheduled, never thrown', () => {
    expect(parse(text.replace(/^date: .*$/m, 'date: 9999-12-31 23:59:59 +0800'))).toMatchObject({
      kind: 'scheduled',
      publishAtMs: Date.parse('9999-12-31T15:59:59Z'),
    });
  });
});
