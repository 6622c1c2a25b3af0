// Canonical symbols and the parser for what a user types into `stock(symbol:)`.
import type { StockRef } from '../types';
import { aShareMarketByPrefix, NamedMarket, refForNamedMarket, resolveSecid } from './markets';

export { aShareMarketByPrefix, refForAShareCode, refForNamedMarket, resolveSecid } from './markets';

export type SymbolQuery =
  | { kind: 'exact'; ref: StockRef }
  | { kind: 'code'; code: string; candidates: StockRef[] }
  | { kind: 'invalid'; reason: string };

const ACCEPTED =
  'expected a stock symbol such as 600050, 600050.SH, SH600050, 1.600050, 00762.HK, HK00762, NIO, NIO.US or 106.NIO';

function invalid(input: string, why?: string): SymbolQuery {
  const shown = input.length > 40 ? `${input.slice(0, 40)}…` : input;
  return { kind: 'invalid', reason: `${why ? `${why}; ` : ''}${ACCEPTED} (got ${JSON.stringify(shown)})` };
}

function exact(ref: StockRef | null, input: string): SymbolQuery {
  return ref ? { kind: 'exact', ref } : invalid(input);
}

// Each form is anchored and has no nested quantifiers, so matching is linear.
const SUFFIXED = /^([0-9A-Z_]{1,10})\.(SH|SZ|BJ|HK|US)$/; // 600050.SH, 00762.HK, NIO.US
const PREFIXED = /^(SH|SZ|BJ|HK)(\d{1,6})$/; //             SH600050, HK00762
const SECID = /^(\d{1,4})\.([0-9A-Z_]{1,16})$/; //          1.600050, 106.NIO, 155.XYZ
const UNKNOWN_MARKET = /^([0-9A-Z_]{1,16})\.M(\d{1,4})$/; // XYZ.M155 (our own canonical form)
const SIX_DIGITS = /^\d{6}$/;
const HK_DIGITS = /^\d{4,5}$/;
const TICKER = /^[A-Z]{1,5}$/;

/**
 * Parse user input naming a stock. Case and surrounding whitespace are ignored.
 * A bare code cannot say which market it is on, so it yields candidates for the caller to look up
 * (several existing candidates = ambiguous, e.g. `000001` is 平安银行 on SZ and the SSE index).
 */
export function parseSymbolQuery(input: string): SymbolQuery {
  const raw = typeof input === 'string' ? input : '';
  const s = raw.trim().toUpperCase();
  if (s === '') return invalid(raw, 'empty symbol');
  if (s.length > 32) return invalid(raw, 'symbol too long');

  let m = SUFFIXED.exec(s);
  if (m) return exact(refForNamedMarket(m[2] as NamedMarket, m[1]), raw);

  m = PREFIXED.exec(s);
  if (m) {
    // SH/SZ/BJ take six digits, HK up to five; anything else is a typo, not a guess.
    const market = m[1] as NamedMarket;
    if (market !== 'HK' && m[2].length !== 6) return invalid(raw, `${market} codes have six digits`);
    if (market === 'HK' && m[2].length > 5) return invalid(raw, 'HK codes have at most five digits');
    return exact(refForNamedMarket(market, m[2]), raw);
  }

  m = UNKNOWN_MARKET.exec(s);
  if (m) {
    const r = resolveSecid(Number(m[2]), m[1]);
    return r?.kind === 'stock' && r.ref.market === `M${Number(m[2])}` ? exact(r.ref, raw) : invalid(raw);
  }

  m = SECID.exec(s);
  if (m) {
    const r = resolveSecid(Number(m[1]), m[2]);
    if (r?.kind === 'board') return invalid(raw, `${r.secid} is a sector/concept board, not a stock`);
    return exact(r ? r.ref : null, raw);
  }

  if (SIX_DIGITS.test(s)) {
    // Prefix market first, then the SH/SZ alternatives (indices reuse SZ-looking codes on SH).
    const order: NamedMarket[] = [];
    const byPrefix = aShareMarketByPrefix(s);
    if (byPrefix) order.push(byPrefix);
    for (const alt of ['SH', 'SZ'] as const) if (!order.includes(alt)) order.push(alt);
    return { kind: 'code', code: s, candidates: order.map((mk) => refForNamedMarket(mk, s)!) };
  }
  if (HK_DIGITS.test(s)) {
    const ref = refForNamedMarket('HK', s)!;
    return { kind: 'code', code: ref.code, candidates: [ref] };
  }
  if (TICKER.test(s)) {
    return { kind: 'code', code: s, candidates: [refForNamedMarket('US', s)!] };
  }
  return invalid(raw);
}
