import { render } from '../../src/ingest/render';
import {
  CJK_CHARS_PER_MINUTE,
  headingsOf,
  readingMinutes,
  textLength,
  wordCount,
  WORDS_PER_MINUTE,
} from '../../src/ingest/render/reading';

describe('textLength, wordCount, readingMinutes', () => {
  test('a CJK character is a word; other letters and digits run together', () => {
    const l = textLength('中国联通 is great, 5G-ready! 𠀀');
    // 中 国 联 通 and the astral 𠀀 (one character, two UTF-16 units); is, great, 5G, ready.
    expect(l).toEqual({ cjk: 5, words: 4 });
    expect(wordCount(l)).toBe(9);
  });

  test('punctuation, emoji and spaces count for nothing', () => {
    for (const s of ['', '   \n\t', '，。！？、——……', '🙂🚀', '<>&"\'']) {
      expect(textLength(s)).toEqual({ cjk: 0, words: 0 });
      expect(readingMinutes(textLength(s))).toBe(0);
    }
  });

  test('minutes are rounded up at the named rates', () => {
    expect(readingMinutes({ cjk: 1, words: 0 })).toBe(1);
    expect(readingMinutes({ cjk: CJK_CHARS_PER_MINUTE, words: 0 })).toBe(1);
    expect(readingMinutes({ cjk: CJK_CHARS_PER_MINUTE + 1, words: 0 })).toBe(2);
    expect(readingMinutes({ cjk: 0, words: WORDS_PER_MINUTE * 3 })).toBe(3);
    expect(readingMinutes({ cjk: CJK_CHARS_PER_MINUTE, words: WORDS_PER_MINUTE })).toBe(2);
  });

  test('kana and hangul read as CJK; accented Latin and marks stay one word', () => {
    expect(textLength('ニュース 뉴스 café naïve')).toEqual({ cjk: 6, words: 2 });
  });
});

describe('headingsOf', () => {
  test("Markdown headings, with kramdown's auto ids", () => {
    const html = render(
      '# Market Wrap\n\n## 第一节\n\ntext\n\n## 第一节\n\n### Hello, World 2!\n\n#### 2024 Outlook\n\n##### 半导体 ETF\n',
    ).html;
    expect(headingsOf(html)).toEqual([
      { level: 1, text: 'Market Wrap', anchor: 'market-wrap' },
      { level: 2, text: '第一节', anchor: 'section' },
      { level: 2, text: '第一节', anchor: 'section-1' },
      { level: 3, text: 'Hello, World 2!', anchor: 'hello-world-2' },
      { level: 4, text: '2024 Outlook', anchor: 'outlook' },
      { level: 5, text: '半导体 ETF', anchor: 'etf' },
    ]);
  });

  test('raw HTML headings: entities decoded, inline markup kept as text, empty ones left out', () => {
    const html = render('<h2>Risk &amp; <b>Return</b></h2>\n\n<h3>  </h3>\n\n<h6>a\n  b</h6>\n').html;
    expect(headingsOf(html)).toEqual([
      { level: 2, text: 'Risk & Return', anchor: 'risk--return' },
      { level: 6, text: 'a b', anchor: 'a-b' },
    ]);
  });

  test('hostile HTML: unclosed and nested headings, script in a heading, no headings', () => {
    // A heading inside a heading is part of its text: one entry, never two overlapping ones.
    expect(headingsOf(render('<h2>open <h3>inner</h3> tail').html)).toEqual([
      { level: 2, text: 'open inner tail', anchor: 'open-inner-tail' },
    ]);
    // Cut off at the end, as a browser closes it.
    expect(headingsOf('<h1>cut off')).toEqual([{ level: 1, text: 'cut off', anchor: 'cut-off' }]);
    const scripted = headingsOf(render('<h2>safe<script>alert(1)</script></h2>').html);
    expect(scripted).toEqual([{ level: 2, text: 'safe', anchor: 'safe' }]);
    expect(headingsOf(render('just text, **bold**').html)).toEqual([]);
    expect(headingsOf('')).toEqual([]);
  });
});
