// A post's search tokens (src/ingest/search/tokens.ts: CJK bigrams, lower-cased words) as a
// PostgreSQL tsvector, built on the parser's thread of a PostgreSQL import. The tokens are stored
// as they are, not run through to_tsvector: a query is a tsquery of the same tokens, so no text
// search configuration ever stems or drops them.

import type { SearchTokens, StoredSearchTokens } from '../types';

/** PostgreSQL's limits (src/include/tsearch/ts_type.h); going past any of them fails the INSERT. */
const MAX_POSITION = 16383; // MAXENTRYPOS - 1: to_tsvector clamps later words to it, as we do
const MAX_POSITIONS_PER_LEXEME = 256; // MAXNUMPOS
const MAX_LEXEME_BYTES = 2046; // a lexeme of MAXSTRLEN (2047) bytes or more is an error
/**
 * Lexemes and position lists together must stay under MAXSTRPOS (1 MiB - 1): we stop at a round
 * million, which leaves room for the alignment bytes we do not count exactly.
 */
const MAX_BYTES = 1_000_000;
/** Weight A in a WordEntryPos (weight in the top two bits: A = 3, D = 0). */
const WEIGHT_A = 3 << 14;

/**
 * A post's lexemes in first-seen order, each with its UTF-8 size and its positions (WordEntryPos:
 * weight bits | position, increasing).
 */
interface Lexemes {
  words: string[];
  sizes: number[];
  positions: number[][];
}

/**
 * Where each lexeme sits, by a hash of its code units (open addressing; 0 = empty, else the
 * lexeme's index + 1): a repeated token is found in the text where it stands, not sliced out into
 * a string and looked up in a Map (a post's tokens are mostly repeats: 100 -> 72 us a post). Kept
 * between posts; only the slots a post took are cleared.
 */
let slots = new Int32Array(1 << 13);
const KEPT_SLOTS = 1 << 16;

/**
 * Title tokens weigh A from position 1, body tokens D from one position past a gap, so no phrase
 * matches across the title's end and the body's start. A huge post is truncated to PostgreSQL's
 * limits. (This runs for every imported post: sizes are counted here, not with Buffer calls.)
 */
function lexemes(tokens: SearchTokens): Lexemes {
  const words: string[] = [];
  const sizes: number[] = [];
  const positions: number[][] = [];
  const hashes: number[] = [];
  const taken: number[] = []; // the slot of each lexeme
  let mask = slots.length - 1;
  let bytes = 0;
  let pos = 0;

  const grow = (): void => {
    slots = new Int32Array(slots.length * 2);
    mask = slots.length - 1;
    for (let idx = 0; idx < hashes.length; idx++) {
      let slot = hashes[idx] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = idx + 1;
      taken[idx] = slot;
    }
  };

  const add = (text: string, weight: number): boolean => {
    for (let start = 0; start < text.length;) {
      let end = text.indexOf(' ', start);
      if (end < 0) end = text.length;
      if (end === start) {
        start++;
        continue;
      }
      pos = pos < MAX_POSITION ? pos + 1 : MAX_POSITION;
      let hash = 0x811c9dc5; // FNV-1a over the code units
      for (let k = start; k < end; k++) hash = Math.imul(hash ^ text.charCodeAt(k), 0x01000193);
      let slot = hash & mask;
      let idx = -1;
      for (let at = slots[slot]; at !== 0; at = slots[slot]) {
        if (hashes[at - 1] === hash && sameUnits(words[at - 1], text, start, end)) {
          idx = at - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (idx < 0) {
        const word = text.slice(start, end);
        const size = utf8Length(word);
        start = end + 1;
        // Skipped, but its position stays taken: a phrase must not match across it.
        if (size > MAX_LEXEME_BYTES) continue;
        if (bytes + size + 5 > MAX_BYTES) return false;
        bytes += size + 5; // + alignment, the position count and one position
        slots[slot] = words.length + 1;
        taken.push(slot);
        words.push(word);
        sizes.push(size);
        hashes.push(hash);
        positions.push([weight | pos]);
        if (2 * words.length > slots.length) grow();
        continue;
      }
      start = end + 1;
      const list = positions[idx];
      // Past the clamp every position is the same one (positions must increase); and a lexeme
      // keeps at most 256.
      if ((list[list.length - 1] & MAX_POSITION) === pos || list.length >= MAX_POSITIONS_PER_LEXEME) continue;
      if (bytes + 2 > MAX_BYTES) return false;
      bytes += 2;
      list.push(weight | pos);
    }
    return true;
  };
  try {
    if (add(tokens.title, WEIGHT_A)) {
      pos = Math.min(pos + 1, MAX_POSITION); // the gap
      add(tokens.body, 0);
    }
  } finally {
    if (slots.length > KEPT_SLOTS) slots = new Int32Array(1 << 13);
    else for (const slot of taken) slots[slot] = 0;
  }
  return { words, sizes, positions };
}

/** Whether `word` is text[start, end). */
function sameUnits(word: string, text: string, start: number, end: number): boolean {
  if (word.length !== end - start) return false;
  for (let k = 0; k < word.length; k++) if (word.charCodeAt(k) !== text.charCodeAt(start + k)) return false;
  return true;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && isLow(s.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3; // a lone surrogate too: written as U+FFFD
  }
  return n;
}

const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Writes `s` as UTF-8 at `at`; returns the end. Tokens are short: cheaper than a Buffer call each.
 * A lone surrogate becomes U+FFFD, as Buffer writes it.
 */
function writeUtf8(out: Buffer, s: string, at: number): number {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[at++] = c;
    } else if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff && isLow(s.charCodeAt(i + 1))) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      out[at++] = 0xf0 | (c >> 18);
      out[at++] = 0x80 | ((c >> 12) & 0x3f);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    }
  }
  return at;
}

