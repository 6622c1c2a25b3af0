// Story signatures: the same wire text republished by several outlets is recognised by the
// near-duplicate bodies (docs/contract.md, "Story clusters"). A body's story text is its plain
// text without the lines syndication changes (the source link, the navigation line, the source
// credit), read as the search index reads it (NFKC, traditional folded to simplified, Latin
// lower-cased), letters and digits only. Its character 5-shingles are summarised by a one-
// permutation MinHash: a 32-bit hash per shingle, its top 6 bits choosing one of 64 bins, the
// smallest of the rest kept per bin (16 bits of it stored), empty bins filled from the next
// non-empty one (densified one-permutation hashing, Shrivastava and Li). The fraction of equal
// bins estimates the Jaccard similarity of two texts' shingle sets.
import { foldHan } from '../search/fold';
import { UnitWriter } from '../unit-writer';

/** Shingle length in characters: long enough that two unrelated Chinese texts share few. */
export const SHINGLE = 5;
/** Bins of the signature. */
export const BINS = 64;
/** Bins per band: two texts share a band key when four consecutive bins agree (LSH). */
export const BAND_ROWS = 4;
export const BANDS = BINS / BAND_ROWS;
/** A text with fewer shingles says too little to be told apart from another: no signature. */
export const MIN_SHINGLES = 20;
/** Estimated similarity (equal bins / 64) at which two posts tell the same story. */
export const SAME_STORY_SIMILARITY = 0.65;
/** Two posts more than this far apart in time are different stories, however alike. */
export const SAME_STORY_WINDOW_MS = 3 * 86_400_000;

/** Lines syndication changes: a bare link, `返回…` navigation, a `（文章来源：…）` credit. */
const BOILERPLATE = /^(?:<?https?:\/\/\S+>?|返回\S*(?:[｜|]\s*返回\S*)*|[（(]?(?:文章)?来源[:：][^）)]*[）)]?)$/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
/** Per BMP code unit: 0 not yet known, 1 left out, 2 kept (a text repeats its few other characters). */
const KEEP = new Uint8Array(0x10000);

function keeps(unit: number): boolean {
  if (unit < 0x80) return (unit >= 0x30 && unit <= 0x39) || ((unit | 0x20) >= 0x61 && (unit | 0x20) <= 0x7a);
  if (unit >= 0x4e00 && unit <= 0x9fff) return true; // CJK Unified Ideographs: most of a Chinese text
  if (KEEP[unit] === 0) KEEP[unit] = LETTER_OR_DIGIT.test(String.fromCharCode(unit)) ? 2 : 1;
  return KEEP[unit] === 2;
}

/** Where storyText gathers the letters and digits it keeps. */
const kept = new UnitWriter();

/** The letters and digits of `line`, written to `kept` (a class scan, not a regex). */
function lettersAndDigits(line: string): void {
  for (let i = 0; i < line.length; i++) {
    const unit = line.charCodeAt(i);
    const next = line.charCodeAt(i + 1); // NaN past the end
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      if (LETTER_OR_DIGIT.test(line.slice(i, i + 2))) {
        kept.push(unit);
        kept.push(next);
      }
      i++;
    } else if (keeps(unit)) kept.push(unit);
  }
}

/** The story text of a post's plain text (see the module comment). */
export function storyText(text: string): string {
  const folded = foldHan(text.normalize('NFKC'));
  kept.reset();
  for (const line of folded.split('\n')) {
    const t = line.trim();
    if (t !== '' && !BOILERPLATE.test(t)) lettersAndDigits(t);
  }
  return kept.toString().toLowerCase();
}

/** FNV-1a over UTF-16 units, then a murmur3 finalizer: a well-mixed 32-bit hash. */
function hash32(s: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The signature of a post's plain text, or null when its story text is too short to judge: per
 * bin the low 16 bits of its smallest hash (two texts agree on a bin by chance once in 65,536).
 */
export function storySignature(text: string): Uint16Array | null {
  const story = storyText(text);
  // A shingle is 5 characters, astral ones too: the code unit offsets of the last 6 characters'
  // starts, in a ring, give each shingle's span as the scan reaches its end.
  const starts = new Int32Array(SHINGLE + 1);
  const min = new Int32Array(BINS).fill(-1);
  let chars = 0;
  for (let i = 0; i <= story.length; i++) {
    starts[chars % (SHINGLE + 1)] = i;
    if (chars >= SHINGLE) {
      const h = hash32(story, starts[(chars - SHINGLE) % (SHINGLE + 1)], i);
      const bin = h >>> 26; // the top 6 bits choose the bin, the other 26 compete in it
      const v = h & 0x3ffffff;
      if (min[bin] < 0 || v < min[bin]) min[bin] = v;
    }
    chars++;
    const c = story.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < story.length) i++;
  }
  // chars counts the end too: the text has chars - 1 characters, chars - SHINGLE shingles.
  if (chars - SHINGLE < MIN_SHINGLES) return null;
  const sig = new Uint16Array(BINS);
  for (let b = 0; b < BINS; b++) {
    // Densification by rotation: an empty bin takes the next non-empty bin's value, mixed with the
    // distance, so two texts agree on it exactly when they agree on that bin and its emptiness.
    let d = 0;
    while (min[(b + d) % BINS] < 0) d++;
    const v = min[(b + d) % BINS];
    sig[b] = d === 0 ? v & 0xffff : Math.imul(v ^ d, 0x9e3779b1) >>> 16;
  }
  return sig;
}

/** Estimated Jaccard similarity of two signatures: the fraction of bins that agree. */
export function similarity(a: Uint16Array, b: Uint16Array): number {
  let same = 0;
  for (let i = 0; i < BINS; i++) if (a[i] === b[i]) same++;
  return same / BINS;
}

/** A signature as stored (128 bytes, little-endian), and back. */
export function signatureBytes(sig: Uint16Array): Uint8Array {
  const out = new Uint8Array(BINS * 2);
  for (let i = 0; i < BINS; i++) {
    out[2 * i] = sig[i] & 0xff;
    out[2 * i + 1] = sig[i] >>> 8;
  }
  return out;
}

export function signatureFromBytes(bytes: Uint8Array): Uint16Array {
  if (bytes.length !== BINS * 2) throw new Error(`a story signature has ${BINS * 2} bytes, got ${bytes.length}`);
  const sig = new Uint16Array(BINS);
  for (let i = 0; i < BINS; i++) sig[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
  return sig;
}

/**
 * The signature's band keys, one per band: a 31-bit hash of the band's index and bins. Equal bands
 * give equal keys; a collision only adds a candidate, which the similarity then rejects.
 */
export function bandKeys(sig: Uint16Array): number[] {
  const keys: number[] = [];
  for (let band = 0; band < BANDS; band++) {
    let h = 0x9e3779b9 ^ band;
    for (let r = 0; r < BAND_ROWS; r++) {
      h ^= sig[band * BAND_ROWS + r];
      h = Math.imul(h, 0x01000193);
      h ^= h >>> 15;
    }
    keys.push(h & 0x7fffffff);
  }
  return keys;
}

/** Whether two signed, dated posts tell the same story. */
export function sameStory(a: { sig: Uint16Array; dateMs: number }, b: { sig: Uint16Array; dateMs: number }): boolean {
  return Math.abs(a.dateMs - b.dateMs) <= SAME_STORY_WINDOW_MS && similarity(a.sig, b.sig) >= SAME_STORY_SIMILARITY;
}
