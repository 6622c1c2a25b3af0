import fs from 'node:fs';
import path from 'node:path';
import { render } from '../../src/ingest/render';
import { SEED } from '../helpers/db';

const body = (rel: string) =>
  fs
    .readFileSync(path.join(SEED, rel), 'utf8')
    .split(/^---\s*$/m)
    .slice(2)
    .join('---');

describe('the real posts', () => {
  test('China Unicom post: text without markup, hidden placeholders dropped, source link', () => {
    const r = render(body('old_post/2022-06-16-NW202206162414061171.md'));
    expect(r.sourceUrl).toBe('http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202206162414061171');
    expect(r.text).toContain('6月15日，省委书记');
    expect(r.text).toContain('（文章来源：西宁晚报）');
    expect(r.text).not.toMatch(/<[a-z]/i);
    expect(r.text).not.toContain('K图');
    expect(r.html).not.toMatch(/display:\s*none|style=/);
    expect(r.html).toContain('<a href="http://quote.eastmoney.com/unify/r/1.600050"');
    expect(Array.from(r.excerpt).length).toBeLessThanOrEqual(201);
    expect(r.excerpt.endsWith('…')).toBe(true);
  });

  test('NIO post: the digest is the excerpt, entities decoded in text, escaped in html', () => {
    const r = render(body('_posts/2022-05-26-202205262391921712.md'));
    expect(r.excerpt).toBe(
      '据霍尼韦尔官网消息，5月24日，霍尼韦尔宣布为蔚来旗下ET7新能源汽车提供HFO-1234yf(四氟丙烯)制冷剂。据悉，这也标志着蔚来成为国内首家使用HFO-1234yf制冷剂的汽车企业。（上海证券报）',
    );
    expect(r.html).toContain('<blockquote>');
    expect(r.text).toContain('《<蒙特利尔议定书>基加利修正案》');
    expect(r.html).toContain('&lt;蒙特利尔议定书&gt;');
    expect(r.sourceUrl).toBe('http://finance.eastmoney.com/news/1354,202205262391921712.html');
  });

  test('the malformed twin has an empty <> line, which is no source link', () => {
    expect(render(body('_posts/-202205262391921712.md')).sourceUrl).toBeNull();
  });

  test('a short Markdown post', () => {
    const r = render(body('_posts/2021-12-08-202112082206672930.md'));
    expect(r.excerpt).toBe('离岸人民币兑美元升至6.3512，为2018年以来最高水平。');
    expect(r.html).toContain('<a href="http://finance.eastmoney.com/news/11060,202112082206672930.html"');
  });
});

describe('hostile HTML never survives into Post.html', () => {
  const attacks = [
    '<script>alert(1)</script>',
    '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
    '<scr<script>ipt>alert(1)</scr</script>ipt>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)><circle/></svg>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name=a></form>',
    '<style>body{display:none}</style>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div onclick="alert(1)" onmouseover=alert(1)>x</div>',
    '<!-- <script>alert(1)</script> --><!--<!-- nested -->-->',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<a href="https://ok.example" target="_blank" onfocus="alert(1)" autofocus>ok</a>',
    '[x](javascript:alert(1))',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<p><unclosed <b>bold',
  ];

  test.each(attacks)('%s', (attack) => {
    const { html } = render(`前文\n\n${attack}\n\n后文`);
    expect(html).not.toMatch(/<\s*(script|style|iframe|object|embed|form|input|svg|math|meta|base)\b/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/(href|src)\s*=\s*"\s*(javascript|vbscript|data):/i);
    expect(html).not.toMatch(/style\s*=/i);
    // An unclosed <style> swallows the rest as style text, as it would in a browser.
    if (!/<style>(?![\s\S]*<\/style>)/.test(attack)) expect(html).toContain('后文');
  });

  test('http(s), protocol-relative and relative links and images survive', () => {
    const { html } = render(
      '<a href="https://a.example/x">a</a> <a href="//b.example/y">b</a> [c](/c.html) <img src="https://img.example/i.jpg" alt="i">',
    );
    expect(html).toContain('href="https://a.example/x"');
    expect(html).toContain('href="//b.example/y"');
    expect(html).toContain('href="/c.html"');
    expect(html).toContain('src="https://img.example/i.jpg"');
  });

  test('a 10 MB body renders without blowing up', () => {
    const big = `<p>${'中文段落'.repeat(100000)}</p>\n`.repeat(6);
    const r = render(big);
    expect(r.text.length).toBeGreaterThan(2_000_000);
    expect(r.excerpt.endsWith('…')).toBe(true);
  });
});