/** The tsvector as a literal: `'中国':1A,3A '国联':2A 'foo':5` (weight D is the default, no suffix). */
export function searchVector(tokens: SearchTokens): string {
  const { words, positions } = lexemes(tokens);
  return words
    .map((lexeme, i) => {
      const list = positions[i].map((p) => `${p & MAX_POSITION}${p >= WEIGHT_A ? 'A' : ''}`).join(',');
      return `'${quote(lexeme)}':${list}`;
    })
    .join(' ');
}

/** Inside a quoted lexeme a quote is doubled and a backslash escapes the next character. */
function quote(lexeme: string): string {
  return /['\\]/.test(lexeme) ? lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''") : lexeme;
}

/**
 * The same tsvector in PostgreSQL's binary format (tsvectorrecv), as the writer sends it: the
 * server's parser of the literal costs more server time than the rest of a post's insert together
 * (~240 µs per post of the generated archive), the binary input a third of that. Lexemes are
 * unique, as tsvectorrecv requires; it sorts them.
 */
export function searchVectorBinary(tokens: SearchTokens): Buffer {
  const { words, sizes, positions: lists } = lexemes(tokens);
  let size = 4;
  for (let i = 0; i < words.length; i++) size += sizes[i] + 3 + 2 * lists[i].length;
  const out = Buffer.allocUnsafe(size);
  let at = out.writeInt32BE(words.length, 0);
  for (let i = 0; i < words.length; i++) {
    const positions = lists[i];
    at = writeUtf8(out, words[i], at);
    out[at++] = 0;
    out[at++] = positions.length >> 8;
    out[at++] = positions.length & 0xff;
    for (const p of positions) {
      out[at++] = p >> 8;
      out[at++] = p & 0xff;
    }
  }
  return out;
}

/**
 * Tokens as a PostgreSQL import carries them to its writer: the binary tsvector alone. Copied out
 * of Buffer's shared pool: a posted view would carry the whole 8 KB slab with it.
 */
export function encodedForPostgres(tokens: SearchTokens): StoredSearchTokens {
  return { tsvector: new Uint8Array(searchVectorBinary(tokens)) };
}

/** The binary tsvector of stored tokens: as the parser's thread encoded it, or encoded now. */
export function tsvectorOf(tokens: StoredSearchTokens): Uint8Array {
  return 'tsvector' in tokens ? tokens.tsvector : searchVectorBinary(tokens);
}

/** The token text of stored tokens (SQLite's FTS table takes it); tokens encoded for PostgreSQL have none. */
export function tokenText(tokens: StoredSearchTokens, what: string): SearchTokens {
  if ('tsvector' in tokens) throw new Error(`${what}: the search tokens were encoded for PostgreSQL, not kept as text`);
  return tokens;
}
