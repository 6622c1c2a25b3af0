// The HTML allowlist, and one sanitize-html pass that also collects the plain text.
//
// sanitize-html parses with htmlparser2; its onOpenTag/onCloseTag/textFilter hooks see every parser
// event, so the plain text is built in the same pass as the sanitized HTML (no second parse).
import sanitizeHtml from 'sanitize-html';
import { collectFlatText } from './flat-text';
import { isHidden, NO_TEXT_TAGS } from './hidden';
import { TextCollector } from './text-collector';

/** A hidden element is renamed to this non-text tag, so sanitize-html drops it with its content. */
const HIDDEN_TAG = 'x-newsgraph-hidden';
/** A link or image whose URL cannot be kept is renamed to this tag: dropped, content kept. */
const UNWRAPPED_TAG = 'x-newsgraph-unwrap';

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'div', 'a', 'img',
  'strong', 'b', 'em', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'mark', 'small', 'abbr', 'kbd',
  'blockquote', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
  'pre', 'code', 'figure', 'figcaption',
];

const LINK_SCHEMES = ['http', 'https', 'mailto'];
const IMAGE_SCHEMES = ['http', 'https'];

const ALIGN_VALUES = ['left', 'center', 'right', 'justify'];
const ALIGN: sanitizeHtml.AllowedAttribute = { name: 'align', values: ALIGN_VALUES };
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

type Attribs = sanitizeHtml.Attributes;

function alignOf(attribs: Attribs): string | undefined {
  const align = attribs.align?.trim().toLowerCase();
  if (align && ALIGN_VALUES.includes(align)) return align;
  const m = attribs.style ? TEXT_ALIGN.exec(attribs.style) : null;
  return m ? m[1].toLowerCase() : undefined;
}

/** URL without the characters browsers ignore in it, or null when its scheme is not allowed. */
function usableUrl(url: string | undefined, schemes: string[]): string | null {
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

/**
 * Runs before the allowlist for every element: hide, unwrap, rename, normalize attributes.
 * (Done here rather than in `exclusiveFilter`, whose removal re-copies the output: quadratic.)
 */
function transformElement(tagName: string, attribs: Attribs): sanitizeHtml.Tag {
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
      if (href === null) return { tagName: UNWRAPPED_TAG, attribs: {} };
      if (URL_SCHEME.test(href) || PROTOCOL_RELATIVE.test(href)) attribs.rel = EXTERNAL_LINK_REL;
      else delete attribs.rel;
      break;
    }
    case 'img':
      if (usableUrl(attribs.src, IMAGE_SCHEMES) === null) return { tagName: UNWRAPPED_TAG, attribs: {} };
      keepIf(attribs, 'width', DIMENSION);
      keepIf(attribs, 'height', DIMENSION);
      break;
    case 'ol':
      keepIf(attribs, 'start', /^-?\d{1,9}$/);
      break;
  }
  return { tagName, attribs };
}

/**
 * Deepest element nesting we hand to the tree parser. Real pages stay far below; beyond it
 * htmlparser2's stack handling turns quadratic, so such a body is rendered flat (see flat-text.ts).
 */
export const MAX_NESTING = 512;

class NestingTooDeep extends Error {}
const NESTING_TOO_DEEP = new NestingTooDeep('element nesting too deep');

/** State of the sanitize call in progress (sanitize-html runs synchronously). */
let pass: { collector: TextCollector; depth: number } | null = null;

function unescapeText(escaped: string): string {
  if (!escaped.includes('&')) return escaped;
  return escaped.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    abbr: ['title'],
    ol: ['start'],
    p: [ALIGN],
    div: [ALIGN],
    td: ['colspan', 'rowspan', ALIGN],
    th: ['colspan', 'rowspan', ALIGN],
  },
  allowedClasses: { code: ['language-*'] },
  allowedSchemes: IMAGE_SCHEMES,
  allowedSchemesByTag: { a: LINK_SCHEMES, img: IMAGE_SCHEMES },
  allowProtocolRelative: true,
  disallowedTagsMode: 'discard',
  nonTextTags: [...NO_TEXT_TAGS, HIDDEN_TAG],
  parseStyleAttributes: false,
  enforceHtmlBoundary: false,
  transformTags: { '*': transformElement },
  onOpenTag: (name, attribs) => {
    if (!pass) return;
    if (++pass.depth > MAX_NESTING) throw NESTING_TOO_DEEP;
    pass.collector.open(name, attribs);
  },
  onCloseTag: (name) => {
    if (!pass) return;
    pass.depth--;
    pass.collector.close(name);
  },
  textFilter: (text) => {
    pass?.collector.text(unescapeText(text));
    return text;
  },
};

export interface SanitizedBody {
  html: string;
  /** Plain-text lines of the same HTML (hidden and non-text elements left out). */
  lines: string[];
  /** Index in `lines` where the `cutTag` marker element was, or -1. */
  cutLine: number;
}

/**
 * Sanitizes `html` and collects its plain text in the same parse.
 * @param cutTag optional marker element (dropped from the output) whose position in the text is reported.
 */
export function sanitizeWithText(html: string, cutTag: string | null = null): SanitizedBody {
  const own = { collector: new TextCollector(cutTag), depth: 0 };
  const outer = pass;
  pass = own;
  try {
    const out = sanitizeHtml(html, OPTIONS);
    return { html: out, lines: own.collector.finish(), cutLine: own.collector.cutLine };
  } catch (err) {
    if (err !== NESTING_TOO_DEEP) throw err;
  } finally {
    pass = outer;
  }
  return flatRendering(html, cutTag);
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Too deeply nested to parse as a tree: keep the text only, one paragraph per line. */
function flatRendering(html: string, cutTag: string | null): SanitizedBody {
  const collector = new TextCollector(cutTag);
  collectFlatText(html, collector);
  const lines = collector.finish();
  const out = lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  return { html: out, lines, cutLine: collector.cutLine };
}
