// What a reader's page shows around a post: its length, the time it takes to read, its headings.
import { Parser } from 'htmlparser2';
import { CJK_CHARS } from '../search/tokens';

/** Reading rates (typical adult silent reading): Chinese (and other CJK) by character, Latin by word. */
export const CJK_CHARS_PER_MINUTE = 300;
export const WORDS_PER_MINUTE = 250;

/** A CJK character (group 1), or a run of other letters, digits and marks: one word each. */
const COUNTED = new RegExp(`([${CJK_CHARS}])|[[\\p{L}\\p{N}\\p{M}]--[${CJK_CHARS}]]+`, 'gv');

export interface TextLength {
  /** CJK characters. */
  cjk: number;
  /** Runs of other letters and digits. */
  words: number;
}

export function textLength(text: string): TextLength {
  let cjk = 0;
  let words = 0;
  for (const m of text.matchAll(COUNTED)) {
    if (m[1] !== undefined) cjk++;
    else words++;
  }
  return { cjk, words };
}

/** Words as word processors count Chinese: each CJK character is one. */
export const wordCount = (l: TextLength) => l.cjk + l.words;

/** Whole minutes, rounded up; 0 for a text with nothing to read. */
export const readingMinutes = (l: TextLength) => Math.ceil(l.cjk / CJK_CHARS_PER_MINUTE + l.words / WORDS_PER_MINUTE);

export interface Heading {
  level: number;
  text: string;
  /** The id kramdown (Jekyll's Markdown) would give it: unique within the post. */
  anchor: string;
}

/**
 * kramdown's auto_ids rule: leading non-letters dropped, then everything but A-Z, a-z, 0-9, space
 * and hyphen; spaces become hyphens; lower-cased; "section" when nothing is left; a repeat takes
 * -1, -2, ... A Chinese heading is therefore "section", "section-1", ...
 */
function anchorOf(text: string, used: Map<string, number>): string {
  let id = text
    .replace(/^[^a-zA-Z]+/, '')
    .replace(/[^a-zA-Z0-9 -]/g, '')
    .replace(/ /g, '-')
    .toLowerCase();
  if (id === '') id = 'section';
  const seen = used.get(id);
  if (seen === undefined) {
    used.set(id, 0);
    return id;
  }
  used.set(id, seen + 1);
  return `${id}-${seen + 1}`;
}

const HEADING = /^h([1-6])$/;

/** The h1-h6 of a post's (sanitized) HTML in document order, with their text, whitespace collapsed. */
export function headingsOf(html: string): Heading[] {
  const out: Heading[] = [];
  const used = new Map<string, number>();
  let open: { level: number; tag: string; parts: string[] } | null = null;
  const parser = new Parser(
    {
      onopentag(name) {
        const m = HEADING.exec(name);
        if (m && !open) open = { level: Number(m[1]), tag: name, parts: [] };
      },
      ontext(data) {
        open?.parts.push(data);
      },
      onclosetag(name) {
        if (!open || name !== open.tag) return;
        const text = open.parts.join('').replace(/\s+/g, ' ').trim();
        if (text !== '') out.push({ level: open.level, text, anchor: anchorOf(text, used) });
        open = null;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return out;
}
