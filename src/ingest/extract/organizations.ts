// Companies named by their legal name in plain text: 青海盐湖工业股份有限公司, 黄河上游水电开发有限公司.
import {
  COMPANY_CUT_AFTER,
  COMPANY_LEADING,
  hanCount,
  isCompanyNameChar,
  isHan,
  leadInEnd,
  runBefore,
  skipUnitAfterNumber,
  stripLeading,
} from './cjk';

export interface CompanyHit {
  name: string;
  start: number;
  end: number;
}

// Alternation order matters: at 股 the longer 股份有限公司 wins; at 有 有限责任公司 is tried first.
const SUFFIX = /股份有限公司|有限责任公司|有限公司/g;

/** Legal names rarely exceed this before the suffix; a longer run has no findable start. */
const MAX_PREFIX = 24;
const MIN_PREFIX = 4;
/** How far left to look for the start of a name (a clause lead-in may precede it). */
const MAX_RUN = 40;
/** XX有限公司青海省分公司 names a branch: 分公司 within a short place name after the suffix. */
const BRANCH_PLACE = 5;
const NOT_IN_PLACE = new Set(['与', '和', '及', '还', '并', '向', '同', '对', '在', '为', '将']);

/**
 * The name part before the suffix: a run of Han (and capital Latin: TCL, ABB) characters that starts
 * after punctuation, digits, spaces or a block boundary. One parenthesised place may sit inside:
 * 腾讯科技（深圳）有限公司.
 */
function prefixBefore(text: string, end: number): { start: number; truncated: boolean } {
  const c = text[end - 1];
  if (c === '）' || c === ')') return parenthesised(text, end - 1, end);
  return runBefore(text, end, isCompanyNameChar, MAX_RUN);
}

/** `end - 1` is a closing parenthesis: include `（place）` and the run before it. */
function parenthesised(text: string, closeIdx: number, end: number): { start: number; truncated: boolean } {
  const inner = runBefore(text, closeIdx, isHan, 6);
  const openIdx = inner.start - 1;
  if (inner.start === closeIdx || openIdx < 0 || (text[openIdx] !== '（' && text[openIdx] !== '(')) {
    return { start: end, truncated: false };
  }
  const outer = runBefore(text, openIdx, isCompanyNameChar, MAX_RUN);
  return outer.start === openIdx ? { start: end, truncated: false } : outer;
}

function isBranchAfter(text: string, end: number): boolean {
  for (let i = end; i < text.length && i - end <= BRANCH_PLACE && isHan(text[i]); i++) {
    if (text.startsWith('分公司', i)) return true;
    if (NOT_IN_PLACE.has(text[i])) return false;
  }
  return false;
}

/**
 * Company names in text, in order. Precision over recall: the left boundary is where the run of name
 * characters starts, minus any clause lead-in (与, 还与, 旗下, 控股子公司 …); candidates that are too
 * short, too long, generic (某/公司 inside) or a branch (…分公司) are dropped.
 */
export function findCompanies(text: string): CompanyHit[] {
  const hits: CompanyHit[] = [];
  // A name never reaches back over the previous suffix (A有限公司起诉B有限公司).
  let floor = 0;
  SUFFIX.lastIndex = 0;
  for (let m = SUFFIX.exec(text); m !== null; m = SUFFIX.exec(text)) {
    const suffixStart = m.index;
    const end = suffixStart + m[0].length;
    const previousEnd = floor;
    floor = end;
    if (isBranchAfter(text, end)) continue;
    const found = prefixBefore(text, suffixStart);
    const run = found.start < previousEnd ? { start: previousEnd, truncated: false } : found;
    const rawPrefix = text.slice(skipUnitAfterNumber(text, run.start, suffixStart), suffixStart);
    if (rawPrefix.length < MIN_PREFIX) continue;
    // The parenthesised place (（深圳）) is part of the name; lead-ins can only be in front of it.
    const paren = Math.max(rawPrefix.lastIndexOf('（'), rawPrefix.lastIndexOf('('));
    const head = paren === -1 ? rawPrefix : rawPrefix.slice(0, paren);
    const tail = paren === -1 ? '' : rawPrefix.slice(paren);
    const cut = leadInEnd(head, COMPANY_CUT_AFTER);
    // A run cut off by the length limit has an unknown start unless a lead-in marks it.
    if (run.truncated && cut === 0) continue;
    const prefix = stripLeading(head.slice(cut), COMPANY_LEADING, MIN_PREFIX) + tail;
    const bare = prefix.replace(/[（）()]/g, '');
    if (bare.length < MIN_PREFIX || bare.length > MAX_PREFIX || hanCount(bare) < 2) continue;
    if (bare.includes('公司') || bare.includes('某')) continue;
    hits.push({ name: prefix + m[0], start: suffixStart - prefix.length, end });
  }
  return hits;
}
