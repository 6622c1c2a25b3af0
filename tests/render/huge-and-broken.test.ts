// Huge, deeply nested and broken bodies render (no timing assertions: they must just finish).
import { render } from '../../src/ingest/render';
import { MAX_MARKDOWN_CHARS } from '../../src/ingest/render/markdown';
import { MAX_NESTING } from '../../src/ingest/render/sanitize';
import { unsafeParts } from './safety';

const MB = 1024 * 1024;
const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
/** Whole units only, at least `size` long. */
const units = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length));

describe('10 MB bodies', () => {
  test('plain Chinese text', () => {
    const r = render(fill('中国联通今日发布公告。', 10 * MB));
    expect(r.text.length).toBe(10 * MB);
    expect(Array.from(r.excerpt)).toHaveLength(201);
  });

  test('a million unclosed <div>s (too deep for the tree parser: rendered flat)', () => {
    const r = render(`<p>intro</p>\n\n${fill('<div>x', 10 * MB)}`);
    expect(r.text.startsWith('intro\nx\nx')).toBe(true);
    expect(r.excerpt).toBe('intro');
    expect(r.html.startsWith('<p>intro</p>\n<p>x</p>')).toBe(true);
    expect(unsafeParts(r.html.slice(0, 100_000))).toEqual([]);
  });

  test('hostile links, images and hidden elements all the way (costly removals: rendered flat)', () => {
    const r = render(units('<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)><p hidden>h</p>', 10 * MB));
    expect(r.html).not.toMatch(/javascript|onerror|hidden/);
    expect(r.text).toMatch(/^x+$/);
    expect(unsafeParts(r.html)).toEqual([]);
  });

  test('hostile links and images, no hidden elements', () => {
    const r = render(
      units('<a href="javascript:alert(1)">x</a><img src="data:x" onerror=alert(1)><img src=ok.png>', 10 * MB),
    );
    expect(r.html).not.toMatch(/javascript|onerror|data:/);
    expect(r.html).toContain('<a>x</a><wbr /><img src="ok.png" /><a>x</a>');
    expect(unsafeParts(r.html)).toEqual([]);
  });

  test('an unclosed comment and an unclosed script swallow the rest', () => {
    expect(render(`before\n\n<!--${fill('x', 10 * MB)}`)).toMatchObject({ html: '<p>before</p>', text: 'before' });
    expect(render(`before\n\n<script>${fill('x', 10 * MB)}`)).toMatchObject({ html: '<p>before</p>', text: 'before' });
  });

  test('visible paragraphs interleaved with hidden ones', () => {
    const r = render(`<div>${fill('<p>visible</p><p style="display:none">x</p>', 10 * MB)}`);
    expect(r.text.split('\n').every((l) => l === 'visible' || l.startsWith('visi'))).toBe(true);
    expect(r.html).not.toContain('x<');
  });
});

describe('pathological Markdown (2 MB, beyond the markdown-it limit)', () => {
  const cases: Array<[string, string]> = [
    ['brackets', '['],
    ['emphasis', '*a_'],
    ['nested quotes', '>'],
    ['nested lists', '- a\n  - b\n'],
    ['backticks', '`'],
    ['table rows', '|a|b|\n|-|-|\n'],
    ['entities', '&lt;&amp;'],
    ['autolinks', '<http://a.example/x>\n\n'],
    ['paragraphs', '段落 text\n\n'],
  ];
  test.each(cases)('%s', (_name, unit) => {
    const body = fill(unit, 2 * MB);
    expect(body.length).toBeGreaterThan(MAX_MARKDOWN_CHARS);
    const r = render(body);
    expect(unsafeParts(r.html)).toEqual([]);
    expect(Array.from(r.excerpt).length).toBeLessThanOrEqual(201);
  });
});

describe('pathological Markdown (500 KB, through markdown-it)', () => {
  test.each([['['], ['*a_'], ['>'], ['- a\n  - b\n'], ['`'], ['<div>'], ['&lt;']])('%j', (unit) => {
    const r = render(fill(unit, 500 * 1024));
    expect(unsafeParts(r.html)).toEqual([]);
  });
});

describe('nesting', () => {
  test('nesting within the limit keeps its structure', () => {
    const depth = MAX_NESTING - 10;
    const r = render(`${'<div>'.repeat(depth)}deep${'</div>'.repeat(depth)}`);
    expect(r.html).toBe(`${'<div>'.repeat(depth)}deep${'</div>'.repeat(depth)}`);
    expect(r.text).toBe('deep');
  });

  test('beyond the limit the text survives, flat, hidden parts still dropped', () => {
    const depth = MAX_NESTING * 4;
    const r = render(`${'<div>'.repeat(depth)}<p hidden>no</p><script>no()</script>yes &amp; <b>bold</b><br>next`);
    expect(r.text).toBe('yes & bold\nnext');
    expect(r.html).toBe('<p>yes &amp; bold</p>\n<p>next</p>');
  });

  test('stray closing tags against a deep stack', () => {
    const r = render(`${'<div>'.repeat(300)}${'</span>'.repeat(100_000)}end`);
    expect(r.text).toBe('end');
  });
});

describe('broken markup', () => {
  test.each([
    ['<div><p>unclosed <b>bold <i>it', 'unclosed bold it'],
    ['</p></div>text</b>', 'text'],
    ['<table><tr><td>a</div><td>b</table>', 'a b'],
    ['<p>a<p>b<p>c', 'a\nb\nc'],
    ['<ul><li>a<li>b</ul>', 'a\nb'],
    ['<a href="http://x.example"><a href="http://y.example">nested</a></a>', 'nested'],
    ['<p title="unterminated>text', ''],
    ['<<<>>>', '<<<>>>'],
    ['< p>not a tag</ p>', '< p>not a tag</ p>'],
    ['a&b &amp; &#x4e2d; &unknown; &', 'a&b & 中 &unknown; &'],
  ])('%j', (input, text) => {
    const r = render(input);
    expect(unsafeParts(r.html)).toEqual([]);
    expect(r.text).toBe(text);
  });

  test('an empty or whitespace body', () => {
    expect(render('')).toEqual({ html: '', text: '', excerpt: '', sourceUrl: null });
    expect(render(' \n\n\t\n')).toEqual({ html: '', text: '', excerpt: '', sourceUrl: null });
  });
});
