// A short HTML-escaped window of a post's text around the first query match, matches marked.
import { foldHan } from './fold';
import { isLowSurrogate, textPrefixOf, type TextPrefix } from '../render/packed';
import { queryTerms, type QueryTerm } from './query';

export interface SnippetOptions {
  /** Window length in UTF-16 units (default 120); ellipses and markers come on top. */
  maxChars?: number;
  /** Markup put before each match (default `<mark>`). Inserted as is. */
  open?: string;
  /** Markup put after each match (default `</mark>`). Inserted as is. */
  close?: string;
  /**
   * Units of the text normalized first (default 512), more when the first match or the window
   * lies further on. The snippet does not depend on it (tests vary it).
   */
  prefix?: number;
}

const ELLIPSIS = '…';
/** Letters/digits that are not CJK: a Latin token must not continue into them. */
const WORD_CHAR = '[[\\p{L}\\p{N}\\p{M}]--[\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}]]';
/** What may stand between two runs of one term (`HFO-1234yf`, `A股`). */
const BETWEEN_RUNS = '[^\\p{L}\\p{N}]{0,8}';

/** Syntax characters only (runs hold letters/digits anyway; `v` mode rejects other escapes). */
const escapeRegExp = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const HTML_ESCAPES: Record<string, string> = { '&': '&#38;', '<': '&#60;', '>': '&#62;', '"': '&#34;', "'": '&#39;' };
/** Numeric references, valid in text and in attribute values alike. */
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
const collapse = (s: string) => s.replace(/\s+/g, ' ');

function termPattern(term: QueryTerm): string {
  const first = term.runs[0];
  const last = term.runs[term.runs.length - 1];
  const body = term.runs.map((r) => escapeRegExp(r.text)).join(BETWEEN_RUNS);
  return (first.cjk ? '' : `(?<!${WORD_CHAR})`) + body + (last.cjk ? '' : `(?!${WORD_CHAR})`);
}

/**
 * ASCII and the CJK Unified Ideographs: NFKC leaves each of them alone (tested), and they are
 * most of a Chinese text, so only the other code points are normalized.
 */
const unchangedByNfkc = (unit: number) => unit < 0x80 || (unit >= 0x4e00 && unit <= 0x9fff);

/** NFKC of single code points (a text repeats its few full-width forms); bounded. */
const nfkcOf = new Map<string, string>();
function nfkc(ch: string): string {
  let n = nfkcOf.get(ch);
  if (n === undefined) {
    n = ch.normalize('NFKC');
    if (nfkcOf.size >= 4096) nfkcOf.clear();
    nfkcOf.set(ch, n);
  }
  return n;
}

/**
 * The text in NFKC form, each code point normalized on its own, and the index in `text` of each
 * index in it (up to its length): the units a changed code point became map to its index, and the
 * units between changed code points are the text's own, shifted by a constant (what `toText`
 * looks up). A text NFKC leaves alone as a whole is left alone code point by code point too (a
 * code point NFKC changes can never stand in normalized text), so this is the text itself then.
 */
export function normalizeWithMap(text: string): { normalized: string; toText: (i: number) => number } {
  // For each changed code point but a unit that became a unit: where its units start in the
  // output and in the text, how many it became and how many it was.
  const at: number[] = [];
  const from: number[] = [];
  const became: number[] = [];
  const was: number[] = [];
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    if (unchangedByNfkc(text.charCodeAt(i))) continue;
    const len = text.codePointAt(i)! > 0xffff ? 2 : 1;
    const ch = text.slice(i, i + len);
    const n = nfkc(ch);
    if (n !== ch) {
      out += text.slice(copied, i);
      // A unit that became one unit (full-width punctuation, mostly) keeps every index in place.
      if (len > 1 || n.length > 1) {
        at.push(out.length);
        from.push(i);
        became.push(n.length);
        was.push(len);
      }
      out += n;
      copied = i + len;
    }
    i += len - 1;
  }
  if (copied === 0) return { normalized: text, toText: (i) => i };
  out += text.slice(copied);
  const toText = (i: number) => {
    // The last changed code point whose units start at or before i.
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid] <= i) lo = mid + 1;
      else hi = mid;
    }
    const k = lo - 1;
    if (k < 0) return i;
    return i < at[k] + became[k] ? from[k] : from[k] + was[k] + (i - at[k] - became[k]);
  };
  return { normalized: out, toText };
}

function window(
  text: string,
  start: number,
  end: number,
  marks: Array<[number, number]>,
  open: string,
  close: string,
): string {
  let out = start > 0 ? ELLIPSIS : '';
  let pos = start;
  for (const [s, e] of marks) {
    out += escapeHtml(collapse(text.slice(pos, s))) + open + escapeHtml(collapse(text.slice(s, e))) + close;
    pos = e;
  }
  out += escapeHtml(collapse(text.slice(pos, end)));
  return (start > 0 ? out : out.trimStart()).trimEnd() + (end < text.length ? ELLIPSIS : '');
}

