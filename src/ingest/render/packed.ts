import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * A post's HTML and text as SQLite stores them: raw DEFLATE (RFC 1951) of the UTF-8, level 1.
 * SQLite compresses nothing, and the two columns were 84% of a post's row (7.6 of 9.0 KB a post at
 * 100k); deflated they take 39% of that, and the database falls from 2.8x the archive's bytes to
 * 1.9x. PostgreSQL compresses large values itself (TOAST), so there they stay text.
 * A stored value is one or the other: text (a database written before, or PostgreSQL) or bytes.
 */
export type StoredText = string | Uint8Array;

/** Level 1, zlib's fastest: every imported post is packed. */
const LEVEL = 1;

/**
 * The packed form of `text`, in a buffer of its own: zlib hands back a view of a larger chunk, and
 * a view sent between threads takes its whole buffer along.
 */
export function packText(text: string): Uint8Array {
  return new Uint8Array(deflateRawSync(text, { level: LEVEL }));
}

/**
 * Packed bytes inflated: all of them, or (`truncated`) a start of the stream, flushed rather than
 * finished, for everything its bytes decode to. `what` names the value in the error a damaged one
 * raises.
 */
function inflated(bytes: Uint8Array, what: string, truncated = false): Buffer {
  try {
    return inflateRawSync(bytes, truncated ? { finishFlush: constants.Z_SYNC_FLUSH } : {});
  } catch (err) {
    throw new Error(`${what}: the stored value cannot be unpacked (${(err as Error).message})`);
  }
}

/** The text a stored value holds; `what` names it in the error a damaged value raises. */
export function unpackText(stored: StoredText | null | undefined, what: string): string {
  if (stored == null) return '';
  if (typeof stored === 'string') return stored;
  return inflated(stored, what).toString('utf8');
}

/** A text read from its start only as far as asked: at least `units` UTF-16 units of it, or all of it. */
export type TextPrefix = (units: number) => { text: string; whole: boolean };

/**
 * Packed bytes inflated first per unit asked. A post's first 512 characters (a snippet's first
 * read) take 1.6-2.0 bytes each (the bench's Chinese posts: deflate has little history to draw on
 * yet; a whole post packs to 1.1 bytes a character). What falls short reads on.
 */
const PACKED_BYTES_PER_UNIT = 2;

/** Where the last whole UTF-8 sequence of `bytes` ends (a prefix may end inside one). */
function wholeSequencesEnd(bytes: Buffer): number {
  const end = bytes.length;
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const b = bytes[i];
    if (b < 0x80) return end; // ASCII: the sequence before it is whole too
    if (b >= 0xc0) return i + (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) <= end ? end : i;
  }
  return end;
}

/** Whether `s[i]` is the second half of a surrogate pair: a cut there would split it. */
export const isLowSurrogate = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
};

/**
 * The stored value read from its start as far as asked (a search snippet mostly needs a few
 * hundred characters of a post): packed bytes are inflated and decoded only that far, which at
 * 20 hits a page was a fifth of a search's CPU when every text was read whole. Never splits a
 * surrogate pair. `what` names the value in the error a damaged one raises.
 */
export function textPrefixOf(stored: StoredText | null | undefined, what: string): TextPrefix {
  if (stored == null) return () => ({ text: '', whole: true });
  if (typeof stored === 'string') {
    return (units) => {
      const end = isLowSurrogate(stored, units) ? units + 1 : units;
      return end >= stored.length ? { text: stored, whole: true } : { text: stored.slice(0, end), whole: false };
    };
  }
  let last: { text: string; whole: boolean } | null = null;
  let read = 0;
  return (units) => {
    if (last && (last.whole || last.text.length >= units)) return last;
    for (let take = Math.max(4 * read, PACKED_BYTES_PER_UNIT * units + 64); ; take *= 4) {
      if (take >= stored.length) return (last = { text: unpackText(stored, what), whole: true });
      const bytes = inflated(stored.subarray(0, take), what, true);
      read = take;
      // Whole sequences only: a pair of surrogates is one sequence, so it is never split.
      const text = bytes.toString('utf8', 0, wholeSequencesEnd(bytes));
      if (text.length >= units) return (last = { text, whole: false });
    }
  };
}
