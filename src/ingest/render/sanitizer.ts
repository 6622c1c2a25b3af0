// The allow-list sanitizer: one htmlparser2 pass that keeps what html-policy.ts allows. It makes
// exactly what sanitize-html 2.17 made with that policy (tests/render/sanitizer-parity.test.ts
// compares the two on the real posts, generated posts and hostile markup), written for this one
// policy: sanitize-html rebuilt its option tables on every call and searched arrays per element,
// attribute and text, and cost four times the parse it sat on.
import { Parser } from 'htmlparser2';
import {
  ALLOWED_ATTRIBUTES,
  ALLOWED_TAGS,
  type Attribs,
  CODE_CLASS,
  IMAGE_SCHEMES,
  SCHEMES_BY_TAG,
  SELF_CLOSING,
  transformElement,
  type ValuedAttribute,
} from './html-policy';
import { NO_TEXT_TAGS } from './hidden';

/** An open element: its name in the post, the name it was rewritten to, where its markup starts. */
export interface Frame {
  tag: string;
  name?: string;
  attribs: Attribs;
  /** Length of the output when the element opened. */
  tagPosition: number;
}

/** Callbacks of a sanitize pass, called as sanitize-html called its options of the same names (onText: textFilter). */
export interface SanitizeHooks {
  /** Every element the parser opens, before any rewriting, even inside dropped content. */
  onOpenTag: (name: string, attribs: Attribs) => void;
  onCloseTag: (name: string, isImplied: boolean) => void;
  /** Every piece of text kept, as the parser decoded it. */
  onText: (text: string) => void;
  /** When a kept element closes: true drops it with its content. */
  exclusiveFilter: (frame: Frame) => boolean;
}

const ALLOWED = new Set(ALLOWED_TAGS);
const NO_TEXT = new Set(NO_TEXT_TAGS);
const SELF_CLOSED = new Set(SELF_CLOSING);
/** A kept attribute: any value, or one of these. */
type Rule = true | ValuedAttribute['values'];
/** Per element, each kept attribute's rule. */
const RULES = new Map<string, Map<string, Rule>>(
  Object.entries(ALLOWED_ATTRIBUTES).map(([tag, list]) => [
    tag,
    new Map(list.map((a): [string, Rule] => (typeof a === 'string' ? [a, true] : [a.name, a.values]))),
  ]),
);
RULES.set('code', new Map<string, Rule>([['class', true]]));
/** Attribute names that could end the attribute or the tag in the output. */
const VALID_ATTRIBUTE_NAME = /^[^\0\t\n\f\r /<=>]+$/;
/** Of the kept attributes, those that mean nothing empty (HTML's non-boolean ones): dropped when empty. */
const DROPPED_EMPTY = new Set([
  'href',
  'title',
  'rel',
  'src',
  'width',
  'height',
  'start',
  'colspan',
  'rowspan',
  'class',
]);
/** Written as `alt=""` when empty. */
const KEPT_EMPTY = 'alt';
/** Attributes holding a URL, checked against the element's schemes. */
const URL_ATTRIBUTES = new Set(['href', 'src']);

// eslint-disable-next-line no-control-regex
const IGNORED_IN_URL = /[\x00-\x20]+/g;
const URL_SCHEME = /^([a-zA-Z][a-zA-Z0-9.\-+]*):/;

/** A URL with browsers' ignored characters and embedded comments taken out. */
function cleanUrl(url: string): string {
  let s = url.replace(IGNORED_IN_URL, '');
  for (;;) {
    const open = s.indexOf('<!--');
    if (open === -1) return s;
    const close = s.indexOf('-->', open + 4);
    if (close === -1) return s;
    s = s.substring(0, open) + s.substring(close + 3);
  }
}

/** True for a URL whose scheme the element does not allow (`//host/...` and schemeless ones are fine). */
function badUrl(tag: string, url: string): boolean {
  const m = URL_SCHEME.exec(cleanUrl(url));
  if (!m) return false;
  return !(SCHEMES_BY_TAG[tag] ?? IMAGE_SCHEMES).includes(m[1].toLowerCase());
}

