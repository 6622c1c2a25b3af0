// Stock codes written in plain text: 中国联通(600050), （600050.SH）, SH600050, 00700.HK, 蔚来(NIO.US).
import type { StockRef } from '../types';
import {
  hanCount,
  isStockNameChar,
  nameAtEndOfOverlong,
  runBefore,
  skipUnitAfterNumber,
  STOCK_CUT_AFTER,
  STOCK_LEADING,
  trimLeadIn,
} from './cjk';
import { namedMarket, refForAShareCode, refForNamedMarket } from './markets';

export interface TextHit {
  ref: StockRef;
  /** Short name written before the parenthesis, when there is a plausible one. */
  name: string | null;
  /** Offsets in the text: from the name (or the code) to the closing parenthesis (or the code). */
  start: number;
  end: number;
}

/** Text of a counted link element; `key` is the symbol (stocks) or secid (boards) it links to. */
export interface LinkedSpan {
  start: number;
  end: number;
  key: string;
}

/*
 * One pass over the text. Alternatives: prefixed (SH600050, HK00700), suffixed (600050.SH, NIO.US),
 * bare 5-6 digits (kept only when the context below makes it a stock). The lookbehind/lookahead keep
 * codes from being cut out of longer numbers, decimals or words (202205262391921712, 1.600050).
 * Quantifiers are bounded and never nested, so there is no catastrophic backtracking.
 */
const TOKEN =
  /(?<![0-9A-Za-z_.．])(?:([Ss][HhZz]|[Bb][Jj]|[Hh][Kk])(\d{4,6})|(\d{4,6}|[A-Z]{1,5})[.．]([Ss][HhZz]|[Bb][Jj]|[Hh][Kk]|[Uu][Ss])|(\d{5,6}))(?![0-9A-Za-z_])/g;

const OPEN = new Set(['(', '（']);
const CLOSE = new Set([')', '）']);
const SPACE = new Set([' ', '\u00a0', '\u3000', '\t']);
/** Labels that may precede a code inside the parenthesis: 中国联通（股票代码：600050）. */
const LABELS = ['股票代码', '证券代码', '港股代码', '美股代码', '代码'];

/** Words that, ending the run before `(digits)`, show the number is not a stock code. */
const NOT_A_NAME_END = [
  '邮编',
  '邮政编码',
  '电话',
  '传真',
  '手机',
  '热线',
  '编号',
  '号码',
  '代号',
  '序号',
  '账号',
  '帐号',
  '金额',
  '合计',
  '总计',
  '共计',
  '人数',
  '面积',
  '价格',
  '日期',
  '时间',
  '年份',
  '期间',
  '单位',
  '万元',
  '亿元',
  '元',
  '约',
  '达',
  '为',
  '共',
  '计',
  '至',
  '期',
  '号',
  '年',
  '月',
  '日',
];

/** Longest plausible short name: A-share names are at most four Han characters; HK/US ones run longer. */
function maxNameHan(ref: StockRef): number {
  return ref.market === 'SH' || ref.market === 'SZ' || ref.market === 'BJ' ? 4 : 8;
}

interface Wrap {
  /** Index of the opening parenthesis. */
  open: number;
  /** Index just after the closing parenthesis. */
  close: number;
  labelled: boolean;
}

function skipSpacesLeft(text: string, i: number): number {
  let l = i;
  while (l > 0 && i - l < 3 && SPACE.has(text[l - 1])) l--;
  return l;
}

/** Is text[start, end) the whole content of a parenthesis (allowing spaces and a 代码 label)? */
function wrapping(text: string, start: number, end: number): Wrap | null {
  let r = end;
  while (r < text.length && r - end < 3 && SPACE.has(text[r])) r++;
  if (r >= text.length || !CLOSE.has(text[r])) return null;
  let l = skipSpacesLeft(text, start);
  let labelled = false;
  const colon = l > 0 && (text[l - 1] === ':' || text[l - 1] === '：');
  const labelEnd = colon ? l - 1 : l;
  const label = LABELS.find((w) => labelEnd >= w.length && text.startsWith(w, labelEnd - w.length));
  if (label) {
    l = skipSpacesLeft(text, labelEnd - label.length);
    labelled = true;
  } else if (colon) {
    return null;
  }
  if (l === 0 || !OPEN.has(text[l - 1])) return null;
  return { open: l - 1, close: r + 1, labelled };
}

