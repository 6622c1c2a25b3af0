// The flat front matter fast path gives the full YAML loader's data and date source, or steps aside.
import * as fs from 'fs';
import * as path from 'path';
import { readFrontMatterYaml, splitFrontMatter, stripBom } from '../../src/ingest/jekyll/front-matter';
import { readFlatFrontMatter } from '../../src/ingest/jekyll/flat-front-matter';

const ROOT = path.join(__dirname, '..', '..', 'seeds', 'finews');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : /\.(md|markdown|html)$/.test(e.name) ? [p] : [];
  });
}

/** Data with its key order and value types, and the date source: what the two paths must share. */
function shape(r: { data: Record<string, unknown>; dateSource: unknown }): string {
  return JSON.stringify([Object.entries(r.data).map(([k, v]) => [k, typeof v, v]), r.dateSource]);
}

function fullOrError(yaml: string): string {
  try {
    return shape(readFrontMatterYaml(yaml));
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/** The fast path's answer must equal the full one; returns whether it answered. */
function agrees(yaml: string): boolean {
  const flat = readFlatFrontMatter(yaml);
  if (flat === null) return false;
  expect([yaml, shape(flat)]).toEqual([yaml, fullOrError(yaml)]);
  return true;
}

describe('flat front matter', () => {
  test('every real post of seeds/finews takes the fast path, with the full loader’s result', () => {
    const yamls = filesUnder(ROOT)
      .map((f) => splitFrontMatter(stripBom(fs.readFileSync(f, 'utf8')))?.yaml)
      .filter((y): y is string => y !== undefined);
    expect(yamls.length).toBeGreaterThan(90);
    const answered = yamls.filter(agrees).length;
    expect(answered).toBe(yamls.length);
  });

  // Values whose YAML reading is not a plain string: Psych's booleans, nulls, numbers, sexagesimals.
  const VALUES = [
    'post',
    '"金万通信：光伏"',
    "'x'",
    '2023-03-14 17:43:15 +0800',
    '+0800',
    '2021-12-08',
    '20211208',
    '10:30',
    '1:2:3',
    '12:30:45.5',
    '1,000',
    '017',
    '08',
    '0x1F',
    '0b101',
    '0o17',
    '1e3',
    '1.0e+3',
    '.5',
    '.',
    '+.',
    'yes',
    'No',
    'ON',
    'y',
    '~',
    'nUll',
    '.inf',
    '.nan',
    '9007199254740993',
    '1_000',
    'a b',
    'a:b',
    '...',
    '50%',
    'é😀',
    '""',
    "''",
    'a  b',
    '2001:db8::1',
    'http://x.y/z?a=1&b=2',
  ];
  const KEYS = ['title', 'date', 'tags', '__proto__', 'constructor', 'Yes', '_x'];

  test('odd values and keys: the same data, types and date source as the full loader', () => {
    let answered = 0;
    for (const key of KEYS) {
      for (const value of VALUES) {
        if (agrees(`---\nlayout: post\n${key}:  ${value}\n`)) answered++;
      }
    }
    // All but the key `Yes` (a boolean) and the value `1,000` (a comma) are flat; the comparison
    // above ran on each one answered.
    expect(answered).toBe((KEYS.length - 1) * (VALUES.length - 1));
  });

  test.each([
    ['a comment', '---\ntitle: x # note\n'],
    ['a comment line', '---\n# note\ntitle: x\n'],
    ['a blank line', '---\ntitle: x\n\ndate: 2021-12-08\n'],
    ['a list', '---\ntags:\n  - a\n  - b\n'],
    ['a flow list', '---\ntags: [a, b]\n'],
    ['an escape', '---\ntitle: "a\\"b"\n'],
    ['a doubled single quote', "---\ntitle: 'a''b'\n"],
    ['a duplicate key', '---\ntitle: a\ntitle: b\n'],
    ['a key YAML reads as a boolean', '---\nyes: a\n'],
    ['a key YAML reads as null', '---\nnull: a\n'],
    ['a merge key', '---\n<<: a\n'],
    ['an anchor', '---\ntitle: &a x\n'],
    ['an alias', '---\ntitle: *a\n'],
    ['a tag', '---\ntitle: !!str 1\n'],
    ['an empty value', '---\ntitle:\n'],
    ['a block scalar', '---\ntitle: |\n  x\n'],
    ['a continued plain scalar', '---\ntitle: a\n  b\n'],
    ['a CRLF line end', '---\r\ntitle: x\r\n'],
    ['a tab', '---\ntitle:\tx\n'],
    ['trailing spaces', '---\ntitle: x  \n'],
    ['a control character', '---\ntitle: a\u0001b\n'],
    ['a line separator', '---\ntitle: a\u2028b\n'],
    ['an opening line with spaces', '---  \ntitle: x\n'],
    ['no keys', '---\n'],
    ['a key too long for the fast path', `---\n${'k'.repeat(2000)}: x\n`],
  ])('falls back to the full loader for %s', (_what, yaml) => {
    expect(readFlatFrontMatter(yaml)).toBeNull();
  });
});
