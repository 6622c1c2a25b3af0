// Shortening of the plain-text excerpt.

export const EXCERPT_MAX_CHARS = 200;
export const ELLIPSIS = '…';

/** Trims; longer than `max` code points -> the first `max` (trailing space dropped) plus `…`. */
export function shorten(text: string, max = EXCERPT_MAX_CHARS): string {
  const trimmed = text.trim();
  // Code points >= UTF-16 units / 2: short strings need no counting.
  if (trimmed.length <= max) return trimmed;
  let end = 0;
  let count = 0;
  for (const ch of trimmed) {
    if (count === max) return trimmed.slice(0, end).trimEnd() + ELLIPSIS;
    end += ch.length;
    count++;
  }
  return trimmed;
}
