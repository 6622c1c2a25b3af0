// The reusable code-unit buffer behind the import's text passes (search tokens, story text).
import { UnitWriter } from '../../src/ingest/unit-writer';

test('strings of every size, one after another, come out as written', () => {
  const w = new UnitWriter();
  const write = (s: string) => {
    w.reset(s.length);
    w.copy(s, 0, Math.floor(s.length / 2));
    for (let i = Math.floor(s.length / 2); i < s.length; i++) w.push(s.charCodeAt(i));
    return w.toString();
  };
  const texts = [
    '',
    'a',
    '中国联通𠀀',
    '\ud800lone',
    'x'.repeat(5000),
    '联'.repeat((1 << 20) + 3),
    '小',
    'é'.repeat(70000),
  ];
  for (const t of texts) expect(write(t)).toBe(t);
  // A part of a string, and nothing left over from the string before.
  w.reset(3);
  w.copy('甲乙丙丁', 1, 3);
  expect(w.toString()).toBe('乙丙');
});
