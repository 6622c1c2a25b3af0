import { extract } from '../../src/ingest/extract';
import type { Extraction, StockMention } from '../../src/ingest/types';
import { countOf, readPost, readSeed } from './helpers';

const OLD = 'old_post/2022-06-16-NW202206162414061171.md';
const NIO = '_posts/2022-05-26-202205262391921712.md';
const NIO_UNDATED = '_posts/-202205262391921712.md';

function stock(x: Extraction, symbol: string): StockMention {
  const s = x.stocks.find((m) => m.symbol === symbol);
  if (!s) throw new Error(`no ${symbol} in ${x.stocks.map((m) => m.symbol).join(', ')}`);
  return s;
}

describe(OLD, () => {
  const x = extract(readPost(OLD));

  test('stocks are exactly the two chart embeds', () => {
    expect(x.stocks.map((s) => s.symbol)).toEqual(['600050.SH', '00762.HK']);
    expect(stock(x, '600050.SH')).toEqual({
      symbol: '600050.SH',
      code: '600050',
      market: 'SH',
      marketId: 1,
      exchange: 'SSE',
      secid: '1.600050',
      name: null,
      counts: { embed: 1, link: 0, text: 0 },
    });
    expect(stock(x, '00762.HK')).toMatchObject({
      code: '00762',
      market: 'HK',
      marketId: 116,
      exchange: 'HKEX',
      secid: '116.00762',
      counts: { embed: 1, link: 0, text: 0 },
    });
  });

  test('no bare numbers and no boards', () => {
    expect(x.stocks.every((s) => /\.(SH|HK)$/.test(s.symbol))).toBe(true);
    expect(x.boards).toEqual([]);
  });

  test('publisher from the source line', () => {
    expect(x.publisher).toBe('西宁晚报');
  });

  test('companies named in text, but not the branch', () => {
    const names = x.organizations.map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['青海盐湖工业股份有限公司', '黄河上游水电开发有限公司']));
    expect(names.some((n) => n.includes('分公司') || n.includes('中国联通'))).toBe(false);
    const salt = x.organizations.find((o) => o.name === '青海盐湖工业股份有限公司')!;
    expect(salt).toEqual({ name: '青海盐湖工业股份有限公司', issues: [], counts: { embed: 0, link: 0, text: 1 } });
  });
});

describe(NIO, () => {
  const post = readPost(NIO);
  const x = extract(post);

  test('stocks are exactly NIO and the three A-shares, with no board among them', () => {
    expect(x.stocks.map((s) => s.symbol)).toEqual(['NIO.US', '600160.SH', '300343.SZ', '600636.SH']);
    expect(x.stocks.some((s) => s.code.startsWith('BK') || s.marketId === 90)).toBe(false);
  });

  test('NIO: NYSE, named 蔚来, one embed plus its links', () => {
    expect(stock(x, 'NIO.US')).toEqual({
      symbol: 'NIO.US',
      code: 'NIO',
      market: 'US',
      marketId: 106,
      exchange: 'NYSE',
      secid: '106.NIO',
      name: '蔚来',
      counts: { embed: 1, link: 2, text: 0 },
    });
  });

  test('A-share names and link counts, matching a grep of the file', () => {
    const expected: Array<[string, string, string, number]> = [
      ['600160.SH', '巨化股份', '1,600160', 3],
      ['300343.SZ', '联创股份', '0,300343', 3],
      ['600636.SH', '国新文化', '1,600636', 2],
    ];
    for (const [symbol, name, dataCode, links] of expected) {
      // Every inline link carries data-code="market,code" once; none of these sit in the source line.
      expect(countOf(post.body, `data-code="${dataCode}"`)).toBe(links);
      expect(stock(x, symbol)).toMatchObject({ name, counts: { embed: 0, link: links, text: 0 } });
    }
    expect(countOf(post.body, 'data-code="106,NIO"')).toBe(2);
    expect(countOf(post.body, 'class="EmImageRemark"')).toBe(1);
    expect(stock(x, '300343.SZ')).toMatchObject({ market: 'SZ', marketId: 0, exchange: 'SZSE', secid: '0.300343' });
  });

  test('boards are exactly 新能源 and 知识产权; 证券 in 上海证券报 is not a board', () => {
    expect(x.boards).toEqual([
      { code: 'BK0493', secid: '90.BK0493', name: '新能源', counts: { embed: 0, link: 2, text: 0 } },
      { code: 'BK0839', secid: '90.BK0839', name: '知识产权', counts: { embed: 0, link: 1, text: 0 } },
    ]);
    expect(countOf(post.body, 'data-code="90,BK0493"')).toBe(2);
    expect(countOf(post.body, 'data-code="90,BK0473"')).toBe(1); // the em_media one, ignored
  });

  test('publisher with markup stripped', () => {
    expect(x.publisher).toBe('上海证券报');
  });

  test('issuers are organizations carrying their stock counts', () => {
    expect(x.organizations).toEqual([
      { name: '蔚来', issues: ['NIO.US'], counts: { embed: 1, link: 2, text: 0 } },
      { name: '巨化股份', issues: ['600160.SH'], counts: { embed: 0, link: 3, text: 0 } },
      { name: '联创股份', issues: ['300343.SZ'], counts: { embed: 0, link: 3, text: 0 } },
      { name: '国新文化', issues: ['600636.SH'], counts: { embed: 0, link: 2, text: 0 } },
    ]);
  });
});

describe(NIO_UNDATED, () => {
  test('digest ends with （上海证券报） and the source line agrees', () => {
    const x = extract(readPost(NIO_UNDATED));
    expect(x.publisher).toBe('上海证券报');
    expect(x.stocks.map((s) => s.symbol)).toEqual(['NIO.US', '600160.SH', '300343.SZ', '600636.SH']);
  });
});

test('the post body is only read, never changed', () => {
  const post = readPost(NIO);
  const before = post.body;
  extract(post);
  expect(post.body).toBe(before);
  expect(readSeed(NIO)).toContain(before);
});
