// The plain text, the excerpt and the source link, rule by rule.
import { render } from '../../src/ingest/render';
import { shorten } from '../../src/ingest/render/excerpt';
import { findSourceUrl } from '../../src/ingest/render/source-url';

describe('text', () => {
  test.each([
    ['paragraphs are lines, blank lines collapse', 'a\n\n\n\nb\n\n<p>c</p>\n<p></p><div>d</div>', 'a\nb\nc\nd'],
    ['whitespace collapses within a line', '<p>  a \t b\u00a0\u00a0c\u3000d  </p>', 'a b c d'],
    ['soft line breaks are spaces, <br> breaks the line', 'a\nb<br>c<br/><br/>d', 'a b\nc\nd'],
    [
      'entities are decoded',
      '<p>&lt;蒙特利尔议定书&gt; &amp; &quot;q&quot; &#x4e2d;&#25991; &nbsp;x</p>',
      '<蒙特利尔议定书> & "q" 中文 x',
    ],
    ['Markdown escapes are decoded', '1 \\< 2 \\& `a<b`', '1 < 2 & a<b'],
    [
      'inline markup joins without spaces',
      '上海<span class="x">证券</span>报 **粗**体 [链接](http://x.example)文字',
      '上海证券报 粗体 链接文字',
    ],
    [
      'image alt texts are left out, link texts kept',
      '![图片说明](http://a/b.png) <a href="http://x"><img src="http://a/c.png" alt="K图">链接</a>',
      '链接',
    ],
    [
      'hidden elements are left out',
      '<p style="display:none;height:1px"><br/>隐藏</p><p hidden>h</p><span style="visibility:hidden">v</span>可见',
      '可见',
    ],
    [
      'script, style, template, svg, select are left out',
      '<script>s()</script><style>p{}</style><template>t</template><svg><text>g</text></svg><select><option>o</option></select>ok',
      'ok',
    ],
    ['lists and headings are lines', '# 标题\n\n- 一\n- 二\n\n1. 三', '标题\n一\n二\n三'],
    ['quotes are lines', '> 摘要\n\n正文', '摘要\n正文'],
    ['table cells are spaced, rows are lines', '| a | b |\n|---|---|\n| 1 | 2 |', 'a b\n1 2'],
    ['code blocks keep their lines', '```\nline 1\n  line 2\n\nline 4\n```', 'line 1\nline 2\nline 4'],
    ['comments are left out', 'a<!-- comment -->b', 'ab'],
  ])('%s', (_name, body, text) => {
    expect(render(body).text).toBe(text);
  });
});

describe('excerpt (Jekyll: the body up to the first blank line, rendered)', () => {
  test('the first paragraph only', () => {
    expect(render('第一段\n第一段续\n\n第二段').excerpt).toBe('第一段 第一段续');
  });

  test('the whole first block when it is raw HTML with several paragraphs', () => {
    expect(render('<p>一</p><p>二</p>\n\n<p>三</p>').excerpt).toBe('一\n二');
  });

  test('a body without a blank line is all excerpt', () => {
    expect(render('只有一段').excerpt).toBe('只有一段');
  });

  test('a first block that renders to nothing falls back to the text', () => {
    expect(render('<p style="display:none"><br/></p>\n\n正文第一段\n\n正文第二段').excerpt).toBe(
      '正文第一段\n正文第二段',
    );
    expect(render('<!-- only a comment -->\n\n正文').excerpt).toBe('正文');
    expect(render('\n\n\n正文').excerpt).toBe('正文');
  });

  test('link references defined later still resolve in the excerpt', () => {
    const r = render('见[公告][ref]。\n\n[ref]: http://example.com/notice');
    expect(r.excerpt).toBe('见公告。');
    expect(r.html).toBe('<p>见<a href="http://example.com/notice" rel="nofollow noopener">公告</a>。</p>');
  });

  test('a block that spans the first blank line is cut there, as Jekyll does', () => {
    const r = render('```\ncode 1\n\ncode 2\n```\n\nafter');
    expect(r.excerpt).toBe('code 1');
    expect(r.text).toBe('code 1\ncode 2\nafter');
  });

  test('CRLF line endings', () => {
    expect(render('第一段\r\n\r\n第二段').excerpt).toBe('第一段');
  });

  test('200 code points, then an ellipsis; astral characters count once', () => {
    const long = '𠀀'.repeat(300);
    const r = render(long);
    expect(Array.from(r.excerpt)).toHaveLength(201);
    expect(r.excerpt).toBe('𠀀'.repeat(200) + '…');
    expect(shorten('x'.repeat(200))).toBe('x'.repeat(200));
    expect(shorten('x'.repeat(199) + ' y')).toBe('x'.repeat(199) + '…');
    expect(shorten('  a  ')).toBe('a');
  });
});

describe('source link', () => {
  test.each([
    [
      '<http://finance.eastmoney.com/news/1354,202205262391921712.html>',
      'http://finance.eastmoney.com/news/1354,202205262391921712.html',
    ],
    [
      'text\n\n<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202206162414061171>\n\n[返回](//x/)',
      'http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202206162414061171',
    ],
    ['<https://a.example/1>\n<https://b.example/2>', 'https://a.example/1'],
    ['  <HTTPS://A.example/x>  \r\nmore', 'HTTPS://A.example/x'],
    ['<>', null],
    ['see <http://a.example/x> inline', null],
    ['    <http://indented.example/code>', null],
    ['<ftp://a.example/x>', null],
    ['<http://>', null],
    ['<a href="http://x.example">x</a>', null],
    ['', null],
  ])('%j', (body, url) => {
    expect(findSourceUrl(body)).toBe(url);
    expect(render(body).sourceUrl).toBe(url);
  });
});
