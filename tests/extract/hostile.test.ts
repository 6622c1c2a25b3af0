import { extract } from '../../src/ingest/extract';

const run = (body: string, tags: string[] = []) => extract({ body, tags });
const symbols = (body: string) => run(body).stocks.map((s) => s.symbol);

const link = (dataCode: string, text: string, cls = 'em_stock_key_common') =>
  `<span web="1" class="${cls}" data-code="${dataCode}">${text}</span>`;

describe('bare numbers are not stocks', () => {
  test.each([
    ['an amount', '2022年600050元的订单'],
    ['a date', '于20220526日公告，代码 600050 另计'],
    ['a phone number', '咨询电话：0971-6123456，手机13812345678'],
    ['an article id', 'news/1354,202205262391921712.html'],
    ['a decimal', '指数收于1.600050点'],
    ['a postcode in parentheses', '地址：西宁市城西区（邮编：810000），邮编(810000)'],
    ['a year-month in parentheses', '报告期(202205)营收'],
    ['a five-digit count in parentheses', '参会人数(12345)'],
    ['letters in parentheses', '全球变暖潜值(GWP)与氢氟烯烃(HFO)'],
    ['a code with a name too short to be one', '为(600050)'],
  ])('%s', (_what, body) => {
    expect(symbols(body)).toEqual([]);
  });
});

