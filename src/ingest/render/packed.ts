import { deflateRawSync, inflateRawSync } from 'node:zlib';

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

/** The text a stored value holds; `what` names it in the error a damaged value raises. */
export function unpackText(stored: StoredText | null | undefined, what: string): string {
  if (stored == null) return '';
  if (typeof stored === 'string') return stored;
  try {
    return inflateRawSync(stored).toString('utf8');
  } catch (err) {
    throw new Error(`${what}: the stored value cannot be unpacked (${(err as Error).message})`);
  }
}
