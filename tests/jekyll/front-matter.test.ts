import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import matter from 'gray-matter';
import {
  FrontMatterError,
  NoFrontMatterError,
  parseFrontMatter,
  readJekyllPost,
  safeGrayMatter,
  safeGrayMatterOptions,
  splitFrontMatter,
} from '../../src/ingest/jekyll';

const SITE = { timezone: 'Asia/Shanghai', permalink: 'date', future: false };
const P = '_posts/2022-01-09-h.md';

function fm(text: string) {
  return parseFrontMatter(text, P);
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('executable front matter is never run', () => {
  const markers: string[] = [];
  const marker = () => {
    const m = path.join(os.tmpdir(), `pwned-${crypto.randomBytes(8).toString('hex')}`);
    markers.push(m);
    return m;
  };
  afterAll(() => {
    for (const m of markers) if (fs.existsSync(m)) fs.unlinkSync(m);
  });

  test('sanity: plain gray-matter (no safe engines) does evaluate ---js', () => {
    // Harmless expression: shows the danger the safe options guard against.
    const out = matter('---js\n{ title: 6 * 7 }\n---\nbody\n', { language: 'yaml' } as never);
    expect(out.data.title).toBe(42);
  });

  test.each(['js', 'javascript', 'JS', 'Javascript', ' js', 'coffee', 'coffeescript', 'cson'])(
    '---%s front matter that would write a file -> failed, file not written',
    (lang) => {
      const target = marker();
      const code = `{ title: (require('fs').writeFileSync(${JSON.stringify(target)}, 'x'), 'pwned') }`;
      const text = `---${lang}\n${code}\n---\nbody\n`;
      const r = readJekyllPost({ path: P, text, site: SITE });
      expect(r.kind).toBe('failed');
      expect(r.kind === 'failed' && r.reason).toMatch(/executable front matter \(---\s*\w+\) is not allowed/);
      expect(fs.existsSync(target)).toBe(false);
      const e = errorOf(() => fm(text));
      expect(e).toBeInstanceOf(FrontMatterError);
      expect((e as FrontMatterError).code).toBe('executable');
      expect(fs.existsSync(target)).toBe(false);
    },
  );

  test('function-style ---javascript body is not run either', () => {
    const target = marker();
    const text = `---javascript\nrequire('fs').writeFileSync(${JSON.stringify(target)}, 'x');\n({ title: 1 })\n---\n`;
    expect(readJekyllPost({ path: P, text, site: SITE }).kind).toBe('failed');
    expect(fs.existsSync(target)).toBe(false);
  });

  test.each(['json', 'toml', 'constructor', '__proto__', 'hasOwnProperty', 'foo'])(
    'unknown or unsupported language ---%s is an error',
    (lang) => {
      const text = `---${lang}\n{"title": "x"}\n---\nbody\n`;
      const e = errorOf(() => fm(text));
      expect(e).toBeInstanceOf(FrontMatterError);
      expect((e as FrontMatterError).code).toBe('language');
      expect(e.message).toContain(`front matter language '${lang}' is not supported`);
      const r = readJekyllPost({ path: P, text, site: SITE });
      expect(r.kind).toBe('failed');
    },
  );

  test.each(['js', 'javascript', 'JS', 'coffee'])('safeGrayMatter: ---%s throws, nothing written', (lang) => {
    const target = marker();
    const text = `---${lang}\n{ title: (require('fs').writeFileSync(${JSON.stringify(target)}, 'x'), 'pwned') }\n---\nbody\n`;
    expect(() => safeGrayMatter(text)).toThrow(/executable front matter/);
    expect(fs.existsSync(target)).toBe(false);
  });

  test('safeGrayMatter: the engines themselves throw even if the language pre-check is bypassed', () => {
    const target = marker();
    const code = `{ title: (require('fs').writeFileSync(${JSON.stringify(target)}, 'x'), 'pwned') }`;
    for (const lang of ['js', 'javascript', 'coffee']) {
      expect(() => matter(`---${lang}\n${code}\n---\n`, safeGrayMatterOptions() as never)).toThrow(
        /executable front matter/,
      );
    }
    expect(() => matter(`---${'nope'}\n${code}\n---\n`, safeGrayMatterOptions() as never)).toThrow();
    expect(fs.existsSync(target)).toBe(false);
  });

  test('safeGrayMatter reads YAML with the Psych-like loader', () => {
    expect(safeGrayMatter('---\ntitle: x\npublished: no\ndate: 2021-12-08 10:46:18\n---\nbody')).toEqual({
      data: { title: 'x', published: false, date: '2021-12-08 10:46:18' },
      content: 'body',
    });
    expect(() => safeGrayMatter('---\ntitle: [\n---\n')).toThrow(FrontMatterError);
  });

  test('---yaml is not front matter for Jekyll (its opening line must be --- alone)', () => {
    const e = errorOf(() => fm('---yaml\ntitle: x\n---\nbody\n'));
    expect(e).toBeInstanceOf(NoFrontMatterError);
  });
});

describe('splitting like Jekyll', () => {
  test('ordinary file', () => {
    const r = fm('---\ntitle: Hello\n---\nbody line\n');
    expect(r.data).toEqual({ title: 'Hello' });
    expect(r.content).toBe('body line\n');
  });

  test('UTF-8 BOM is stripped', () => {
    const r = fm('\uFEFF---\ntitle: bom\n---\nx\n');
    expect(r.data).toEqual({ title: 'bom' });
    const post = readJekyllPost({
      path: '_posts/2022-01-26-bom.md',
      text: '\uFEFF---\ntitle: bom\n---\nx\n',
      site: SITE,
    });
    expect(post).toMatchObject({ kind: 'post', title: 'bom', url: '/2022/01/26/bom.html' });
  });

  test('CRLF line ends', () => {
    const r = fm('---\r\ntitle: crlf\r\ndate: 2022-01-04\r\n---\r\nbody\r\n');
    expect(r.data).toEqual({ title: 'crlf', date: '2022-01-04' });
    expect(r.content).toBe('body\r\n');
  });

  test('"..." closes front matter; trailing spaces on the fences are fine', () => {
    expect(fm('---  \ntitle: a\n...\nbody').data).toEqual({ title: 'a' });
    expect(fm('---\ntitle: a\n---   \nbody').content).toBe('body');
  });

  test('a "---x" line does not close front matter (gray-matter would close there)', () => {
    const text = '---\ntitle: t\n---x\n---\nbody\n';
    expect(splitFrontMatter(text)).toEqual({ yaml: '---\ntitle: t\n---x\n', content: 'body\n' });
    // Jekyll then fails on the YAML, as here.
    expect(errorOf(() => fm(text))).toBeInstanceOf(FrontMatterError);
  });

  test('empty front matter is no data', () => {
    expect(fm('---\n---\nbody').data).toEqual({});
    expect(fm('---\n# only a comment\n---\nbody').data).toEqual({});
    expect(fm('---\n~\n---\nbody').data).toEqual({});
  });

  test('no front matter: distinct error, and the post is skipped', () => {
    for (const text of ['', 'just text\n', '----\ntitle: x\n----\n', '--- \ntitle: never closed\n']) {
      const e = errorOf(() => fm(text));
      expect(e).toBeInstanceOf(NoFrontMatterError);
      const r = readJekyllPost({ path: P, text, site: SITE });
      expect(r.kind).toBe('skipped');
      expect(r.kind === 'skipped' && r.reason).toMatch(/^no front matter/);
    }
    expect(errorOf(() => fm('---\ntitle: x\n'))).toBeInstanceOf(NoFrontMatterError);
    expect(errorOf(() => fm('---\ntitle: x\n')).message).toMatch(/never closed/);
  });
});

describe('YAML', () => {
  test('invalid YAML fails with the parser message (line and column)', () => {
    const text = '---\ntitle: [unclosed\n---\nx\n';
    const e = errorOf(() => fm(text));
    expect(e).toBeInstanceOf(FrontMatterError);
    expect((e as FrontMatterError).code).toBe('yaml');
    expect(e.message).toMatch(/^invalid YAML front matter: .*line \d+, column \d+$/);
    const r = readJekyllPost({ path: P, text, site: SITE });
    expect(r.kind).toBe('failed');
    expect(r.kind === 'failed' && r.reason).toMatch(/invalid YAML front matter/);
    expect(errorOf(() => fm('---\ntitle: "open\n---\n'))).toBeInstanceOf(FrontMatterError);
    expect(errorOf(() => fm('---\na: *nowhere\n---\n'))).toBeInstanceOf(FrontMatterError);
  });

  test('billion laughs alias bomb fails fast', () => {
    const lines = ['---', 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 9; i++) {
      const prev = `*a${i - 1}`;
      lines.push(`a${i}: &a${i} [${Array(10).fill(prev).join(', ')}]`);
    }
    lines.push('title: boom', '---', 'body');
    const text = lines.join('\n');
    const started = Date.now();
    const r = readJekyllPost({ path: P, text, site: SITE });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.kind).toBe('failed');
    expect(r.kind === 'failed' && r.reason).toMatch(/invalid YAML front matter: .*alias/i);
  });

  test('a few aliases and merge keys are fine', () => {
    const r = fm('---\nbase: &b {layout: post, tags: [x]}\nother:\n  <<: *b\n  title: t\nlist: [*b, *b]\n---\n');
    expect(r.data.other).toEqual({ layout: 'post', tags: ['x'], title: 't' });
    expect(r.data.list).toEqual([
      { layout: 'post', tags: ['x'] },
      { layout: 'post', tags: ['x'] },
    ]);
  });

  test.each([
    ['a list', '---\n- a\n- b\n---\n'],
    ['a string', '---\njust a string\n---\n'],
    ['a number', '---\n42\n---\n'],
  ])('front matter that is %s is not a mapping', (_what, text) => {
    const e = errorOf(() => fm(text));
    expect(e).toBeInstanceOf(FrontMatterError);
    expect((e as FrontMatterError).code).toBe('not-mapping');
    expect(e.message).toMatch(/front matter is not a mapping/);
    expect(readJekyllPost({ path: P, text, site: SITE }).kind).toBe('failed');
  });

  test('plain scalars read like Psych (Jekyll 4.3 uses Psych.safe_load)', () => {
    const r = fm(
      [
        '---',
        'b1: yes',
        'b2: No',
        'b3: ON',
        'b4: off',
        'b5: tRUE',
        'y: y',
        'n: n',
        'n1: ~',
        'n2: NULL',
        'n3:',
        'i1: 1,000',
        'i2: 017',
        'i3: 0x1F',
        'i4: 0b101',
        'i5: 0o17',
        'i6: 1_000',
        'i7: 08',
        'f1: 1.5',
        'f2: 1e3',
        'f3: 1.0e+3',
        'f4: .5',
        's1: 10:30',
        's2: 190:20:30',
        'big: 202112082206672930',
        'inf: .inf',
        'sym: :foo',
        'ts: 2021-12-08 10:46:18',
        'd: 2021-12-08',
        'q: "2021-12-08"',
        '---',
      ].join('\n'),
    );
    expect(r.data).toEqual({
      b1: true,
      b2: false,
      b3: true,
      b4: false,
      b5: true,
      y: 'y',
      n: 'n',
      n1: null,
      n2: null,
      n3: null,
      i1: 1000,
      i2: 15,
      i3: 31,
      i4: 5,
      i5: '0o17',
      i6: 1000,
      i7: '08',
      f1: 1.5,
      f2: '1e3',
      f3: 1000,
      f4: 0.5,
      s1: 37800,
      s2: 685230,
      big: '202112082206672930',
      inf: '.inf',
      sym: ':foo',
      ts: '2021-12-08 10:46:18',
      d: '2021-12-08',
      q: '2021-12-08',
    });
  });

  test('duplicate keys: the last wins (Psych)', () => {
    expect(fm('---\ntitle: a\ntitle: b\n---\n').data).toEqual({ title: 'b' });
  });

  test('__proto__ is an ordinary key', () => {
    const r = fm('---\n__proto__: {polluted: true}\ntitle: x\n---\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r.data)).toBe(Object.prototype);
    expect(Object.keys(r.data)).toEqual(['__proto__', 'title']);
  });

  test('data is JSON-safe', () => {
    const r = fm('---\na: !!binary aGVsbG8=\nb: !!set {x, y}\nc: .nan\nd: 2021-12-08T10:46:18Z\n---\n');
    expect(JSON.parse(JSON.stringify(r.data))).toEqual(r.data);
  });
});

describe('dateSource', () => {
  test.each([
    [
      'date: 2021-12-08 10:46:18',
      { text: '2021-12-08 10:46:18', style: 'plain', quoted: false, raw: '2021-12-08 10:46:18' },
    ],
    [
      'date: "2022-01-04 10:00:00"',
      { text: '2022-01-04 10:00:00', style: 'quoted', quoted: true, raw: '"2022-01-04 10:00:00"' },
    ],
    ["date: '2022-01-04'", { text: '2022-01-04', style: 'quoted', quoted: true, raw: "'2022-01-04'" }],
    ['date: !!str 2022-01-04', { text: '2022-01-04', style: 'quoted', quoted: true, raw: '2022-01-04' }],
    ['date:', { text: '', style: 'plain', quoted: false, raw: '' }],
    ['date: [2022-01-04]', { text: '[2022-01-04]', style: 'other', quoted: false, raw: '[2022-01-04]' }],
    [
      'd: &d 2022-01-04 01:02:03\ndate: *d',
      { text: '2022-01-04 01:02:03', style: 'plain', quoted: false, raw: '2022-01-04 01:02:03' },
    ],
  ])('%s', (line, expected) => {
    expect(fm(`---\n${line}\n---\n`).dateSource).toEqual(expected);
  });

  test('absent date -> null', () => {
    expect(fm('---\ntitle: x\n---\n').dateSource).toBeNull();
  });
});

describe("splitFrontMatter equals Jekyll's regexp", () => {
  // Document::YAML_FRONT_MATTER_REGEXP translated literally (Ruby: \s is ASCII, `.` with /m
  // matches newlines, ^ is a line start, $ is before "\n" or at the end).
  const JEKYLL = /^(---[ \t\r\n\f\v]*\n[\s\S]*?\n?)(?<=\n)((?:---|\.\.\.)[ \t\r\n\f\v]*(?=\n|$)\n?)/;
  const reference = (text: string) => {
    const m = JEKYLL.exec(text);
    return m ? { yaml: m[1], content: text.slice(m[0].length) } : null;
  };

  test('random texts', () => {
    // Deterministic pseudo-random generator (no flaky tests).
    let seed = 12345;
    const rand = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed >>> 16) % k;
    };
    const pieces = ['-', '---', '...', '.', ' ', '\t', '\n', '\r\n', 'a', ':', '\u3000', '\v'];
    for (let n = 0; n < 20000; n++) {
      let text = rand(3) === 0 ? '' : '---';
      const len = rand(14);
      for (let i = 0; i < len; i++) text += pieces[rand(pieces.length)];
      expect([text, splitFrontMatter(text)]).toEqual([text, reference(text)]);
    }
  });

  test('linear time on long runs of blank lines', () => {
    // CPU time, not the wall clock: a loaded machine must not fail it; a quadratic scan takes minutes.
    const started = process.cpuUsage();
    expect(splitFrontMatter('---' + '\n'.repeat(200000) + 'x')).toBeNull();
    expect(splitFrontMatter('---' + ' \n'.repeat(100000) + 'x\n---\n')).not.toBeNull();
    const site = { timezone: null, permalink: 'date', future: false };
    expect(readJekyllPost({ path: P, text: '---' + '\n'.repeat(200000) + 'x', site }).kind).toBe('skipped');
    expect(readJekyllPost({ path: P, text: '---\n' + '\n'.repeat(200000) + '---\nx', site }).kind).toBe('post');
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(2000);
  });
});
