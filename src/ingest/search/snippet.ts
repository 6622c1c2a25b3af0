// A short HTML-escaped window of a post's text around the first query match, matches marked.
import { queryTerms, type QueryTerm } from './query';

export interface SnippetOptions {
  /** Window length in UTF-16 units (default 120); ellipses and markers come on top. */
  maxChars?: number;
  /** Markup put before each match (default `<mark>`). Inserted as is. */
  open?: string;
  /** Markup put after each match (default `</mark>`). Inserted as is. */
  close?: string;
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

/** The text in NFKC form, plus (when that changed it) the original index of each normalized unit. */
function normalizeWithMap(text: string): { normalized: string; origin: number[] | null } {
  const normalized = text.normalize('NFKC');
  if (normalized === text) return { normalized, origin: null };
  let out = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const n = ch.normalize('NFKC');
    for (let k = 0; k < n.length; k++) origin.push(i);
    out += n;
    i += ch.length;
  }
  origin.push(text.length);
  return { normalized: out, origin };
}

const isLowSurrogate = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
};

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

/**
 * About `maxChars` of `text` around the first match of any query term, every match in the window
 * wrapped in `open`/`close`, the rest HTML-escaped, `…` where the text was cut. Matching follows the
 * index: NFKC, case-insensitive, Latin words whole. No match: the start of the text.
 */
export function highlightSnippet(text: string, query: string, opts: SnippetOptions = {}): string {
  const maxChars = Math.max(1, Math.floor(opts.maxChars ?? 120));
  const open = opts.open ?? '<mark>';
  const close = opts.close ?? '</mark>';
  const terms = queryTerms(query);
  const fallback = () => {
    let end = Math.min(text.length, maxChars);
    if (end < text.length && isLowSurrogate(text, end)) end--;
    return window(text, 0, end, [], open, close);
  };
  if (terms.length === 0) return fallback();

  const patterns = terms.map(termPattern).sort((a, b) => b.length - a.length);
  const re = new RegExp(patterns.join('|'), 'giv');
  const { normalized, origin } = normalizeWithMap(text);
  const toText = (i: number) => (origin ? origin[i] : i);

  const first = re.exec(normalized);
  if (!first) return fallback();
  const matchStart = toText(first.index);
  const matchEnd = toText(first.index + first[0].length);

  const lead = Math.max(0, Math.min(Math.floor(maxChars / 4), maxChars - (matchEnd - matchStart)));
  let start = Math.max(0, matchStart - lead);
  let end = Math.min(text.length, start + maxChars);
  if (end === text.length) start = Math.max(0, end - maxChars);
  if (start > 0 && isLowSurrogate(text, start)) start--;
  if (end < text.length && isLowSurrogate(text, end)) end--;

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
