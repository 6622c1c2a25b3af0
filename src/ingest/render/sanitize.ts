// The HTML allowlist, and one sanitize-html pass that also collects the plain text.
//
// sanitize-html parses with htmlparser2; its onOpenTag/onCloseTag/textFilter hooks see every parser
// event, so the plain text is built in the same pass as the sanitized HTML (no second parse).
import sanitizeHtml from 'sanitize-html';
import { collectFlatText } from './flat-text';
import { isHidden, NO_TEXT_TAGS } from './hidden';
import { TextCollector } from './text-collector';

/**
 * A hidden element is renamed to this (allowed) tag; `exclusiveFilter` then drops it with its
 * content. (Renaming to a disallowed tag instead leaves a stale entry in sanitize-html's rename map
 * that renames a later closing tag.)
 */
const HIDDEN_TAG = 'x-newsgraph-hidden';

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'div', 'a', 'img',
  'strong', 'b', 'em', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'mark', 'small', 'abbr', 'kbd',
  'blockquote', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
  'pre', 'code', 'figure', 'figcaption',
  HIDDEN_TAG,
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

/** Runs before the allowlist for every element: hide, rename, normalize attributes. */
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
      if (href !== null && (URL_SCHEME.test(href) || PROTOCOL_RELATIVE.test(href))) attribs.rel = EXTERNAL_LINK_REL;
      else delete attribs.rel;
      break;
    }
    case 'img':
      keepIf(attribs, 'width', DIMENSION);
      keepIf(attribs, 'height', DIMENSION);
      break;
    case 'ol':
      keepIf(attribs, 'start', /^-?\d{1,9}$/);
      break;
  }
  return { tagName, attribs };
}

type Frame = sanitizeHtml.IFrame & { name?: string };

/**
 * Characters sanitize-html may re-copy for `exclusiveFilter` removals in one body (each removal
 * copies the output so far). Real bodies use a tiny fraction; past it, the body is rendered flat.
 */
const REMOVAL_BUDGET = 64_000_000;

/** Runs when an allowed element closes: true drops it with its content, 'excludeTag' unwraps it. */
function excludeElement(frame: Frame): boolean | 'excludeTag' {
  let verdict: boolean | 'excludeTag' = false;
  if (frame.name === HIDDEN_TAG) verdict = true;
  else if (frame.tag === 'img') verdict = !frame.attribs.src;
  else if (frame.tag === 'a' && !frame.attribs.href) verdict = 'excludeTag';
  if (verdict && pass && (pass.removalCost += frame.tagPosition) > REMOVAL_BUDGET) throw TOO_COSTLY;
  return verdict;
}

/**
 * Deepest element nesting we hand to the tree parser. Real pages stay far below; beyond it
 * htmlparser2's stack handling turns quadratic, so such a body is rendered flat (see flat-text.ts).
 */
export const MAX_NESTING = 512;

/** Thrown from sanitize-html's hooks to abandon a body that would take quadratic time. */
class TooCostly extends Error {}
const TOO_COSTLY = new TooCostly('body too costly to sanitize as a tree');

/** State of the sanitize call in progress (sanitize-html runs synchronously). */
let pass: { collector: TextCollector; depth: number; removalCost: number } | null = null;

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
  nonTextTags: [...NO_TEXT_TAGS],
  parseStyleAttributes: false,
  enforceHtmlBoundary: false,
  transformTags: { '*': transformElement },
  exclusiveFilter: excludeElement,
  onOpenTag: (name, attribs) => {
    if (!pass) return;
    if (++pass.depth > MAX_NESTING) throw TOO_COSTLY;
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
  const own = { collector: new TextCollector(cutTag), depth: 0, removalCost: 0 };
  const outer = pass;
  pass = own;
  try {
    const out = sanitizeHtml(html, OPTIONS);
    return { html: out, lines: own.collector.finish(), cutLine: own.collector.cutLine };
  } catch (err) {
    if (err !== TOO_COSTLY) throw err;
  } finally {
    pass = outer;
  }
  return flatRendering(html, cutTag);
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Too costly to sanitize as a tree: keep the text only, one paragraph per line. */
function flatRendering(html: string, cutTag: string | null): SanitizedBody {
  const collector = new TextCollector(cutTag);
  collectFlatText(html, collector);
  const lines = collector.finish();
  const out = lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  return { html: out, lines, cutLine: collector.cutLine };
}
