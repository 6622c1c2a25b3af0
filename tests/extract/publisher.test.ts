import { extract } from '../../src/ingest/extract';

const publisher = (body: string, tags: string[] = []) => extract({ body, tags }).publisher;

describe('publisher', () => {
  test('from a digest whose only source is a trailing （上海证券报）', () => {
    const body = '> 据悉，蔚来成为国内首家使用HFO-1234yf制冷剂的汽车企业。（上海证券报）\n\n<p>正文没有来源。</p>';
    expect(publisher(body, ['东财滚动新闻'])).toBe('上海证券报');
  });

  test('a multi-line digest ends at its last > line', () => {
    expect(publisher('> 第一行\n> 第二行。(证券时报)  \n\n正文')).toBe('证券时报');
  });

  test('only the 东财滚动新闻 tag: no outlet', () => {
    expect(publisher('<p>正文</p>', ['东财滚动新闻'])).toBeNull();
    expect(publisher('', [])).toBeNull();
  });

  test('an X新闻 tag names X', () => {
    expect(publisher('<p>正文</p>', ['西宁晚报新闻'])).toBe('西宁晚报');
    expect(publisher('<p>正文</p>', ['新闻', '东财滚动新闻', '财经'])).toBeNull();
  });

  test('priority: source line, then digest, then tag', () => {
    const body = '> 摘要。（证券时报）\n\n<p class="em_media">（文章来源：中国证券报）</p>';
    expect(publisher(body, ['西宁晚报新闻'])).toBe('中国证券报');
    expect(publisher('> 摘要。（证券时报）\n\n<p>正文</p>', ['西宁晚报新闻'])).toBe('证券时报');
  });

  test('markup is stripped and both widths of parenthesis and colon work', () => {
    const linked =
      '<span id="bk_90.BK0473"><a class="keytip" data-code="90,BK0473">证券</a></span><span id="bkquote_90.BK0473"></span>';
    expect(publisher(`<p class="em_media">（文章来源：上海${linked}报）</p>`)).toBe('上海证券报');
    expect(publisher('<p>(文章来源: 新华社 )</p>')).toBe('新华社');
    expect(publisher(`> 摘要。（上海${linked}报）`)).toBe('上海证券报');
  });

  test('empty or absurd values fall through', () => {
    expect(publisher('<p>（文章来源：）</p>', ['西宁晚报新闻'])).toBe('西宁晚报');
    expect(publisher(`<p>（文章来源：${'很'.repeat(31)}）</p>`)).toBeNull();
    expect(publisher('> 摘要。（记者 张三）')).toBeNull();
    expect(publisher('> 摘要。（完）')).toBeNull();
    expect(publisher('> 摘要（注：单位为亿元）。')).toBeNull();
  });

  test('a trailing parenthesis that is not at the end of the digest is not an outlet', () => {
    expect(publisher('> 据（上海证券报）报道，某事发生。\n\n正文（上海证券报）')).toBeNull();
  });
});
