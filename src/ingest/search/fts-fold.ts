// Search tokens folded in JavaScript exactly as SQLite FTS5's `unicode61 remove_diacritics 2`
// tokenizer folds them (case, diacritics, where a token ends), from a table read off SQLite itself
// (tools/gen-fts-fold.js). The index then uses FTS5's `ascii` tokenizer, which only splits at ASCII
// punctuation and lower-cases ASCII letters, and holds the very terms unicode61 made, for about
// half the writer's cost of a post's full-text row. PostgreSQL stores the same folded tokens.
import { FOLDS, RANGES } from './fts-fold-table';

/** The FTS5 tokenizer for columns that hold these tokens (migrations name it literally). */
export const FTS5_TOKENIZE = 'ascii';

/** The code point ends the token there (punctuation, symbols, code points unassigned in SQLite's Unicode). */
export const SEPARATE = -1;
/** The code point is taken out and the token goes on (a combining diacritic). */
export const DROP = -2;

const KEEP_KIND = 0;
const SEPARATE_KIND = 1;
const DROP_KIND = 2;

const hex = (list: string) => list.split(',').map((h) => parseInt(h, 16));

/** What each BMP code point becomes; ASCII is left as it is, for the tokenizer. */
const BMP = new Int32Array(0x10000);
/** Past the BMP: ranges' starts and what their code points become (KEPT: each stays itself). */
const astralStarts: number[] = [];
const astralFates: number[] = [];
const KEPT = -3;

function buildTables(): void {
  for (let cp = 0; cp < 0x80; cp++) BMP[cp] = cp;
  const ranges = hex(RANGES);
  const folds = new Map<number, number>();
  const pairs = hex(FOLDS);
  for (let i = 0; i < pairs.length; i += 2) folds.set(pairs[i], pairs[i + 1]);
  for (let i = 0; i < ranges.length; i += 2) {
    const [start, kind] = [ranges[i], ranges[i + 1]];
    const end = i + 2 < ranges.length ? ranges[i + 2] : 0x110000;
    const fate = (cp: number) =>
      kind === KEEP_KIND ? cp : kind === SEPARATE_KIND ? SEPARATE : kind === DROP_KIND ? DROP : folds.get(cp)!;
    for (let cp = start; cp < Math.min(end, 0x10000); cp++) BMP[cp] = fate(cp);
    if (end > 0x10000) {
      const from = Math.max(start, 0x10000);
      // A fold is a range of one code point: the generator starts a range at each.
      astralStarts.push(from);
      astralFates.push(kind === KEEP_KIND ? KEPT : fate(from));
    }
  }
}
buildTables();

/** What unicode61 makes of `cp` inside a token: a code point (itself or another), SEPARATE or DROP. */
export function ftsFold(cp: number): number {
  if (cp <= 0xffff) return BMP[cp];
  let lo = 0;
  let hi = astralStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (astralStarts[mid] <= cp) lo = mid;
    else hi = mid - 1;
  }
  const fate = astralFates[lo];
  return fate === KEPT ? cp : fate;
}

/** True when unicode61 keeps `cp` inside a token as it is. */
export function ftsKeeps(cp: number): boolean {
  return cp <= 0xffff ? BMP[cp] === cp : ftsFold(cp) === cp;
}

/**
 * The terms unicode61 makes of one token of ours: folded, split where it would end a token, empty
 * ones left out. Most tokens come back whole, as the one element.
 */
export function ftsTerms(token: string): string[] {
  let i = 0;
  while (i < token.length) {
    const cp = token.codePointAt(i)!;
    if (!ftsKeeps(cp)) break;
    i += cp > 0xffff ? 2 : 1;
  }
  if (i === token.length) return token.length > 0 ? [token] : [];
  const terms: string[] = [];
  let term = token.slice(0, i);
  for (; i < token.length;) {
    const cp = token.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    const to = ftsFold(cp);
    if (to === SEPARATE) {
      if (term !== '') terms.push(term);
      term = '';
    } else if (to !== DROP) term += String.fromCodePoint(to);
  }
  if (term !== '') terms.push(term);
  return terms;
}
