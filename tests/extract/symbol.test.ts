import { parseSymbolQuery } from '../../src/ingest/extract/symbol';

const exact = (input: string) => {
  const q = parseSymbolQuery(input);
  if (q.kind !== 'exact') throw new Error(`${input}: ${JSON.stringify(q)}`);
  return q.ref;
};
const candidates = (input: string) => {
  const q = parseSymbolQuery(input);
  if (q.kind !== 'code') throw new Error(`${input}: ${JSON.stringify(q)}`);
  return { code: q.code, symbols: q.candidates.map((c) => c.symbol) };
};

describe('parseSymbolQuery', () => {
  const UNICOM = { symbol: '600050.SH', code: '600050', market: 'SH', marketId: 1, exchange: 'SSE', secid: '1.600050' };

  test.each(['600050.SH', 'SH600050', 'sh600050', '1.600050', '600050.sh', '  SH600050\t', 'Sh600050'])(
    'exact A-share: %j',
    (input) => expect(exact(input)).toEqual(UNICOM),
  );

  test('other exact forms', () => {
    expect(exact('00762.HK')).toEqual({
      symbol: '00762.HK',
      code: '00762',
      market: 'HK',
      marketId: 116,
      exchange: 'HKEX',
      secid: '116.00762',
    });
    expect(exact('HK00762')).toEqual(exact('00762.HK'));
    expect(exact('hk762').symbol).toBe('00762.HK');
    expect(exact('116.762').symbol).toBe('00762.HK');
    expect(exact('106.NIO')).toEqual({
      symbol: 'NIO.US',
      code: 'NIO',
      market: 'US',
      marketId: 106,
      exchange: 'NYSE',
      secid: '106.NIO',
    });
    expect(exact('105.aapl')).toMatchObject({ symbol: 'AAPL.US', exchange: 'NASDAQ' });
    expect(exact('NIO.US')).toEqual({
      symbol: 'NIO.US',
      code: 'NIO',
      market: 'US',
      marketId: null,
      exchange: null,
      secid: null,
    });
    expect(exact('nio.us').symbol).toBe('NIO.US');
    expect(exact('0.000001')).toMatchObject({ symbol: '000001.SZ', exchange: 'SZSE' });
    expect(exact('000001.SH')).toMatchObject({ symbol: '000001.SH', secid: '1.000001' });
    expect(exact('0.830799')).toMatchObject({ symbol: '830799.BJ', market: 'BJ', exchange: 'BSE', secid: '0.830799' });
    expect(exact('830799.BJ')).toEqual(exact('0.830799'));
    expect(exact('BJ830799')).toEqual(exact('0.830799'));
    // Unknown market ids, both as a secid and in the canonical form extract() produces.
    expect(exact('155.XYZ')).toEqual({
      symbol: 'XYZ.M155',
      code: 'XYZ',
      market: 'M155',
      marketId: 155,
      exchange: null,
      secid: '155.XYZ',
    });
    expect(exact('xyz.m155')).toEqual(exact('155.XYZ'));
  });

  test('bare codes give candidates, the prefix market first', () => {
    expect(candidates('600050')).toEqual({ code: '600050', symbols: ['600050.SH', '600050.SZ'] });
    expect(candidates('000001')).toEqual({ code: '000001', symbols: ['000001.SZ', '000001.SH'] });
    expect(candidates(' 300343 ')).toEqual({ code: '300343', symbols: ['300343.SZ', '300343.SH'] });
    expect(candidates('830799')).toEqual({ code: '830799', symbols: ['830799.BJ', '830799.SH', '830799.SZ'] });
    expect(candidates('510300')).toEqual({ code: '510300', symbols: ['510300.SH', '510300.SZ'] });
    expect(candidates('00762')).toEqual({ code: '00762', symbols: ['00762.HK'] });
    expect(candidates('0700')).toEqual({ code: '00700', symbols: ['00700.HK'] });
    expect(candidates('NIO')).toEqual({ code: 'NIO', symbols: ['NIO.US'] });
    expect(candidates('nio')).toEqual({ code: 'NIO', symbols: ['NIO.US'] });
    const q = parseSymbolQuery('600050');
    expect(q.kind === 'code' && q.candidates[0]).toEqual(UNICOM);
  });

  test.each([
    '',
    '   ',
    '6000501',
    '600050.XX',
    '600050.HK',
    'NIO.SH',
    'SH60005',
    'SH6000500',
    'HK123456',
    '90.BK0493',
    '1.6000',
    '1.NIO',
    'TOOLONG',
    '中国联通',
    '600050 SH',
    '1..600050',
    'SH.600050',
    '-1.600050',
    'x'.repeat(100),
  ])('invalid: %j', (input) => {
    const q = parseSymbolQuery(input);
    expect(q.kind).toBe('invalid');
    if (q.kind === 'invalid') expect(q.reason).toMatch(/600050\.SH.*SH600050.*1\.600050.*00762\.HK.*NIO\.US.*106\.NIO/);
  });

  test('a board secid says it is a board', () => {
    const q = parseSymbolQuery('90.BK0493');
    expect(q.kind === 'invalid' && q.reason).toMatch(/board/);
  });

  test('non-string input is invalid, not a crash', () => {
    expect(parseSymbolQuery(undefined as unknown as string).kind).toBe('invalid');
  });
});
