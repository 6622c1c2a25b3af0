// Eastmoney market ids and how a `<market>.<code>` secid becomes a StockRef or a board.
import type { StockRef } from '../types';

/** Market ids Eastmoney uses in secids, data-code attributes and `/unify/r/` links. */
export const MARKET_SH = 1;
export const MARKET_SZ = 0;
export const MARKET_HK = 116;
export const MARKET_BOARD = 90;

interface MarketInfo {
  market: string;
  exchange: string;
}

/** Fixed market ids. Market 0 also carries Beijing codes; see `resolveSecid`. */
const MARKETS: ReadonlyMap<number, MarketInfo> = new Map([
  [1, { market: 'SH', exchange: 'SSE' }],
  [0, { market: 'SZ', exchange: 'SZSE' }],
  [116, { market: 'HK', exchange: 'HKEX' }],
  [105, { market: 'US', exchange: 'NASDAQ' }],
  [106, { market: 'US', exchange: 'NYSE' }],
  [107, { market: 'US', exchange: 'NYSE American' }],
]);

/** Market short names a user or an author can write as a suffix/prefix. */
export type NamedMarket = 'SH' | 'SZ' | 'BJ' | 'HK' | 'US';

export type Resolved = { kind: 'stock'; ref: StockRef } | { kind: 'board'; code: string; secid: string };

/** Beijing Stock Exchange codes (8xxxxx, 4xxxxx, 92xxxx); Eastmoney files them under market 0. */
export function isBeijingCode(code: string): boolean {
  return /^(?:8|4|92)\d+$/.test(code);
}

/**
 * The A-share market a six-digit code belongs to by its prefix, or null when the prefix is not a
 * stock's (funds, bonds, repos). B shares are 900xxx (SH) and 200xxx (SZ): the narrower prefixes keep
 * year-months such as 202205 from reading as SZ codes.
 */
export function aShareMarketByPrefix(code: string): 'SH' | 'SZ' | 'BJ' | null {
  if (!/^\d{6}$/.test(code)) return null;
  if (/^(?:60|68|900)/.test(code)) return 'SH';
  if (/^(?:00|30|200)/.test(code)) return 'SZ';
  if (isBeijingCode(code)) return 'BJ';
  return null;
}

/** HK codes are quoted zero-padded to five digits (`00762`); accept 1-5 digits. */
export function normalizeHkCode(code: string): string | null {
  return /^\d{1,5}$/.test(code) ? code.padStart(5, '0') : null;
}

const A_SHARE_CODE = /^\d{6}$/;
const US_CODE = /^[A-Z][A-Z0-9_]{0,9}$/;
const BOARD_CODE = /^BK\d{4}$/;
const OTHER_CODE = /^[A-Z0-9_]{1,16}$/;

/**
 * A secid (`1.600050`, `116.00762`, `106.NIO`, `90.BK0493`) -> stock or board, or null when the code
 * cannot belong to that market (malformed input is dropped rather than guessed at).
 * Unknown market ids are kept as market `M<id>` so the link is not lost.
 */
export function resolveSecid(marketId: number, rawCode: string): Resolved | null {
  if (!Number.isSafeInteger(marketId) || marketId < 0) return null;
  const code = rawCode.trim().toUpperCase();
  if (marketId === MARKET_BOARD) {
    return BOARD_CODE.test(code) ? { kind: 'board', code, secid: `${marketId}.${code}` } : null;
  }
  const known = MARKETS.get(marketId);
  if (!known) {
    if (!OTHER_CODE.test(code)) return null;
    const market = `M${marketId}`;
    return {
      kind: 'stock',
      ref: { symbol: `${code}.${market}`, code, market, marketId, exchange: null, secid: `${marketId}.${code}` },
    };
  }
  let info = known;
  let finalCode = code;
  if (marketId === MARKET_SH || marketId === MARKET_SZ) {
    if (!A_SHARE_CODE.test(code)) return null;
    if (marketId === MARKET_SZ && isBeijingCode(code)) info = { market: 'BJ', exchange: 'BSE' };
  } else if (marketId === MARKET_HK) {
    const hk = normalizeHkCode(code);
    if (!hk) return null;
    finalCode = hk;
  } else if (!US_CODE.test(code)) {
    return null;
  }
  return {
    kind: 'stock',
    ref: {
      symbol: `${finalCode}.${info.market}`,
      code: finalCode,
      market: info.market,
      marketId,
      exchange: info.exchange,
      secid: `${marketId}.${finalCode}`,
    },
  };
}

/**
 * A code with an explicit market name (`600050.SH`, `SH600050`, `0700.HK`, `NIO.US`) -> StockRef.
 * The author's explicit market wins over the code prefix (`000001.SH` is the SSE index).
 * US tickers do not say which exchange, so marketId/exchange/secid stay null.
 */
export function refForNamedMarket(market: NamedMarket, rawCode: string): StockRef | null {
  const code = rawCode.trim().toUpperCase();
  switch (market) {
    case 'SH':
      if (!A_SHARE_CODE.test(code)) return null;
      return {
        symbol: `${code}.SH`,
        code,
        market: 'SH',
        marketId: MARKET_SH,
        exchange: 'SSE',
        secid: `${MARKET_SH}.${code}`,
      };
    case 'SZ':
      if (!A_SHARE_CODE.test(code)) return null;
      return {
        symbol: `${code}.SZ`,
        code,
        market: 'SZ',
        marketId: MARKET_SZ,
        exchange: 'SZSE',
        secid: `${MARKET_SZ}.${code}`,
      };
    case 'BJ':
      // Eastmoney files Beijing codes under market 0.
      if (!A_SHARE_CODE.test(code)) return null;
      return {
        symbol: `${code}.BJ`,
        code,
        market: 'BJ',
        marketId: MARKET_SZ,
        exchange: 'BSE',
        secid: `${MARKET_SZ}.${code}`,
      };
    case 'HK': {
      const hk = normalizeHkCode(code);
      if (!hk) return null;
      return {
        symbol: `${hk}.HK`,
        code: hk,
        market: 'HK',
        marketId: MARKET_HK,
        exchange: 'HKEX',
        secid: `${MARKET_HK}.${hk}`,
      };
    }
    case 'US':
      if (!US_CODE.test(code)) return null;
      return { symbol: `${code}.US`, code, market: 'US', marketId: null, exchange: null, secid: null };
  }
}

/** A-share ref for a bare six-digit code by its prefix (text mentions), or null. */
export function refForAShareCode(code: string): StockRef | null {
  const market = aShareMarketByPrefix(code);
  return market ? refForNamedMarket(market, code) : null;
}

/** `SH`/`sh`/`Sz`… -> NamedMarket, or null. */
export function namedMarket(s: string): NamedMarket | null {
  const u = s.toUpperCase();
  return u === 'SH' || u === 'SZ' || u === 'BJ' || u === 'HK' || u === 'US' ? u : null;
}
