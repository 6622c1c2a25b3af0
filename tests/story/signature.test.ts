// Story signatures on the real posts and on hostile text: the same wire text republished is
// recognised, different stories are not, and what syndication changes is not read.
import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { render } from '../../src/ingest/render/render';
import {
  bandKeys,
  BANDS,
  MIN_SHINGLES,
  SAME_STORY_SIMILARITY,
  SAME_STORY_WINDOW_MS,
  sameStory,
  signatureBytes,
  signatureFromBytes,
  similarity,
  storySignature,
  storyText,
} from '../../src/ingest/story/signature';
import { windows } from '../../src/db/story/upkeep';
import { foldHan } from '../../src/ingest/search/fold';
import { randomStrings } from '../helpers/random-strings';
import { SEED } from '../helpers/db';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const OpenCC = require('opencc-js/cn2t') as { Converter: (o: { from: string; to: string }) => (s: string) => string };
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

const bodyText = (file: string) => render(matter(fs.readFileSync(path.join(SEED, file), 'utf8')).content).text;
const sig = (text: string) => {
  const s = storySignature(text);
  if (!s) throw new Error('no signature');
  return s;
};

const SEMI_A = bodyText('old_post/2021-12-08-202112082206896571.md'); // 美扩大半导体生产资金法案或拖延至明年
const SEMI_B = bodyText('old_post/2021-12-08-202112082206936037.md'); // the same wire, credited to 财联社
const NORTH_40 = bodyText('old_post/2021-12-08-202112082206761079.md'); // 北向资金净流入超40亿
const NORTH_50 = bodyText('old_post/2021-12-08-202112082206777086.md'); // ... 超50亿, eleven minutes later
const NIO = bodyText('_posts/2022-05-26-202205262391921712.md'); // a long article

test('the real sample: one wire text in two outlets is one story; a later flash with a new figure is not', () => {
  expect(similarity(sig(SEMI_A), sig(SEMI_B))).toBeGreaterThanOrEqual(SAME_STORY_SIMILARITY);
  expect(similarity(sig(NORTH_40), sig(NORTH_50))).toBeLessThan(SAME_STORY_SIMILARITY);
  expect(similarity(sig(SEMI_A), sig(NIO))).toBeLessThan(0.2);
});

test('every pair of different real posts but that one is told apart', () => {
  const files: string[] = [];
  for (const dir of ['_posts', 'old_post'])
    for (const f of fs.readdirSync(path.join(SEED, dir))) if (f.endsWith('.md')) files.push(`${dir}/${f}`);
  const signed = files
    .map((f) => ({ f, s: storySignature(bodyText(f)) }))
    .filter((x): x is { f: string; s: Uint16Array } => x.s !== null);
  expect(signed.length).toBeGreaterThan(90);
  const same: string[] = [];
  for (let i = 0; i < signed.length; i++)
    for (let j = i + 1; j < signed.length; j++)
      if (similarity(signed[i].s, signed[j].s) >= SAME_STORY_SIMILARITY) same.push(`${signed[i].f} ${signed[j].f}`);
  // Besides the semiconductor pair: the files that are one post (a copy under another name, a
  // flash updated in place), which the import keeps once (one permalink).
  expect(same).toContain('old_post/2021-12-08-202112082206896571.md old_post/2021-12-08-202112082206936037.md');
  for (const pair of same) {
    const [a, b] = pair.split(' ').map((f) => f.replace(/^.*?-?(\d{18})\.md$/, '$1'));
    if (pair.includes('202112082206896571')) continue;
    expect(a).toBe(b);
  }
});

test('what syndication changes is not read: the link, the navigation line, the source credit', () => {
  const lines = NIO.split('\n');
  const republished = [
    ...lines.filter((l) => !/^(https?:|返回|（文章来源)/.test(l.trim())),
    '（文章来源：中国证券报）',
    'https://finance.example.com/a/1.html',
    '返回首页｜返回滚动新闻',
  ].join('\n');
  expect(storyText(republished)).toBe(storyText(NIO));
  expect(Array.from(sig(republished))).toEqual(Array.from(sig(NIO)));
});

test('a republication in traditional script tells the same story', () => {
  const taiwan = toTraditional(NIO);
  expect(taiwan).not.toBe(NIO);
  expect(similarity(sig(taiwan), sig(NIO))).toBe(1);
});

