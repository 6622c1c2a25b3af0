import fs from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import {
  HTML_AGAINST_TEXT,
  packContent,
  packText,
  textPrefixOf,
  unpackContent,
  unpackText,
} from '../../src/ingest/render/packed';
import { render } from '../../src/ingest/render';
import { SEED } from '../helpers/db';

/** The body of every sample post (after its front matter). */
function sampleBodies(): string[] {
  const out: string[] = [];
  for (const dir of ['_posts', 'old_post']) {
    const folder = path.join(SEED, dir);
    if (!fs.existsSync(folder)) continue;
    for (const name of fs.readdirSync(folder)) {
      const text = fs.readFileSync(path.join(folder, name), 'utf8');
      out.push(text.replace(/^---\n[\s\S]*?\n---\n/, ''));
    }
  }
  return out;
}

describe('packed HTML and text (what SQLite stores)', () => {
  test('every sample post renders, packs smaller and unpacks to the same HTML and text', () => {
    const bodies = sampleBodies();
    expect(bodies.length).toBeGreaterThan(100);
    let plain = 0;
    let packed = 0;
    for (const body of bodies) {
      const { html, text } = render(body);
      for (const s of [html, text]) {
        const p = packText(s);
        expect(unpackText(p, 'sample')).toBe(s);
        plain += Buffer.byteLength(s);
        packed += p.byteLength;
      }
    }
    // The sample's posts are short (a median of ~0.9 KB of HTML and text): 0.68 of their UTF-8
    // bytes (the generated bench posts, ~7.6 KB: 0.40).
    expect(packed / plain).toBeLessThan(0.75);
  });

  test('empty text, astral characters, NUL and lone surrogates come back as UTF-8 makes them', () => {
    for (const s of ['', '中国联通(600050)', '𠀀𪚥 emoji 📈 x', 'a\u0000b', '<p>&amp;</p>'.repeat(1000)]) {
      expect(unpackText(packText(s), 't')).toBe(s);
    }
    // A lone surrogate has no UTF-8 form: it is stored as U+FFFD, as any UTF-8 text column would.
    expect(unpackText(packText('a\ud800b'), 't')).toBe('a\ufffdb');
  });

  test('the packed bytes are a buffer of their own (a view would send zlib’s whole chunk between threads)', () => {
    const p = packText('中国联通'.repeat(10));
    expect(p.byteOffset).toBe(0);
    expect(p.buffer.byteLength).toBe(p.byteLength);
  });

  test('a value stored as text (PostgreSQL, or a database written before) reads as it is', () => {
    expect(unpackText('<p>联通</p>', 'post 1 html')).toBe('<p>联通</p>');
    expect(unpackText(null, 'post 1 html')).toBe('');
  });

  test('damaged bytes are an error naming the value, not garbage', () => {
    const p = packText('中国联通'.repeat(100));
    expect(() => unpackText(p.subarray(0, p.byteLength - 3), 'post 7 text')).toThrow(
      /^post 7 text: the stored value cannot be unpacked/,
    );
    expect(() => unpackText(new Uint8Array([0xff, 0xff, 0xff, 0xff]), 'post 7 html')).toThrow(/post 7 html/);
  });

  test('a prefix is read as far as asked: at least that many units, a start of the whole, never a split pair', () => {
    const texts = [
      ...sampleBodies().map((b) => render(b).text),
      // Astral characters (four UTF-8 bytes, two units) and a mix of sequence lengths at every cut.
      '𠀀𪚥📈'.repeat(3000),
      'aé中𠀀'.repeat(3000),
      'x'.repeat(20000),
    ];
    let partial = 0;
    for (const text of texts) {
      const packed = packText(text);
      for (const units of [0, 1, 2, 3, 50, 512, 2048, 10 ** 9]) {
        const read = textPrefixOf(packed, 'sample');
        const got = read(units);
        expect(text.startsWith(got.text)).toBe(true);
        // (A cut just before the stream's last bytes may hold all the text without knowing it.)
        if (got.whole) expect(got.text).toBe(text);
        expect(got.text.length).toBeGreaterThanOrEqual(Math.min(units, text.length));
        expect(got.text).not.toMatch(/[\ud800-\udbff]$/);
        if (!got.whole) partial++;
        // Asking again for more reads on from there; asking for less still gives a start of the text.
        const more = read(got.text.length + 1);
        expect(text.startsWith(more.text)).toBe(true);
        expect(more.text.length).toBeGreaterThanOrEqual(Math.min(got.text.length + 1, text.length));
        const fewer = Math.max(1, units >> 1);
        const less = read(fewer);
        expect(text.startsWith(less.text)).toBe(true);
        expect(less.text.length).toBeGreaterThanOrEqual(Math.min(fewer, text.length));
        expect(less.text).not.toMatch(/[\ud800-\udbff]$/);
        // Text as stored before packing, or on PostgreSQL: the same prefixes.
        const plain = textPrefixOf(text, 'sample')(units);
        expect(text.startsWith(plain.text)).toBe(true);
        expect(plain.whole).toBe(plain.text.length === text.length);
        expect(plain.text.length).toBeGreaterThanOrEqual(Math.min(units, text.length));
      }
    }
    // Most reads of the long texts stopped short of the whole: the point of reading a prefix.
    expect(partial).toBeGreaterThan(20);
  });

  test('a damaged value is an error naming it, whether it is read whole or in part', () => {
    const p = packText('中国联通'.repeat(2000));
    const damaged = new Uint8Array(p);
    damaged.fill(0xff, 0, 64);
    expect(() => textPrefixOf(damaged, 'post 9 text')(10)).toThrow(/^post 9 text: the stored value cannot be unpacked/);
    expect(() => textPrefixOf(p.subarray(0, p.byteLength - 3), 'post 9 text')(10 ** 9)).toThrow(/post 9 text/);
    expect(textPrefixOf(null, 'x')(10)).toEqual({ text: '', whole: true });
  });
});