describe('markup', () => {
  test('an unknown market id keeps the link as M<id>', () => {
    const x = run(link('155,XYZ', '某某'));
    expect(x.stocks).toEqual([
      {
        symbol: 'XYZ.M155',
        code: 'XYZ',
        market: 'M155',
        marketId: 155,
        exchange: null,
        secid: '155.XYZ',
        name: '某某',
        counts: { embed: 0, link: 1, text: 0 },
      },
    ]);
  });

  test('market 0 with a Beijing code is BJ', () => {
    const [s] = run(link('0,830799', '颖泰生物')).stocks;
    expect(s).toMatchObject({ symbol: '830799.BJ', market: 'BJ', marketId: 0, exchange: 'BSE', secid: '0.830799' });
    expect(symbols(link('0,920001', 'x') + link('0,430047', 'y'))).toEqual(['920001.BJ', '430047.BJ']);
  });

  test('NASDAQ and NYSE American are US', () => {
    const x = run(link('105,AAPL', '苹果') + link('107,IMO', 'x'));
    expect(x.stocks.map((s) => [s.symbol, s.exchange])).toEqual([
      ['AAPL.US', 'NASDAQ'],
      ['IMO.US', 'NYSE American'],
    ]);
  });

  test('malformed data-code values are dropped, not guessed', () => {
    const bad = [
      'abc',
      '1,',
      ',600050',
      '1,600050,9',
      '1;600050',
      '1,60005',
      '1,6000500',
      '90,NOTBK',
      '-1,600050',
      '1,<b>',
    ];
    const body = bad.map((c) => link(c, '名字')).join('');
    expect(run(body)).toMatchObject({ stocks: [], boards: [] });
    expect(run('<a class="EmImageRemark" data-code="|1|1"><img data-code="K 600050|1|1"></a>').stocks).toEqual([]);
  });

  test('a malformed data-code falls back to the /unify/r/ href', () => {
    const body = '<a class="keytip" data-code="oops" href="http://quote.eastmoney.com/unify/r/1.600160">巨化股份</a>';
    expect(run(body).stocks).toMatchObject([{ symbol: '600160.SH', name: '巨化股份', counts: { link: 1 } }]);
  });

  test('one embed per EmImageRemark anchor (not data-code2, the img or the href)', () => {
    const embed =
      '<a href="http://quote.eastmoney.com/unify/r/1.600050" data-code="600050|1|1" data-code2="600050|1|2|" class="EmImageRemark">' +
      '<img src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=1.600050" data-code="K 600050|1|1" data-code2="K 600050|1|2|" /></a>';
    const x = run(embed + embed);
    expect(x.stocks).toMatchObject([{ symbol: '600050.SH', counts: { embed: 2, link: 0, text: 0 } }]);
  });

  test('quote_/bkquote_ spans and infokey links are ignored', () => {
    const body =
      '<span id="quote_1.600160"></span><span id="bkquote_90.BK0493"></span>' +
      '<span id="Info.3321"><a href="http://data.eastmoney.com/bbsj/" class="infokey">业绩</a></span>';
    expect(run(body)).toMatchObject({ stocks: [], boards: [], organizations: [] });
  });

  test('a link nested in a counted link is the same occurrence', () => {
    const body = `<span class="em_stock_key_common" data-code="1,600160"><a class="keytip" data-code="1,600160">巨化股份</a></span>`;
    expect(run(body).stocks[0].counts).toEqual({ embed: 0, link: 1, text: 0 });
  });

  test('links inside the em_media source line count for nothing', () => {
    const body = `<p>正文</p><p class="em_media">（文章来源：${link('1,600030', '中信证券')}报）</p>`;
    const x = run(body);
    expect(x).toMatchObject({ stocks: [], boards: [], publisher: '中信证券报' });
  });

  test('unclosed and cut-off tags do not throw or unbalance', () => {
    expect(run('<p><span class="em_stock_key_common" data-code="1,600160">巨化股份').stocks).toMatchObject([
      { symbol: '600160.SH', name: '巨化股份', counts: { link: 1 } },
    ]);
    expect(() =>
      run('<p><div><span class="keytip" data-code="1,600160">巨化</p></div></span></a><a href="1'),
    ).not.toThrow();
    expect(() => run('<<<>>><a <b </ </p></p></span>')).not.toThrow();
    const x = run(`<div>${link('1,600160', '巨化股份')}</i></b>国新文化(600636)`);
    expect(x.stocks.map((s) => [s.symbol, s.counts.link, s.counts.text])).toEqual([
      ['600160.SH', 1, 0],
      ['600636.SH', 0, 1],
    ]);
  });

  test('<script> and <style> content is ignored', () => {
    const body =
      `<script>var s = '${link('1,600050', '中国联通')}中国联通(600050)（文章来源：假报）青海假工业股份有限公司';</script>` +
      '<style>.x:before{content:"中国联通(600050)"}</style><p>正文</p>';
    expect(run(body)).toEqual({ stocks: [], boards: [], organizations: [], publisher: null });
  });

  test('non-string input does not throw', () => {
    expect(extract({ body: undefined as unknown as string, tags: null as unknown as string[] })).toEqual({
      stocks: [],
      boards: [],
      organizations: [],
      publisher: null,
    });
  });
});

describe('huge input', () => {
  // Patterns are bounded and unnested; this only checks that pathological shapes finish and stay sane.
  const MB = 1 << 20;
  test.each([
    ['digits', '1'.repeat(MB)],
    ['open parentheses', '（'.repeat(MB / 2)],
    ['name runs before parentheses', '中国联通('.repeat(MB / 6)],
    ['company suffixes', '有限公司'.repeat(MB / 4)],
    ['long Han run then a suffix', '青'.repeat(MB / 2) + '有限公司'],
    ['source-line openers', '（文章来源：'.repeat(MB / 6)],
    ['unclosed tags', '<span class="keytip" data-code="1,600160">'.repeat(MB / 40)],
    ['a digest line', `> ${'（'.repeat(MB / 2)}`],
  ])('%s', (_what, body) => {
    const x = run(body);
    expect(x.stocks.length).toBeLessThanOrEqual(1);
    expect(x.organizations.length).toBeLessThanOrEqual(1);
  });

  test('many real mentions are all counted', () => {
    const x = run('，中国联通(600050)'.repeat(50_000));
    expect(x.stocks).toMatchObject([{ symbol: '600050.SH', name: '中国联通', counts: { text: 50_000 } }]);
  });
});