test('an edited republication (a paragraph dropped, one added) is still the story; half of it is not', () => {
  const paragraphs = NIO.split('\n').filter((l) => l.trim() !== '');
  const edited = [...paragraphs.slice(0, 3), ...paragraphs.slice(4), '本文为转载，观点仅供参考。'].join('\n');
  expect(similarity(sig(edited), sig(NIO))).toBeGreaterThanOrEqual(SAME_STORY_SIMILARITY);
  // The second half (the first repeats the lead, as the real article does).
  const half = NIO.slice(Math.floor(NIO.length / 2));
  expect(similarity(sig(half), sig(NIO))).toBeLessThan(SAME_STORY_SIMILARITY);
});

test('too little text to judge has no signature; hostile text does not break it', () => {
  expect(storySignature('')).toBeNull();
  expect(storySignature('数据显示，北向资金净流入。')).toBeNull();
  expect(storySignature('http://finance.eastmoney.com/a.html\n返回首页')).toBeNull();
  const justEnough = '一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯'.slice(0, MIN_SHINGLES + 4);
  expect(storySignature(justEnough)).not.toBeNull();
  expect(storySignature(justEnough.slice(1))).toBeNull();
  // Astral characters, lone surrogates, a megabyte of one character.
  expect(storySignature('𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈𠀉𠀊𠀋𠀌𠀍𠀎𠀏𠀐𠀑𠀒𠀓𠀔𠀕𠀖𠀗𠀘')).not.toBeNull();
  expect(storySignature('\ud800'.repeat(40) + '字'.repeat(40))).not.toBeNull();
  // A lone surrogate is left out and takes nothing with it.
  expect(storyText('甲\ud800乙\udc00丙𠀀丁')).toBe('甲乙丙𠀀丁');
  const same = sig('字'.repeat(1 << 20));
  expect(similarity(same, sig('字'.repeat(100)))).toBe(1);
});

test('the story text is the letters and digits of the folded text, lower-cased (random strings)', () => {
  // No line of this pool is boilerplate (no link, 返回 or 来源), so every line is read.
  const pool = [
    '中',
    '國',
    'a',
    'B',
    '1',
    ' ',
    '\n',
    '，',
    'İ',
    'ß',
    'Σ',
    '𠀀',
    '😀',
    '\ud800',
    '\udc00',
    'ｺ',
    '①',
    '\u0301',
    '٣',
  ];
  for (const x of randomStrings(pool, 7, 20000, 16)) {
    const expected = (foldHan(x.normalize('NFKC')).match(/[\p{L}\p{N}]/gu) ?? []).join('').toLowerCase();
    if (storyText(x) !== expected) expect([x, storyText(x)]).toEqual([x, expected]);
  }
});

test('signatures survive storage; equal bands give equal keys, and keys are positive 31-bit integers', () => {
  const s = sig(NIO);
  expect(Array.from(signatureFromBytes(signatureBytes(s)))).toEqual(Array.from(s));
  expect(() => signatureFromBytes(new Uint8Array(5))).toThrow(/128 bytes/);
  const keys = bandKeys(s);
  expect(keys).toHaveLength(BANDS);
  for (const k of keys) expect(Number.isInteger(k) && k >= 0 && k < 2 ** 31).toBe(true);
  expect(bandKeys(sig(toTraditional(NIO)))).toEqual(keys);
  // Different stories share few bands.
  const other = bandKeys(sig(SEMI_A));
  expect(keys.filter((k, i) => other[i] === k)).toHaveLength(0);
});

test('posts further apart than the window are different stories, however alike', () => {
  const s = sig(NIO);
  const at = Date.UTC(2022, 4, 26);
  expect(sameStory({ sig: s, dateMs: at }, { sig: s, dateMs: at + SAME_STORY_WINDOW_MS })).toBe(true);
  expect(sameStory({ sig: s, dateMs: at }, { sig: s, dateMs: at + SAME_STORY_WINDOW_MS + 1 })).toBe(false);
  expect(sameStory({ sig: s, dateMs: at }, { sig: sig(SEMI_A), dateMs: at })).toBe(false);
});

test('a batch reads the window around each of its dates, overlapping windows merged', () => {
  const W = SAME_STORY_WINDOW_MS;
  expect(windows([])).toEqual([]);
  expect(windows([10 * W, 0, 1])).toEqual([
    [-W, 1 + W],
    [9 * W, 11 * W],
  ]);
  // Exactly touching windows merge; a millisecond further they do not.
  expect(windows([0, 2 * W])).toEqual([[-W, 3 * W]]);
  expect(windows([0, 2 * W + 1])).toHaveLength(2);
});
