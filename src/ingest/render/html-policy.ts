// What survives sanitizing: the element and attribute allowlist, URL schemes, and the per-element
// rewrites (hidden elements, <center>, alignment, external-link rel, image sizes). sanitizer.ts
// applies it.
import { HIDDEN_TAG, isHidden } from './hidden';

// A hidden element is renamed to HIDDEN_TAG, which is allowed: `exclusiveFilter` (sanitize.ts) then
// drops it with its content. (Renaming to a disallowed tag instead leaves a stale entry in
// the sanitizer's rename map, which then renames a later closing tag, as it did in sanitize-html.)
export { HIDDEN_TAG };

export const ALLOWED_TAGS: readonly string[] = [
  'p',
  'br',
  'wbr',
  'hr',
  'div',
  'a',
  'img',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'del',
  'ins',
  'sub',
  'sup',
  'mark',
  'small',
  'abbr',
  'kbd',
  'blockquote',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'caption',
  'colgroup',
  'col',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'pre',
  'code',
  'figure',
  'figcaption',
  HIDDEN_TAG,
];

export const LINK_SCHEMES: readonly string[] = ['http', 'https', 'mailto'];
export const IMAGE_SCHEMES: readonly string[] = ['http', 'https'];

/** An attribute kept only with one of these values (any other value leaves it empty). */
export interface ValuedAttribute {
  name: string;
  values: readonly string[];
}

const ALIGN_VALUES = ['left', 'center', 'right', 'justify'];
const ALIGN: ValuedAttribute = { name: 'align', values: ALIGN_VALUES };
const SPAN_VALUE = /^\d{1,3}$/;
const DIMENSION = /^\d{1,5}%?$/;
const TEXT_ALIGN = /(?:^|[;\s])text-align\s*:\s*(left|center|right|justify)\b/i;
const URL_SCHEME = /^([a-z][a-z0-9+.-]*):/i;
/** `//` or `\\`, which browsers read as a protocol-relative URL. */
const PROTOCOL_RELATIVE = /^[\\/]{2}/;
// eslint-disable-next-line no-control-regex
const IGNORED_URL_CHARS = /[\x00-\x20]+/g;

/** Links leaving the site get `rel="nofollow noopener"`; `target` is never emitted. */
export const EXTERNAL_LINK_REL = 'nofollow noopener';

export type Attribs = Record<string, string>;

/** An element as the policy rewrites it. */
export interface Tag {
  tagName: string;
  attribs: Attribs;
}

function alignOf(attribs: Attribs): string | undefined {
  const align = attribs.align?.trim().toLowerCase();
  if (align && ALIGN_VALUES.includes(align)) return align;
  const m = attribs.style ? TEXT_ALIGN.exec(attribs.style) : null;
  return m ? m[1].toLowerCase() : undefined;
}

/** URL without the characters browsers ignore in it, or null when its scheme is not allowed. */
function usableUrl(url: string | undefined, schemes: readonly string[]): string | null {
  if (url === undefined) return null;
  const cleaned = url.replace(IGNORED_URL_CHARS, '');
  if (cleaned === '') return null;
  const scheme = URL_SCHEME.exec(cleaned);
  return scheme && !schemes.includes(scheme[1].toLowerCase()) ? null : cleaned;
}

function keepIf(attribs: Attribs, name: string, pattern: RegExp): void {
  const v = attribs[name];
  if (v !== undefined && !pattern.test(v.trim())) delete attribs[name];
  else if (v !== undefined) attribs[name] = v.trim();
}

/** Runs before the allowlist for every element: hide, rename, normalize attributes. */
export function transformElement(tagName: string, attribs: Attribs): Tag {
  if (isHidden(attribs)) return { tagName: HIDDEN_TAG, attribs: {} };
  switch (tagName) {
    case 'center':
      return { tagName: 'div', attribs: { align: 'center' } };
    case 'p':
    case 'div':
    case 'td':
    case 'th': {
      const align = alignOf(attribs);
      if (align) attribs.align = align;
      else delete attribs.align;
      if (tagName === 'td' || tagName === 'th') {
        keepIf(attribs, 'colspan', SPAN_VALUE);
        keepIf(attribs, 'rowspan', SPAN_VALUE);
      }
      break;
    }
    case 'a': {
      const href = usableUrl(attribs.href, LINK_SCHEMES);
      if (href !== null && (URL_SCHEME.test(href) || PROTOCOL_RELATIVE.test(href))) attribs.rel = EXTERNAL_LINK_REL;
      else delete attribs.rel;
      break;
    }
    case 'img':
      // An image we cannot show becomes an invisible <wbr />: dropping it through exclusiveFilter
      // re-copies the output each time, and a rename to a disallowed tag trips the sanitizer.
      if (usableUrl(attribs.src, IMAGE_SCHEMES) === null) return { tagName: 'wbr', attribs: {} };
      keepIf(attribs, 'width', DIMENSION);
      keepIf(attribs, 'height', DIMENSION);
      break;
    case 'ol':
      keepIf(attribs, 'start', /^-?\d{1,9}$/);
      break;
  }
  return { tagName, attribs };
}

/** Attributes each element keeps (and `code` a class: CODE_CLASS). */
export const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly (string | ValuedAttribute)[]>> = {
  a: ['href', 'title', 'rel'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  abbr: ['title'],
  ol: ['start'],
  p: [ALIGN],
  div: [ALIGN],
  td: ['colspan', 'rowspan', ALIGN],
  th: ['colspan', 'rowspan', ALIGN],
};

/** Classes `code` keeps (Markdown's fenced-code language); others are dropped. */
export const CODE_CLASS = /^language-.*$/;

/** URL schemes per element; an element not listed keeps IMAGE_SCHEMES. `//host` URLs are allowed. */
export const SCHEMES_BY_TAG: Readonly<Record<string, readonly string[]>> = { a: LINK_SCHEMES, img: IMAGE_SCHEMES };

/** Elements written as `<img ... />`, with no closing tag. */
export const SELF_CLOSING: readonly string[] = ['img', 'br', 'wbr', 'hr'];
