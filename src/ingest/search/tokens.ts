// Search tokens for SQLite FTS5 (`ascii` tokenizer) and PostgreSQL that make Chinese words findable:
// CJK text is indexed as overlapping character bigrams, other letters/digits as lower-cased words;
// traditional Han characters are folded to simplified ones first (fold.ts), and every token as
// FTS5's unicode61 tokenizer would fold it (fts-fold.ts).
import { UnitWriter } from '../unit-writer';
import { foldHan } from './fold';
import { ftsKeeps, ftsTerms } from './fts-fold';

/** Scripts written without spaces between words. `ー` (U+30FC) is Common but belongs to kana words. */
export const CJK_CHARS = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}\\u30FC';

/** A CJK run (group 1), or a run of other letters, digits and marks (group 2). */
const RUN = new RegExp(`([${CJK_CHARS}]+)|([[\\p{L}\\p{N}\\p{M}]--[${CJK_CHARS}]]+)`, 'gv');
const CJK_CHAR = new RegExp(`^[${CJK_CHARS}]$`, 'v');
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;

export interface Run {
  /** The run as it appears in the NFKC-normalized text. */
  text: string;
  cjk: boolean;
  /**
   * Its tokens: bigrams (or the lone character) for CJK, the lower-cased word otherwise, each
   * folded as the index folds it (a token unicode61 would split comes as its pieces).
   */
  tokens: string[];
}

function cjkTokens(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length === 1) return chars;
  const out = new Array<string>(chars.length - 1);
  for (let i = 0; i < chars.length - 1; i++) out[i] = chars[i] + chars[i + 1];
  return out;
}

/** Runs of an already NFKC-normalized string, in order (for queries: short input). */
export function runsOf(normalized: string): Run[] {
  const runs: Run[] = [];
  for (const m of normalized.matchAll(RUN)) {
    if (m[1] !== undefined) runs.push({ text: m[1], cjk: true, tokens: cjkTokens(m[1]).flatMap(ftsTerms) });
    else runs.push({ text: m[0], cjk: false, tokens: ftsTerms(m[0].toLowerCase()) });
  }
  return runs;
}

/** True for one CJK character (a query of one is a prefix query). */
export function isCjkChar(token: string): boolean {
  return CJK_CHAR.test(token);
}

const SEPARATOR = 1;
const CJK = 2;
const WORD = 3;
/** Class of each BMP code point, filled on first sight (0 = not yet known). */
const BMP_CLASS = new Uint8Array(0x10000);

function classify(cp: number): number {
  if (cp < 0x80) {
    const lower = cp | 0x20;
    return (cp >= 0x30 && cp <= 0x39) || (lower >= 0x61 && lower <= 0x7a) ? WORD : SEPARATOR;
  }
  if (cp >= 0x4e00 && cp <= 0x9fff) return CJK; // CJK Unified Ideographs, all Han
  if (cp <= 0xffff && BMP_CLASS[cp] !== 0) return BMP_CLASS[cp];
  const ch = String.fromCodePoint(cp);
  const cls = CJK_CHAR.test(ch) ? CJK : WORD_CHAR.test(ch) ? WORD : SEPARATOR;
  if (cp <= 0xffff) BMP_CLASS[cp] = cls;
  return cls;
}

/** Whether unicode61 keeps every CJK Unified Ideograph as it is (it does today): most of a text needs no lookup. */
const HAN_KEPT = (() => {
  for (let cp = 0x4e00; cp <= 0x9fff; cp++) if (!ftsKeeps(cp)) return false;
  return true;
})();
const keeps = (cp: number) => (cp >= 0x4e00 && cp <= 0x9fff && HAN_KEPT) || ftsKeeps(cp);

/** Where indexTokens writes its output (the import runs it on every post's title and text). */
const out = new UnitWriter();

/** A token's separator: none before the first. */
function separate(): void {
  if (out.length > 0) out.push(0x20);
}

/** Whether the last indexTokens call wrote a token other than unicode61's input (see lastTokensFolded). */
let folded = false;

/**
 * Whether the last `indexTokens` call folded or split a token (a diacritic, an upper-case letter
 * JavaScript leaves alone, a code point unicode61 ends a token at). The tokens of a text where it
 * did not are the ones builds before the fold wrote.
 */
export function lastTokensFolded(): boolean {
  return folded;
}

/** A token with a code point unicode61 would fold or split at: the terms it makes, each its own token. */
function writeFolded(token: string): void {
  const terms = ftsTerms(token);
  if (terms.length !== 1 || terms[0] !== token) folded = true;
  for (const term of terms) {
    separate();
    out.copy(term, 0, term.length);
  }
}

/** A CJK character alone in its run: a token of its own. */
function writeLone(s: string, start: number, end: number, kept: boolean): void {
  if (!kept) return writeFolded(s.slice(start, end));
  separate();
  out.copy(s, start, end);
}

/**
 * Space-separated tokens to store in an FTS5 `ascii` column, in text order:
 * `中国联通(600050)` -> `中国 国联 联通 600050`; `HFO-1234yf` -> `hfo 1234yf`; `ＡＢＣ` -> `abc`;
 * `中國聯通` -> `中国 国联 联通`; `Café` -> `cafe`.
 * The same tokens as `runsOf`, by a hand-written scan written unit by unit into one buffer.
 */
export function indexTokens(text: string): string {
  const s = foldHan(text.normalize('NFKC'));
  out.reset();
  folded = false;
  let wordStart = -1;
  let wordAscii = true;
  let cjkStart = -1; // start of the previous CJK character of the current run
  let cjkKept = true; // unicode61 keeps that character as it is
  let pairs = 0;
  const endWord = (end: number): void => {
    if (!wordAscii) writeFolded(s.slice(wordStart, end).toLowerCase());
    else {
      separate();
      for (let k = wordStart; k < end; k++) {
        const c = s.charCodeAt(k);
        out.push(c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
      }
    }
    wordStart = -1;
  };
  for (let i = 0; i < s.length;) {
    const unit = s.charCodeAt(i);
    const cp = unit >= 0xd800 && unit <= 0xdbff ? s.codePointAt(i)! : unit;
    const next = i + (cp > 0xffff ? 2 : 1);
    const cls = classify(cp);
    if (cls !== WORD && wordStart >= 0) endWord(i);
    if (cls === CJK) {
      const kept = keeps(cp);
      if (cjkStart >= 0) {
        if (kept && cjkKept) {
          separate();
          out.copy(s, cjkStart, next);
        } else writeFolded(s.slice(cjkStart, next));
        pairs++;
      }
      cjkStart = i;
      cjkKept = kept;
    } else if (cjkStart >= 0) {
      if (pairs === 0) writeLone(s, cjkStart, i, cjkKept);
      cjkStart = -1;
      pairs = 0;
    }
    if (cls === WORD) {
      if (wordStart < 0) {
        wordStart = i;
        wordAscii = true;
      }
      if (cp >= 0x80) wordAscii = false;
    }
    i = next;
  }
  if (wordStart >= 0) endWord(s.length);
  if (cjkStart >= 0 && pairs === 0) writeLone(s, cjkStart, s.length, cjkKept);
  return out.toString();
}