/** The short name directly before an opening parenthesis, or null when there is none or it is unsure. */
function nameBefore(text: string, open: number): { raw: string; name: string | null } {
  const run = runBefore(text, open, isStockNameChar, 16);
  const raw = text.slice(skipUnitAfterNumber(text, run.start, open), open);
  const trimmed = trimLeadIn(raw, STOCK_CUT_AFTER, STOCK_LEADING, 2).replace(/^-+/, '');
  return { raw, name: trimmed === '' ? null : trimmed };
}

const MAX_NAME_LENGTH = 10;

/** A candidate that fits a short name is one; a longer run may end with one after a description. */
function shortName(candidate: string, maxHan: number): string | null {
  if (hanCount(candidate) <= maxHan && candidate.length <= MAX_NAME_LENGTH) return candidate;
  return nameAtEndOfOverlong(candidate, maxHan, MAX_NAME_LENGTH);
}

function refFor(m: RegExpExecArray): { ref: StockRef | null; bare: boolean } {
  if (m[1] !== undefined) {
    const market = namedMarket(m[1]);
    return { ref: market ? refForNamedMarket(market, m[2]) : null, bare: false };
  }
  if (m[3] !== undefined) {
    const market = namedMarket(m[4]);
    return { ref: market ? refForNamedMarket(market, m[3]) : null, bare: false };
  }
  const digits = m[5];
  if (digits.length === 6) return { ref: refForAShareCode(digits), bare: true };
  // Bare five digits are an HK code only in the usual zero-led form (00700, 09988).
  return { ref: digits[0] === '0' ? refForNamedMarket('HK', digits) : null, bare: true };
}

/** Linked spans sorted by start and non-overlapping: find one overlapping [a, b), optionally with a key. */
function overlapsLinked(linked: readonly LinkedSpan[], a: number, b: number, key?: string): boolean {
  let lo = 0;
  let hi = linked.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (linked[mid].end <= a) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < linked.length && linked[i].start < b; i++) {
    if (linked[i].end > a && (key === undefined || linked[i].key === key)) return true;
  }
  return false;
}

/**
 * Stock mentions in plain text, in order. Precision over recall: a bare number is a stock only in
 * `Name(600050)` / `（代码：600050）` form with a known A-share prefix (or a zero-led HK code); codes
 * with an explicit market (`600050.SH`, `SH600050`, `NIO.US`) always count. Occurrences that lie in
 * the text of a counted link are skipped: the link already counted them.
 */
export function findTextMentions(text: string, linked: readonly LinkedSpan[] = []): TextHit[] {
  const hits: TextHit[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const codeStart = m.index;
    const codeEnd = codeStart + m[0].length;
    const { ref, bare } = refFor(m);
    if (!ref) continue;
    if (overlapsLinked(linked, codeStart, codeEnd)) continue;

    const wrap = wrapping(text, codeStart, codeEnd);
    let name: string | null = null;
    let start = codeStart;
    if (wrap) {
      const before = nameBefore(text, wrap.open);
      const endsBadly = NOT_A_NAME_END.some((w) => before.raw.endsWith(w));
      // A bare number needs a real name (two+ characters, some Han) or a 代码 label to be a stock.
      const named = before.name !== null && before.name.length >= 2 && hanCount(before.name) > 0 && !endsBadly;
      if (bare && !named && !wrap.labelled) continue;
      if (named && before.name !== null) name = shortName(before.name, maxNameHan(ref));
      start = name !== null ? wrap.open - name.length : wrap.open;
    } else if (bare) {
      continue;
    }
    const end = wrap ? wrap.close : codeEnd;
    if (overlapsLinked(linked, start, end, ref.symbol)) continue;
    hits.push({ ref, name, start, end });
  }
  return hits;
}