const NEEDS_ESCAPE = /[&<>"]/;
function escapeText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function escapeAttribute(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return escapeText(s).replace(/"/g, '&quot;');
}

/** `code`'s classes that the policy keeps, space-separated. */
function keptClasses(value: string): string {
  return value
    .split(/\s+/)
    .filter((c) => CODE_CLASS.test(c))
    .join(' ');
}

/** The attributes of a kept element, as written after its name. */
function attributesOf(name: string, attribs: Attribs): string {
  const rules = RULES.get(name);
  if (rules === undefined) return '';
  let out = '';
  for (const a of Object.keys(attribs)) {
    let value = attribs[a];
    const rule = rules.get(a);
    if (rule === undefined || !VALID_ATTRIBUTE_NAME.test(a) || (value === '' && DROPPED_EMPTY.has(a))) {
      delete attribs[a];
      continue;
    }
    if (rule !== true && !rule.includes(value)) value = '';
    if (URL_ATTRIBUTES.has(a) && badUrl(name, value)) {
      delete attribs[a];
      continue;
    }
    if (a === 'class') {
      value = keptClasses(value);
      if (value === '') {
        delete attribs[a];
        continue;
      }
    }
    out += ' ' + a;
    if (value !== '') out += '="' + escapeAttribute(value) + '"';
    else if (a === KEPT_EMPTY) out += '=""';
  }
  return out;
}

/** `html` with only what the policy allows (disallowed elements dropped, their text kept). */
export function sanitizeHtml(html: string, hooks: SanitizeHooks): string {
  let result = '';
  const stack: Frame[] = [];
  let depth = 0;
  // By depth: an element dropped (its text kept), an element renamed. A renamed element is never
  // dropped (the policy renames only to allowed names), so no stale name outlives its element.
  const skipped: boolean[] = [];
  const renamed: (string | undefined)[] = [];
  // Inside a dropped element whose content is not text: how many elements deep.
  let skipTextDepth = 0;

  const parser = new Parser(
    {
      onopentag(tag, attribs) {
        hooks.onOpenTag(tag, attribs);
        if (skipTextDepth > 0) {
          skipTextDepth++;
          return;
        }
        const frame: Frame = { tag, attribs, tagPosition: result.length };
        stack.push(frame);
        const t = transformElement(tag, attribs);
        frame.attribs = t.attribs;
        let name = tag;
        if (t.tagName !== tag) {
          frame.name = name = t.tagName;
          renamed[depth] = name;
        }
        if (!ALLOWED.has(name)) {
          skipped[depth] = true;
          if (NO_TEXT.has(name)) skipTextDepth = 1;
          depth++;
          return;
        }
        depth++;
        result += '<' + name + attributesOf(name, t.attribs) + (SELF_CLOSED.has(name) ? ' />' : '>');
      },
      ontext(text) {
        if (skipTextDepth > 0) return;
        hooks.onText(text);
        result += escapeText(text);
      },
      onclosetag(tag, isImplied) {
        hooks.onCloseTag(tag, isImplied);
        if (skipTextDepth > 0 && --skipTextDepth > 0) return;
        const frame = stack.pop();
        if (frame === undefined) return;
        if (frame.tag !== tag) {
          // Bad markup: the element stays open for a later closing tag.
          stack.push(frame);
          return;
        }
        depth--;
        if (skipped[depth]) {
          skipped[depth] = false;
          return;
        }
        let name = tag;
        if (renamed[depth] !== undefined) {
          name = renamed[depth]!;
          renamed[depth] = undefined;
        }
        if (hooks.exclusiveFilter(frame)) {
          result = result.substring(0, frame.tagPosition);
          return;
        }
        if (!SELF_CLOSED.has(name)) result += '</' + name + '>';
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return result;
}
