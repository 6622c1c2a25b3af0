import { extract } from '../../src/ingest/extract';
import { findTextMentions } from '../../src/ingest/extract/text-mentions';

const found = (text: string) => findTextMentions(text).map((h) => [h.ref.symbol, h.name]);

describe('text forms', () => {
  test.each([
    ['中国联通(600050)涨停', [['600050.SH', '中国联通']]],
    ['，中国联通（600050）公告', [['600050.SH', '中国联通']]],
    ['中国联通（600050.SH）', [['600050.SH', '中国联通']]],
    ['（600050.SH）', [['600050.SH', null]]],
    ['代码为600050.SZ的股票', [['600050.SZ', null]]],
    [
      '买入SH600050，卖出sz000001',
      [
        ['600050.SH', null],
        ['000001.SZ', null],
      ],
    ],
    ['00700.HK收涨', [['00700.HK', null]]],
    ['渣打集团(2888.HK)', [['02888.HK', '渣打集团']]],
    ['腾讯控股(00700)', [['00700.HK', '腾讯控股']]],
    ['蔚来(NIO.US)', [['NIO.US', '蔚来']]],
    ['三叶草生物-B(2197.HK)', [['02197.HK', '三叶草生物-B']]],
    ['中国联通（股票代码：600050）', [['600050.SH', '中国联通']]],
    ['（证券代码：300343）', [['300343.SZ', null]]],
    ['北交所颖泰生物(833819)', [['833819.BJ', null]]],
    ['颖泰生物(833819)', [['833819.BJ', '颖泰生物']]],
    ['*ST康美(600518)', [['600518.SH', '*ST康美']]],
    ['浦发银行（600000.sh）', [['600000.SH', '浦发银行']]],
  ])('%s', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  test('six-digit prefixes: 60/68/900 SH, 00/30/200 SZ, 8/4/92 BJ, anything else dropped', () => {
    expect(found('甲乙(688981)甲乙(900901)甲乙(002594)甲乙(300750)甲乙(200596)甲乙(430047)甲乙(920001)')).toEqual(
      ['688981.SH', '900901.SH', '002594.SZ', '300750.SZ', '200596.SZ', '430047.BJ', '920001.BJ'].map((s) => [
        s,
        '甲乙',
      ]),
    );
    expect(found('甲乙(510300)甲乙(123456)甲乙(202205)甲乙(700000)')).toEqual([]);
  });

  test('an explicit market beats the prefix (000001.SH is the SSE index)', () => {
    expect(found('上证指数(000001.SH)')).toEqual([['000001.SH', '上证指数']]);
  });

  test('names: lead-in words are trimmed, unsure names are left out', () => {
    expect(found('据悉，与中国联通(600050)合作')).toEqual([['600050.SH', '中国联通']]);
    expect(found('记者从中国石化（600028）获悉')).toEqual([['600028.SH', '中国石化']]);
    expect(found('12月8日钱江摩托(000913)回应')).toEqual([['000913.SZ', '钱江摩托']]);
    expect(found('里昂：下调港交所(00388.HK)目标价')).toEqual([['00388.HK', '港交所']]);
    expect(found('同花顺(300033)和而泰(002402)')).toEqual([
      ['300033.SZ', '同花顺'],
      ['002402.SZ', '和而泰'],
    ]);
  });

  test('a run too long to be a name gives the name after the description that ends it', () => {
    // The real sample's two cases.
    expect(found('12月8日，白酒股龙头贵州茅台(600519)盘中涨逾2%')).toEqual([['600519.SH', '贵州茅台']]);
    expect(found('资料显示，有研稀土为有研新材(600206)子公司。')).toEqual([['600206.SH', '有研新材']]);
    expect(found('元宇宙概念股中青宝(300052)')).toEqual([['300052.SZ', '中青宝']]);
    expect(found('港股科技龙头腾讯控股(00700)')).toEqual([['00700.HK', '腾讯控股']]);
    // A cut word inside a name that fits is no cut; a generic ending is not a name.
    expect(found('大为股份(002213)')).toEqual([['002213.SZ', '大为股份']]);
    expect(found('上市公司大为股份(002213)')).toEqual([['002213.SZ', '大为股份']]);
    // No cut word, or only a tail still too long: keep the stock, drop the name.
    expect(found('贵州省白酒企业代表品牌贵州茅台(600519)')).toEqual([['600519.SH', null]]);
    expect(found('国内最大的乳业集团内蒙古伊利实业(600887)')).toEqual([['600887.SH', null]]);
    expect(found('公司巨化股份(600160)')).toEqual([['600160.SH', '巨化股份']]);
  });

  test('the mention starts where the name does', () => {
    const [hit] = findTextMentions('白酒股龙头贵州茅台(600519)盘中');
    expect('白酒股龙头贵州茅台(600519)盘中'.slice(hit.start, hit.end)).toBe('贵州茅台(600519)');
  });

  test('codes glued to other digits or letters are not codes', () => {
    expect(found('ABCSH600050 SH6000501 X600050.SH 1600050.SH 600050.SHA')).toEqual([]);
  });
});

describe('text vs links', () => {
  const keytip = (code: string, text: string) => `<a class="keytip" data-code="${code}">${text}</a>`;

  test('a code inside the link text is the link, not a text mention', () => {
    const x = extract({ body: keytip('1,600050', '中国联通(600050)'), tags: [] });
    expect(x.stocks).toMatchObject([{ symbol: '600050.SH', name: '中国联通(600050)', counts: { link: 1, text: 0 } }]);
  });

  test('a linked name followed by its own code is one occurrence', () => {
    const x = extract({ body: `${keytip('1,600050', '中国联通')}（600050）`, tags: [] });
    expect(x.stocks).toMatchObject([{ symbol: '600050.SH', counts: { link: 1, text: 0 } }]);
  });

  test('the same stock in plain text elsewhere counts as text', () => {
    const x = extract({ body: `<p>${keytip('1,600050', '中国联通')}</p><p>此外，中国联通(600050)公告</p>`, tags: [] });
    expect(x.stocks).toMatchObject([{ symbol: '600050.SH', name: '中国联通', counts: { link: 1, text: 1 } }]);
  });

  test('text next to a link for something else still counts', () => {
    const x = extract({ body: `${keytip('90,BK0493', '新能源')}，比亚迪(002594)`, tags: [] });
    expect(x.boards).toMatchObject([{ code: 'BK0493', counts: { link: 1 } }]);
    expect(x.stocks).toMatchObject([{ symbol: '002594.SZ', name: '比亚迪', counts: { link: 0, text: 1 } }]);
  });

  test('paragraphs do not run together into one name', () => {
    const x = extract({ body: '<p>公司公告</p><p>(600050)</p>', tags: [] });
    expect(x.stocks).toEqual([]);
  });

  test('a link text is preferred over a name guessed from text; counts merge', () => {
    const x = extract({
      body: `中国联通(600050)。${keytip('1,600050', '联通')}。600050.SH`,
      tags: [],
    });
    expect(x.stocks).toMatchObject([{ symbol: '600050.SH', name: '联通', counts: { embed: 0, link: 1, text: 2 } }]);
  });
});
