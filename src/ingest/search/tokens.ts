// CJK-aware tokens for the FTS5 index. FTS5's trigram tokenizer cannot match two-character
// Chinese words, so CJK runs are indexed as overlapping bigrams and queried as bigram phrases.

/** Han, kana and hangul: scripts written without spaces. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]/u;

/** 0: separator, 1: word character, 2: CJK. ASCII is decided without a regex (the hot path). */
function kind(ch: string, code: number): 0 | 1 | 2 {
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90) ? 1 : 0;
  if (CJK.test(ch)) return 2;
  return WORD.test(ch) ? 1 : 0;
}

/** Tokens of one text, in order: CJK bigrams (a lone character stays a unigram) and lower-cased words. */
export function tokenList(text: string): string[] {
  const out: string[] = [];
  const s = text.normalize('NFKC');
  let word = '';
  let prevCjk = '';
  let cjkRun = 0;
  const endCjk = () => {
    if (cjkRun === 1) out.push(prevCjk);
    cjkRun = 0;
    prevCjk = '';
  };
  for (const ch of s) {
    const k = kind(ch, ch.charCodeAt(0));
    if (k === 2) {
      if (word) {
        out.push(word.toLowerCase());
        word = '';
      }
      if (cjkRun > 0) out.push(prevCjk + ch);
      prevCjk = ch;
      cjkRun++;
    } else {
      if (cjkRun) endCjk();
      if (k === 1) word += ch;
      else if (word) {
        out.push(word.toLowerCase());
        word = '';
      }
    }
  }
  if (cjkRun) endCjk();
  if (word) out.push(word.toLowerCase());
  return out;
}

/** Space-separated tokens for the index (the unicode61 tokenizer splits them again on spaces). */
export function indexTokens(text: string): string {
  return tokenList(text).join(' ');
}

/** At most this many tokens of a query reach FTS5. */
export const MAX_QUERY_TOKENS = 32;

/**
 * A user query -> an FTS5 MATCH expression: each whitespace-separated term becomes a quoted phrase
 * of its tokens (so `中国联通` must appear as written), terms AND together, and a lone CJK
 * character becomes a prefix query on the bigrams. Tokens contain only letters and digits, so user
 * input can never inject FTS5 operators or quotes. Null when nothing searchable remains.
 */
export function queryExpression(query: string): string | null {
  const phrases: string[] = [];
  let budget = MAX_QUERY_TOKENS;
  for (const term of query.split(/\s+/)) {
    if (budget <= 0) break;
    const tokens = tokenList(term).slice(0, budget);
    if (tokens.length === 0) continue;
    budget -= tokens.length;
    if (tokens.length === 1 && Array.from(tokens[0]).length === 1 && CJK.test(tokens[0])) phrases.push(`"${tokens[0]}"*`);
    else phrases.push(`"${tokens.join(' ')}"`);
  }
  return phrases.length ? phrases.join(' AND ') : null;
}
