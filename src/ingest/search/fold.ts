// Traditional and simplified Chinese fold together in search: the index, the query and the
// snippet matcher all read text through `foldHan`, so `聯通` finds `联通` and the reverse.
import { SIMPLIFIED, TRADITIONAL } from './han-fold-table';

/** Simplified code unit of each traditional BMP Han character (0: unchanged). */
const TO_SIMPLIFIED = new Uint16Array(0x10000);
for (let i = 0; i < TRADITIONAL.length; i++) TO_SIMPLIFIED[TRADITIONAL.charCodeAt(i)] = SIMPLIFIED.charCodeAt(i);

/**
 * The text with each traditional Han character replaced by its simplified one (the table OpenCC
 * derives, character by character: tools/gen-han-fold.js). One code unit for one, so every index
 * of the text is an index of the result. A text with nothing to fold is returned as is.
 */
export function foldHan(text: string): string {
  let i = 0;
  while (i < text.length && TO_SIMPLIFIED[text.charCodeAt(i)] === 0) i++;
  if (i === text.length) return text;
  const parts: string[] = [];
  let copied = 0;
  for (; i < text.length; i++) {
    const to = TO_SIMPLIFIED[text.charCodeAt(i)];
    if (to === 0) continue;
    parts.push(text.slice(copied, i), String.fromCharCode(to));
    copied = i + 1;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}
