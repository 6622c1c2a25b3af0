// A post's search tokens (src/ingest/search/tokens.ts: CJK bigrams, lower-cased words) as a
// PostgreSQL tsvector. The tokens are stored as they are, not run through to_tsvector: a query is a
// tsquery of the same tokens, so no text search configuration ever stems or drops them.

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

/** A lexeme's UTF-8 size and its positions (WordEntryPos: weight bits | position), increasing. */
interface Entry {
  bytes: number;
  positions: number[];
}

/**
 * Title tokens weigh A from position 1, body tokens D from one position past a gap, so no phrase
 * matches across the title's end and the body's start. A huge post is truncated to PostgreSQL's
 * limits. (This runs for every imported post: sizes are counted here, not with Buffer calls.)
 */
function lexemes(tokens: { title: string; body: string }): Map<string, Entry> {
  const map = new Map<string, Entry>();
  let bytes = 0;
  let pos = 0;
  const add = (text: string, weight: number): boolean => {
    for (const token of text.split(' ')) {
      if (token === '') continue;
      pos = pos < MAX_POSITION ? pos + 1 : MAX_POSITION;
      const entry = map.get(token);
      if (entry === undefined) {
        const size = utf8Length(token);
        // Skipped, but its position stays taken: a phrase must not match across it.
        if (size > MAX_LEXEME_BYTES) continue;
        if (bytes + size + 5 > MAX_BYTES) return false;
        bytes += size + 5; // + alignment, the position count and one position
        map.set(token, { bytes: size, positions: [weight | pos] });
        continue;
      }
      const list = entry.positions;
      // Past the clamp every position is the same one (positions must increase); and a lexeme
      // keeps at most 256.
      if ((list[list.length - 1] & MAX_POSITION) === pos || list.length >= MAX_POSITIONS_PER_LEXEME) continue;
      if (bytes + 2 > MAX_BYTES) return false;
      bytes += 2;
      list.push(weight | pos);
    }
    return true;
  };
  if (add(tokens.title, WEIGHT_A)) {
    pos = Math.min(pos + 1, MAX_POSITION); // the gap
    add(tokens.body, 0);
  }
  return map;
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
export function searchVector(tokens: { title: string; body: string }): string {
  const out: string[] = [];
  for (const [lexeme, { positions: list }] of lexemes(tokens)) {
    const positions = list.map((p) => `${p & MAX_POSITION}${p >= WEIGHT_A ? 'A' : ''}`).join(',');
    out.push(`'${quote(lexeme)}':${positions}`);
  }
  return out.join(' ');
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
export function searchVectorBinary(tokens: { title: string; body: string }): Buffer {
  const map = lexemes(tokens);
  let size = 4;
  for (const e of map.values()) size += e.bytes + 3 + 2 * e.positions.length;
  const out = Buffer.allocUnsafe(size);
  let at = out.writeInt32BE(map.size, 0);
  for (const [lexeme, { positions }] of map) {
    at = writeUtf8(out, lexeme, at);
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
