import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * A post's HTML and text as SQLite stores them: raw DEFLATE (RFC 1951) of the UTF-8, level 1.
 * SQLite compresses nothing, and the two columns were 84% of a post's row (7.6 of 9.0 KB a post at
 * 100k); deflated they take 39% of that, and the database falls from 2.8x the archive's bytes to
 * 1.9x. The HTML is packed against the text (`packContent`), which it holds. PostgreSQL compresses
 * large values itself (TOAST), so there they stay text. A stored value is one or the other: text (a
 * database written before, or PostgreSQL) or bytes.
 */
export type StoredText = string | Uint8Array;

/** Level 1, zlib's fastest: every imported post is packed. */
const LEVEL = 1;

/**
 * The packed form of `text`, in a buffer of its own: zlib hands back a view of a larger chunk, and
 * a view sent between threads takes its whole buffer along.
 */
export function packText(text: string | Uint8Array): Uint8Array {
  return new Uint8Array(deflateRawSync(text, { level: LEVEL }));
}

/**
 * The first byte of a post's HTML packed against its text. The HTML holds the text's words, so it
 * is deflated with the text's UTF-8 as zlib's preset dictionary and refers back to it: 3,000 of the
 * bench's posts take 1.9 KB for both instead of 3.1 KB (the HTML 0.5 KB instead of 1.7), packed
 * in 91 us a post instead of 108 (long matches cost less than literals); the 100k database 1.96x
 * -> 1.68x the archive. Bits 1-2 of this byte are DEFLATE's reserved block type, so no stream
 * packed alone (any text, an older build's HTML) starts with it.
 */
export const HTML_AGAINST_TEXT = 0x06;

/** A post's HTML and text as SQLite stores them: the text packed alone, the HTML against it. */
export function packContent(html: string, text: string): { html: Uint8Array; text: Uint8Array } {
  const textBytes = Buffer.from(text, 'utf8');
  const against = deflateRawSync(html, { level: LEVEL, dictionary: textBytes });
  const packedHtml = new Uint8Array(against.byteLength + 1);
  packedHtml[0] = HTML_AGAINST_TEXT;
  packedHtml.set(against, 1);
  return { html: packedHtml, text: packText(textBytes) };
}

const isPackedAgainstText = (stored: StoredText | null | undefined): stored is Uint8Array =>
  stored instanceof Uint8Array && stored.byteLength > 0 && stored[0] === HTML_AGAINST_TEXT;

/**
 * Packed bytes inflated: all of them, or (`truncated`) a start of the stream, flushed rather than
 * finished, for everything its bytes decode to. `what` names the value in the error a damaged one
 * raises.
 */
function inflated(bytes: Uint8Array, what: string, truncated = false, dictionary?: Uint8Array): Buffer {
  try {
    return inflateRawSync(bytes, {
      ...(truncated ? { finishFlush: constants.Z_SYNC_FLUSH } : {}),
      ...(dictionary ? { dictionary } : {}),
    });
  } catch (err) {
    throw new Error(`${what}: the stored value cannot be unpacked (${(err as Error).message})`);
  }
}

/** The text a stored value holds; `what` names it in the error a damaged value raises. */
export function unpackText(stored: StoredText | null | undefined, what: string): string {
  if (stored == null) return '';
  if (typeof stored === 'string') return stored;
  if (isPackedAgainstText(stored)) throw new Error(`${what}: packed against its post's text, read with unpackContent`);
  return inflated(stored, what).toString('utf8');
}

/**
 * A post's HTML and text as stored (packed in either form, or text), unpacked. `what` names the
 * post (`post 7`) in the error a damaged value raises, followed by `html` or `text`.
 */
export function unpackContent(
  html: StoredText | null | undefined,
  text: StoredText | null | undefined,
  what: string,
): { html: string; text: string } {
  const textBytes = text instanceof Uint8Array ? inflated(text, `${what} text`) : null;
  const plainText = textBytes ? textBytes.toString('utf8') : unpackText(text, `${what} text`);
  if (!isPackedAgainstText(html)) return { html: unpackText(html, `${what} html`), text: plainText };
  const dictionary = textBytes ?? Buffer.from(plainText, 'utf8');
  return { html: inflated(html.subarray(1), `${what} html`, false, dictionary).toString('utf8'), text: plainText };
}

/** A post's HTML and text, stored in any form, packed as `packContent` packs them. */
export function repackContent(
  html: StoredText,
  text: StoredText,
  what: string,
): { html: Uint8Array; text: Uint8Array } {
  const plain = unpackContent(html, text, what);
  return packContent(plain.html, plain.text);
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
