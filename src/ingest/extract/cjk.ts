// Character classes and word lists for finding where a name starts in unspaced Chinese text.

/** CJK unified ideographs (basic, extension A, compatibility). */
export function isHan(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

function isAsciiLetter(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Characters a stock short name is made of: 巨化股份, *ST康美, 万科A, TCL科技, 三叶草生物-B. */
export function isStockNameChar(ch: string): boolean {
  return isHan(ch) || isAsciiLetter(ch) || ch === '*' || ch === '＊' || ch === '-';
}

/** Characters a company's legal name is made of (digits and punctuation end it). */
export function isCompanyNameChar(ch: string): boolean {
  return isHan(ch) || (ch >= 'A' && ch <= 'Z');
}

export function hanCount(s: string): number {
  let n = 0;
  for (const ch of s) if (isHan(ch)) n++;
  return n;
}

/**
 * The run of `isNameChar` characters ending just before `end`, at most `max` long.
 * `truncated` tells whether the run went on further left (its true start is unknown).
 */
export function runBefore(
  text: string,
  end: number,
  isNameChar: (ch: string) => boolean,
  max: number,
): { start: number; truncated: boolean } {
  let start = end;
  while (start > 0 && end - start < max && isNameChar(text[start - 1])) start--;
  return { start, truncated: start > 0 && end - start >= max && isNameChar(text[start - 1]) };
}

/** Units and date parts that follow a number: in 2021年12月8日上海… the 日 is not part of a name. */
const AFTER_NUMBER = new Set(['年', '月', '日', '号', '时', '万', '亿', '元', '个', '家', '名', '位', '多', '余']);

/** Move a run's start past a unit that belongs to the number just before it. */
export function skipUnitAfterNumber(text: string, start: number, end: number): number {
  let s = start;
  while (s < end && s > 0 && /[0-9０-９]/.test(text[s - 1]) && AFTER_NUMBER.has(text[s])) s++;
  return s;
}

/**
 * Index just after the last `words` occurrence in `s` (0 when none): what precedes such a word
 * belongs to the sentence, not to the name that follows.
 */
export function leadInEnd(s: string, words: readonly string[]): number {
  const byLast = indexByLastChar(words);
  // Scan from the right: the first word found ending at j has the largest end.
  for (let j = s.length; j > 0; j--) {
    const candidates = byLast.get(s[j - 1]);
    if (candidates?.some((w) => s.endsWith(w, j))) return j;
  }
  return 0;
}

const lastCharIndexes = new WeakMap<readonly string[], Map<string, string[]>>();

/** Words grouped by their last character, so a scan checks only the words that can end at a position. */
function indexByLastChar(words: readonly string[]): Map<string, string[]> {
  let index = lastCharIndexes.get(words);
  if (!index) {
    index = new Map();
    for (const w of words) {
      const last = w[w.length - 1];
      index.set(last, [...(index.get(last) ?? []), w]);
    }
    lastCharIndexes.set(words, index);
  }
  return index;
}

/** Strip `leading` words from the start, repeatedly, while at least `keep` characters remain. */
export function stripLeading(s: string, leading: readonly string[], keep: number): string {
  let out = s;
  for (let changed = true; changed;) {
    changed = false;
    for (const w of leading) {
      if (out.startsWith(w) && out.length - w.length >= keep) {
        out = out.slice(w.length);
        changed = true;
        break;
      }
    }
  }
  return out;
}

/** Drop a clause lead-in from the front of a name candidate (cut after the last lead-in, then strip). */
export function trimLeadIn(
  candidate: string,
  cutAfter: readonly string[],
  leading: readonly string[],
  keep: number,
): string {
  return stripLeading(candidate.slice(leadInEnd(candidate, cutAfter)), leading, keep);
}

/** Sentence words that end a clause lead-in before a name, wherever they occur in the run. */
const LEAD_IN_PHRASES = [
  '控股子公司',
  '全资子公司',
  '参股公司',
  '子公司',
  '孙公司',
  '母公司',
  '控股股东',
  '股东',
  '旗下',
  '还与',
  '并与',
  '以及',
  '其中',
  '包括',
  '例如',
  '比如',
  '据悉',
  '目前',
  '此外',
  '另外',
  '同时',
  '具体来看',
  '来看',
  '宣布',
  '表示',
  '公告',
  '披露',
  '透露',
  '签署',
  '签约',
  '携手',
  '联手',
  '收购',
  '入股',
  '通过',
  '成为',
  '作为',
  '认为',
  '称为',
  '关注',
  '看好',
  '推荐',
  '个股',
  '记者',
  '报道',
  '消息',
  '起诉',
  '状告',
  '变更为',
  '更名为',
  '名称为',
  '改名为',
  '持有',
  '拥有',
  '出资',
  '设立',
  '转让',
  '受让',
  // Broker notes: 下调港交所(00388.HK), 首予信义能源(03868), 维持渣打集团(2888.HK).
  '下调',
  '上调',
  '首予',
  '维持',
  '给予',
  '重申',
  '预计',
  '预期',
  '覆盖',
];

/**
 * Stock short names: single-character function words are only stripped at the start, and the ones
 * that begin real names (和而泰, 同花顺, 向日葵, 如通股份) are left alone.
 */
export const STOCK_CUT_AFTER: readonly string[] = LEAD_IN_PHRASES;
export const STOCK_LEADING: readonly string[] = [
  '与',
  '及',
  '对',
  '由',
  '据',
  '该',
  '将',
  '被',
  '把',
  '从',
  '并',
  '还',
  '或',
  '即',
  '在',
  '为',
  '其',
  '于',
  '是',
];

/**
 * Words that end a description before a name ("白酒股龙头贵州茅台", "有研稀土为有研新材", "概念股中青宝"),
 * too common inside names to cut at everywhere (大为股份, 巨化股份): used only when the run is too long
 * to be a name.
 */
const OVERLONG_CUT: readonly string[] = ['龙头', '巨头', '白马', '公司', '企业', '的', '为', '是', '股'];
/** A tail that is one of these is a name's ending, not a name: "公司大为股份" is not 股份. */
const GENERIC_TAILS = new Set([
  '股份',
  '控股',
  '集团',
  '科技',
  '银行',
  '证券',
  '保险',
  '实业',
  '发展',
  '电子',
  '医药',
  '能源',
]);

/**
 * The name at the end of a run too long to be one: the tail after the rightmost cut word that has
 * 2..`maxHan` Han characters and is not a generic ending; null when there is none.
 */
export function nameAtEndOfOverlong(run: string, maxHan: number, maxLength: number): string | null {
  for (let j = run.length - 1; j > 0; j--) {
    const cut = OVERLONG_CUT.find((w) => run.endsWith(w, j));
    if (!cut) continue;
    const tail = stripLeading(run.slice(j), STOCK_LEADING, 2);
    const han = hanCount(tail);
    if (han > maxHan || tail.length > maxLength) return null;
    if (han >= 2 && !GENERIC_TAILS.has(tail)) return tail;
  }
  return null;
}

/**
 * Company legal names start with a place or brand; these words almost never occur inside one.
 * 公司 before the suffix ends a description (小米关联公司瀚星创业投资有限公司).
 */
export const COMPANY_CUT_AFTER: readonly string[] = [
  ...LEAD_IN_PHRASES,
  '公司',
  '与',
  '及',
  '由',
  '该',
  '被',
  '把',
  '是',
];
/** Only at the start: these also occur inside names (利宏数据, 同方, 和辉光电). */
export const COMPANY_LEADING: readonly string[] = [
  '据',
  '和',
  '同',
  '向',
  '对',
  '在',
  '为',
  '将',
  '其',
  '并',
  '还',
  '或',
  '于',
  '从',
  '给',
  '让',
  '经',
  '即',
  '也',
  '已',
];
