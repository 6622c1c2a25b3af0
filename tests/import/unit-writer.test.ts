// The reusable code-unit buffer behind the import's text passes (search tokens, story text).
import { CHUNK_UNITS, UnitWriter } from '../../src/ingest/unit-writer';

const write = (w: UnitWriter, s: string) => {
  w.reset();
  w.copy(s, 0, Math.floor(s.length / 2));
  for (let i = Math.floor(s.length / 2); i < s.length; i++) w.push(s.charCodeAt(i));
  expect(w.length).toBe(s.length);
  return w.toString();
};

test('strings of every size, one after another, come out as written', () => {
  const w = new UnitWriter();
  const texts = [
    '',
    'a',
    '中国联通𠀀',
    '\ud800lone',
    'x'.repeat(5000),
    '联'.repeat(3 * CHUNK_UNITS + 3),
    '小',
    'é'.repeat(70000),
  ];
  for (const t of texts) expect(write(w, t)).toBe(t);
  // A part of a string, and nothing left over from the string before.
  w.reset();
  w.copy('甲乙丙丁', 1, 3);
  expect(w.toString()).toBe('乙丙');
});

test('a surrogate pair cut between two chunks is one character again', () => {
  const w = new UnitWriter();
  for (const before of [CHUNK_UNITS - 1, 2 * CHUNK_UNITS - 1]) {
    const s = `${'a'.repeat(before)}𠀀${'b'.repeat(10)}`;
    const out = write(w, s);
    expect(out).toBe(s);
    expect(out.codePointAt(before)).toBe(0x20000);
  }
});
