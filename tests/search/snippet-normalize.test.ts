// normalizeWithMap normalizes only the code points NFKC can change and maps indices back through
// them; it must give exactly what normalizing each code point on its own gives (the definition below).
import fs from 'node:fs';
import path from 'node:path';
import { normalizeWithMap } from '../../src/ingest/search/snippet';
import { SEED } from '../helpers/db';

/**
 * The definition: each code point normalized alone; the units a code point became map to its
 * index, the units of a code point left alone to their own. Text NFKC leaves alone maps to itself.
 */
function perCodePoint(text: string): { normalized: string; origin: number[] } {
  if (text.normalize('NFKC') === text) return { normalized: text, origin: [...text, ''].map((_, i) => i) };
  let out = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length;) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    const n = ch.normalize('NFKC');
    for (let k = 0; k < n.length; k++) origin.push(n === ch ? i + k : i);
    out += n;
    i += ch.length;
  }
  origin.push(text.length);
  return { normalized: out, origin };
}

/** normalizeWithMap's text, and its mapping of every index of it (the end included). */
function mapped(text: string): { normalized: string; origin: number[] } {
  const { normalized, toText } = normalizeWithMap(text);
  return { normalized, origin: Array.from({ length: normalized.length + 1 }, (_, i) => toText(i)) };
}

test('ASCII and the CJK Unified Ideographs are left alone by NFKC, code point by code point', () => {
  const changed: number[] = [];
  for (const [from, to] of [
    [0x0000, 0x007f],
    [0x4e00, 0x9fff],
  ]) {
    for (let cp = from; cp <= to; cp++) {
      const ch = String.fromCodePoint(cp);
      if (ch.normalize('NFKC') !== ch) changed.push(cp);
    }
  }
  expect(changed).toEqual([]);
});

test('a code point NFKC changes on its own is changed in any text (so a text NFKC leaves alone has none)', () => {
  const contexts = ['', 'a', '中', '\u0301', 'e', '\u1100', '가', '\u3099', '𠀀'];
  let changed = 0;
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    if (ch.normalize('NFKC') === ch) continue;
    changed++;
    for (const before of contexts) {
      for (const after of contexts) {
        const text = before + ch + after;
        if (text.normalize('NFKC') === text) throw new Error(`U+${cp.toString(16)} stays in ${JSON.stringify(text)}`);
      }
    }
  }
  expect(changed).toBeGreaterThan(1000);
});

test('the same as normalizing each code point, on every post of the sample', () => {
  const files = ['_posts', 'old_post'].flatMap((d) =>
    fs.readdirSync(path.join(SEED, d)).map((f) => path.join(SEED, d, f)),
  );
  let changed = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const want = perCodePoint(text);
    expect(mapped(text)).toEqual(want);
    if (want.normalized !== text) changed++;
  }
  // The sample's full-width punctuation makes most posts take the mapped path.
  expect(changed).toBeGreaterThan(files.length / 2);
});

test.each([
  ['full-width forms', '蔚来（ＮＩＯ）股价，代码６０００５０。'],
  ['combining marks, composed only when whole', 'e\u0301 a\u0308\u0301 Å ﬁ ｶﾞ ㌀ ﷺ'],
  ['Hangul jamo and syllables', '\u1100\u1161\u11a8 한국 ㈜'],
  ['astral and lone surrogates', '𠀀𝐀\ud800x\udc00\ud83d\ude00\ud800'],
  ['only characters NFKC changes', '，，：（）'],
  ['changes at both ends', '（中国联通）'],
  ['nothing to change', '中国联通 abc'],
  ['empty', ''],
])('the same as normalizing each code point: %s', (_what, text) => {
  expect(mapped(text)).toEqual(perCodePoint(text));
});