interface Matcher {
  /** Every term, the longer first where two overlap; global, so `lastIndex` is set before each use. */
  re: RegExp;
  /**
   * The longest a match can be (code points of a term and up to 8 between its runs, two units
   * each) and the code point a lookahead reads after it.
   */
  margin: number;
}

/** A page's snippets share one query: its matcher is built once (a few queries kept). */
const matchers = new Map<string, Matcher | null>();
const MATCHERS_KEPT = 64;

/** The query's terms as one expression, or null when it has none to mark. */
function matcherOf(query: string): Matcher | null {
  let m = matchers.get(query);
  if (m !== undefined) return m;
  const terms = queryTerms(query);
  if (terms.length === 0) m = null;
  else {
    const patterns = terms.map(termPattern).sort((a, b) => b.length - a.length);
    const margin =
      2 + Math.max(...terms.map((t) => 2 * t.runs.reduce((n, r) => n + r.text.length, 0) + 16 * (t.runs.length - 1)));
    m = { re: new RegExp(patterns.join('|'), 'giv'), margin };
  }
  if (matchers.size >= MATCHERS_KEPT) matchers.clear();
  matchers.set(query, m);
  return m;
}

/**
 * About `maxChars` of `text` around the first match of any query term, every match in the window
 * wrapped in `open`/`close`, the rest HTML-escaped, `…` where the text was cut. Matching follows the
 * index: NFKC, traditional Han folded to simplified, case-insensitive, Latin words whole. No match:
 * the start of the text. `source` is the text, or reads it from its start as far as asked (a packed
 * text: `textPrefixOf`), so a match early in a long post is found without reading the rest.
 */
export function highlightSnippet(source: string | TextPrefix, query: string, opts: SnippetOptions = {}): string {
  const readText = typeof source === 'string' ? textPrefixOf(source, 'the text') : source;
  const maxChars = Math.max(1, Math.floor(opts.maxChars ?? 120));
  const open = opts.open ?? '<mark>';
  const close = opts.close ?? '</mark>';
  const matcher = matcherOf(query);
  const fallback = () => {
    const { text } = readText(maxChars + 1);
    let end = Math.min(text.length, maxChars);
    if (end < text.length && isLowSurrogate(text, end)) end--;
    return window(text, 0, end, [], open, close);
  };
  if (matcher === null) return fallback();
  const { re, margin } = matcher;

  // NFKC code point by code point makes the normalized prefix of the text the prefix of its
  // normalized form, and the first match is usually early (an eighth into a generated post, as a
  // median): normalize a prefix, and more when it holds no match or the window reaches near its end.
  let upTo = Math.max(1, Math.floor(opts.prefix ?? 512));
  for (;;) {
    // The text as far as read (all of it when whole): the window lies in it, or more is read.
    const { text, whole } = readText(upTo);
    const mapped = normalizeWithMap(text);
    // Folding keeps every index (one code unit for one), so toText holds for the folded text too.
    const normalized = foldHan(mapped.normalized);
    const toText = mapped.toText;
    const grow = (atLeast: number) => {
      upTo = Math.max(text.length * 4, atLeast);
    };
    re.lastIndex = 0;
    const first = re.exec(normalized);
    if (!first) {
      if (whole) return fallback();
      grow(0);
      continue;
    }
    const matchStart = toText(first.index);
    const matchEnd = toText(first.index + first[0].length);

    const lead = Math.max(0, Math.min(Math.floor(maxChars / 4), maxChars - (matchEnd - matchStart)));
    let start = Math.max(0, matchStart - lead);
    let end = Math.min(text.length, start + maxChars);
    if (end === text.length) start = Math.max(0, end - maxChars);
    if (start > 0 && isLowSurrogate(text, start)) start--;
    if (end < text.length && isLowSurrogate(text, end)) end--;
    // Every match that starts in the window, the first one included, must be whole in the prefix
    // and have its lookahead there; the window ends after the first match.
    if (!whole && (normalized.length < margin || toText(normalized.length - margin) < end)) {
      grow(end + 2 * margin);
      continue;
    }

    const marks: Array<[number, number]> = [];
    for (let m: RegExpExecArray | null = first; m; m = re.exec(normalized)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const s = toText(m.index);
      if (s >= end) break;
      const e = toText(m.index + m[0].length);
      if (s < start) continue;
      marks.push([s, e]);
      if (e > end) end = e;
    }
    return window(text, start, end, marks, open, close);
  }
}
