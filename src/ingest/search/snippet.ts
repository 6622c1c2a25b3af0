import { tokenList } from './tokens';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Literal pieces of the query to look for in the text: whole terms, and the CJK bigrams that matched. */
function needles(query: string): string[] {
  const set = new Set<string>();
  for (const term of query.normalize('NFKC').split(/\s+/)) {
    if (!term) continue;
    set.add(term.toLowerCase());
    for (const t of tokenList(term)) set.add(t);
  }
  // Longest first so `中国联通` is marked whole rather than as bigrams.
  return [...set].filter((s) => s.length > 0).sort((a, b) => b.length - a.length).slice(0, 64);
}

/**
 * A short window of `text` around the first match of the query, HTML-escaped, with matches wrapped
 * in <mark>. Falls back to the start of the text when nothing matches literally.
 */
export function highlightSnippet(text: string, query: string, opts: { maxChars?: number; open?: string; close?: string } = {}): string {
  const max = opts.maxChars ?? 120;
  const open = opts.open ?? '<mark>';
  const close = opts.close ?? '</mark>';
  const lower = text.toLowerCase();
  const ns = needles(query);
  let first = -1;
  for (const n of ns) {
    const i = lower.indexOf(n);
    if (i !== -1 && (first === -1 || i < first)) first = i;
  }
  const start = first === -1 ? 0 : Math.max(0, first - Math.floor(max / 3));
  const end = Math.min(text.length, start + max);
  const window = text.slice(start, end).replace(/\s+/g, ' ');
  const wlower = window.toLowerCase();
  // Mark matches left to right, longest needle first at each position, without overlaps.
  let out = '';
  let i = 0;
  while (i < window.length) {
    const hit = ns.find((n) => wlower.startsWith(n, i));
    if (hit) {
      out += open + escapeHtml(window.slice(i, i + hit.length)) + close;
      i += hit.length;
    } else {
      out += escapeHtml(window[i]);
      i++;
    }
  }
  return `${start > 0 ? '…' : ''}${out}${end < text.length ? '…' : ''}`;
}