describe('a post’s HTML packed against its text', () => {
  test('every sample post’s HTML packs to a quarter of its size alone, and both come back unchanged', () => {
    let against = 0;
    let alone = 0;
    for (const body of sampleBodies()) {
      const { html, text } = render(body);
      const packed = packContent(html, text);
      expect(packed.html[0]).toBe(HTML_AGAINST_TEXT);
      expect(packed.html.buffer.byteLength).toBe(packed.html.byteLength); // its own, to cross threads
      expect(Buffer.from(packed.text).equals(Buffer.from(packText(text)))).toBe(true);
      expect(unpackContent(packed.html, packed.text, 'post 1')).toEqual({ html, text });
      against += packed.html.byteLength;
      alone += packText(html).byteLength;
    }
    // The sample's HTML: 12.9 KB against the text, 48.7 KB alone.
    expect(against / alone).toBeLessThan(0.35);
  });

  test('no value packed alone starts with the mark, and no DEFLATE reader takes a value that does', () => {
    for (const body of sampleBodies()) {
      const { html, text } = render(body);
      expect(packText(html)[0]).not.toBe(HTML_AGAINST_TEXT);
      expect(packText(text)[0]).not.toBe(HTML_AGAINST_TEXT);
    }
    const packed = packContent('<p>中国联通</p>', '中国联通');
    expect(() => inflateRawSync(packed.html)).toThrow(/invalid block type/);
    expect(() => unpackText(packed.html, 'post 3 html')).toThrow(/^post 3 html: packed against its post's text/);
  });

  test('empty, astral, lone surrogates, a text past the 32 KB window, HTML that shares nothing with its text', () => {
    const long = '中国联通(600050)公告。'.repeat(4000); // ~190 KB of UTF-8
    const cases: [string, string][] = [
      ['', ''],
      ['<p></p>', ''],
      ['', 'text without HTML'],
      ['<p>𠀀𪚥 📈</p>', '𠀀𪚥 📈'],
      ['<p>a\ud800b</p>', 'a\ud800b'],
      [`<p>${long}</p><p>${long.slice(0, 999)}</p>`, long],
      ['<p>nothing in common</p>'.repeat(200), '完全不同的文字'],
    ];
    for (const [html, text] of cases) {
      const packed = packContent(html, text);
      // A lone surrogate has no UTF-8 form: it is stored as U+FFFD, in the HTML and the text alike.
      const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('utf8');
      expect(unpackContent(packed.html, packed.text, 'post 1')).toEqual({ html: utf8(html), text: utf8(text) });
      // The text kept as text (written by hand, or by a build between) unpacks the HTML just as well.
      expect(unpackContent(packed.html, utf8(text), 'post 1').html).toBe(utf8(html));
    }
  });

  test('what older builds stored reads as before: text, and HTML packed alone', () => {
    expect(unpackContent('<p>联通</p>', '联通', 'post 1')).toEqual({ html: '<p>联通</p>', text: '联通' });
    expect(unpackContent(packText('<p>联通</p>'), packText('联通'), 'post 1')).toEqual({
      html: '<p>联通</p>',
      text: '联通',
    });
    expect(unpackContent(null, null, 'post 1')).toEqual({ html: '', text: '' });
  });

  test('damage is an error naming the post and the value', () => {
    const html = `<p>${'中国联通(600050)'.repeat(300)}</p>`;
    const text = '中国联通(600050)'.repeat(300);
    const packed = packContent(html, text);
    const cut = packed.html.subarray(0, packed.html.byteLength - 3);
    expect(() => unpackContent(cut, packed.text, 'post 7')).toThrow(
      /^post 7 html: the stored value cannot be unpacked/,
    );
    expect(() => unpackContent(packed.html, packed.text.subarray(0, 5), 'post 7')).toThrow(
      /^post 7 text: the stored value cannot be unpacked/,
    );
    // Its HTML refers back into the text: without it there is nothing to refer to.
    expect(() => unpackContent(packed.html, '', 'post 7')).toThrow(/^post 7 html: the stored value cannot be unpacked/);
  });
});
