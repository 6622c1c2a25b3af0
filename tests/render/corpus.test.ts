// Every real post renders safely, with plain text and excerpts that follow the rules.
import { render } from '../../src/ingest/render';
import { sanitizeWithText } from '../../src/ingest/render/sanitize';
import { postBody, postFiles, unsafeParts } from './safety';

const files = [...postFiles('_posts'), ...postFiles('old_post')];

describe.each(files)('%s', (rel) => {
  const body = postBody(rel);
  const r = render(body);

  test('html is within the policy and stable when sanitized again', () => {
    expect(unsafeParts(r.html)).toEqual([]);
    expect(sanitizeWithText(r.html).html).toBe(r.html);
  });

  test('text has no markup, no blank lines, no untrimmed lines', () => {
    expect(r.text).not.toMatch(/<\/?[a-z][a-z0-9-]*(\s[^>]*)?>/i);
    expect(r.text).not.toMatch(/&(lt|gt|amp|quot|nbsp|#\d+);/);
    for (const line of r.text.split('\n')) {
      expect(line).toBe(line.trim());
      expect(line).not.toBe('');
      expect(line).not.toMatch(/\s{2}/);
    }
  });

  test('excerpt is a trimmed prefix-like summary of at most 200 code points plus an ellipsis', () => {
    const cps = Array.from(r.excerpt);
    expect(cps.length).toBeLessThanOrEqual(201);
    if (cps.length === 201) expect(cps[200]).toBe('…');
    expect(r.excerpt).toBe(r.excerpt.trim());
    if (r.text !== '') expect(r.excerpt).not.toBe('');
    const head = r.excerpt.replace(/…$/, '');
    expect(r.text.includes(head.split('\n')[0])).toBe(true);
  });

  test('source link is the first bare autolink line', () => {
    const line = body.split(/\r?\n/).find((l) => /^ {0,3}<https?:\/\/[^\s<>]+>\s*$/i.test(l));
    expect(r.sourceUrl).toBe(line ? line.trim().slice(1, -1) : null);
    if (r.sourceUrl) expect(r.text).toContain(r.sourceUrl);
  });

  test('image alt texts are not text', () => {
    expect(r.text).not.toMatch(/K图|\bImage\b/);
  });
});

describe('specific real posts', () => {
  test('China Unicom (raw HTML first): hidden placeholders gone, charts kept, centered paragraphs', () => {
    const r = render(postBody('old_post/2022-06-16-NW202206162414061171.md'));
    expect(
      r.html.startsWith(
        '<p align="center"><a href="http://quote.eastmoney.com/unify/r/1.600050" rel="nofollow noopener"><img src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=1.600050&amp;imageType=k',
      ),
    ).toBe(true);
    expect(r.html).toContain('alt="K图 600050_0" width="578" height="276" />');
    expect(r.html).not.toContain('<p><br />');
    expect(r.html).toContain('<p>（文章来源：西宁晚报）</p>');
    expect(r.html).toContain(
      '<a href="//finews.withounder.com/category/xiningwanbao.html" rel="nofollow noopener">返回西宁晚报新闻</a>',
    );
    expect(r.text.split('\n')[0]).toBe(
      '6月15日，省委书记、省人大常委会主任信长星，省委副书记、省长吴晓军在西宁与中国联通党组书记、董事长刘烈宏一行座谈。',
    );
    expect(r.text.split('\n').slice(-3)).toEqual([
      '（文章来源：西宁晚报）',
      'http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202206162414061171',
      '返回西宁晚报新闻｜返回首页',
    ]);
    // The excerpt is the whole first block (the HTML), shortened.
    expect(r.excerpt.startsWith('6月15日，省委书记')).toBe(true);
    expect(Array.from(r.excerpt)).toHaveLength(201);
    expect(r.excerpt.endsWith('感…')).toBe(true);
  });

  test('NIO post: stock spans flattened, <center> becomes a centered div, markup stripped from the publisher', () => {
    const r = render(postBody('_posts/2022-05-26-202205262391921712.md'));
    expect(r.html).toContain(
      '为<a href="http://quote.eastmoney.com/unify/r/106.NIO" rel="nofollow noopener">蔚来</a>旗下',
    );
    expect(r.html).toContain(
      '<div align="center"><img src="https://dfscdn.dfcfw.com/download/D24676903417074885805_w800h555.jpg" alt="Image" width="552" /></div>',
    );
    expect(r.html).toContain('<p align="center">图片来源：霍尼韦尔官网</p>');
    expect(r.html).not.toMatch(/<span|<center|class=|data-code|target=/);
    expect(r.text).toContain('\n（文章来源：上海证券报）\n');
    expect(r.text).toContain('\n什么是HFO-1234yf\n');
    expect(r.text.split('\n')[0]).toBe(r.excerpt);
  });

  test('the malformed twin renders like the original but has no source link', () => {
    const twin = render(postBody('_posts/-202205262391921712.md'));
    const original = render(postBody('_posts/2022-05-26-202205262391921712.md'));
    expect(twin.sourceUrl).toBeNull();
    expect(twin.excerpt).toBe(original.excerpt);
    expect(twin.text).toContain('\n<>\n');
  });

  test('site news post with a blank line after the front matter', () => {
    const r = render(postBody('_posts/2021-12-01-init.md'));
    expect(r).toEqual({ html: '<p>祝贺开站</p>', text: '祝贺开站', excerpt: '祝贺开站', sourceUrl: null });
  });

  test('old short post: two links on two lines stay one paragraph, joined by a space', () => {
    const r = render(postBody('old_post/2021-12-08-202112082206672930.md'));
    expect(r.text).toBe(
      '离岸人民币兑美元升至6.3512，为2018年以来最高水平。\nhttp://finance.eastmoney.com/news/11060,202112082206672930.html\n返回东财滚动新闻 返回首页',
    );
    expect(r.excerpt).toBe('离岸人民币兑美元升至6.3512，为2018年以来最高水平。');
  });
});
