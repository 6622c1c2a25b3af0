// User search input -> a safe FTS5 MATCH expression (or tsquery) over tokens made by `indexTokens`.
import { foldHan } from './fold';
import { ftsKeeps } from './fts-fold';
import { isCjkChar, runsOf, type Run } from './tokens';

/** At most this many tokens per query; the rest of the input is ignored. */
export const MAX_QUERY_TOKENS = 32;
/** Input beyond this many UTF-16 units is ignored before any work is done. */
const MAX_QUERY_CHARS = 2000;

export interface QueryTerm {
  /** The term's runs (CJK runs shortened when the token cap cut them). */
  runs: Run[];
  /** All its tokens, in order. */
  tokens: string[];
  /**
   * Its last run is a lone CJK character, which the index holds only where the text has it alone:
   * its token is matched as a prefix (`茅*` finds `茅台`; `A股` finds `A股三大`, indexed `a 股三 三大`).
   */
  prefix: boolean;
}

/** Whitespace-separated terms of the query, tokenized like the index (folded too), capped and de-duplicated. */
export function queryTerms(query: string): QueryTerm[] {
  const normalized = foldHan(query.slice(0, MAX_QUERY_CHARS).normalize('NFKC'));
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  let budget = MAX_QUERY_TOKENS;
  for (const word of normalized.split(/\s+/u)) {
    if (budget === 0) break;
    const runs: Run[] = [];
    const tokens: string[] = [];
    for (const run of runsOf(word)) {
      if (budget === 0) break;
      const kept = run.tokens.slice(0, budget);
      budget -= kept.length;
      tokens.push(...kept);
      const text =
        kept.length === run.tokens.length
          ? run.text
          : Array.from(run.text)
              .slice(0, kept.length + 1)
              .join('');
      runs.push({ text, cjk: run.cjk, tokens: kept });
    }
    if (tokens.length === 0) continue;
    const last = runs[runs.length - 1];
    const prefix = last.cjk && last.tokens.length === 1 && isCjkChar(last.tokens[0]);
    const key = (prefix ? '*' : '') + tokens.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push({ runs, tokens, prefix });
  }
  return terms;
}

/**
 * FTS5 MATCH expression: each term a quoted phrase of its tokens (`"中国 国联 联通"`), a last lone
 * CJK character a prefix (`"茅"*`, `"a 股"*`: FTS5 marks the phrase's last token), terms joined
 * with AND. Tokens hold only letters, digits and marks, so user input can never add quotes,
 * operators, column filters or NEAR groups.
 */
export function ftsExpression(terms: QueryTerm[]): string {
  return terms.map((t) => `"${t.tokens.join(' ')}"${t.prefix ? '*' : ''}`).join(' AND ');
}

/**
 * The same query as a PostgreSQL tsquery literal over the same tokens: phrases with `<->`, a last
 * lone CJK character a prefix (`'茅':*`, `('a' <-> '股':*)`), terms joined with `&`; lexemes quoted
 * (they hold no quotes).
 */
export function tsqueryExpression(terms: QueryTerm[]): string {
  return terms
    .map((t) => {
      const lexemes = t.tokens.map((k, i) => `'${k}'${t.prefix && i === t.tokens.length - 1 ? ':*' : ''}`);
      return t.prefix && lexemes.length === 1 ? lexemes[0] : `(${lexemes.join(' <-> ')})`;
    })
    .join(' & ');
}

/** The FTS5 expression of a user query; null when nothing searchable remains. */
export function queryExpression(query: string): string | null {
  const terms = queryTerms(query);
  return terms.length === 0 ? null : ftsExpression(terms);
}

const HAN = /^\p{sc=Han}$/u;

/**
 * The index tokens every title holding `needle` holds, as a phrase of its title column, for a
 * needle of 2 or more Han characters that normalizing, folding and the index keep as they are
 * (bigrams `中国 国联 联通`); null for any other needle, whose titles are read one by one.
 *
 * Why a title that holds the needle holds the phrase: no Han character composes with a neighbour
 * under NFKC, `foldHan` maps one character to one, and the needle's characters sit in one CJK run
 * of the title, whose overlapping bigrams the index keeps in order. The phrase can match more
 * titles (folded ones: `聯通` for `联通`), which the substring test then leaves out.
 */
export function titleNeedleTokens(needle: string): string[] | null {
  const chars = Array.from(needle);
  if (chars.length < 2 || chars.length > MAX_QUERY_TOKENS) return null;
  const stable = (c: string) => HAN.test(c) && c.normalize('NFKC') === c && ftsKeeps(c.codePointAt(0)!);
  if (!chars.every(stable)) return null;
  const folded = Array.from(foldHan(needle));
  if (folded.length !== chars.length || !folded.every(stable)) return null;
  return folded.slice(1).map((c, i) => folded[i] + c);
}
