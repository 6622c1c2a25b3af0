// Which elements never contribute visible content. Shared by the sanitizer (which drops them from
// the HTML) and the text collector (which drops them from the plain text), so both agree.

/**
 * Internal tag a hidden element is renamed to while sanitizing (html-policy.ts), so that
 * `exclusiveFilter` drops it with its content. Its content is never text, even when a post forges it.
 */
export const HIDDEN_TAG = 'x-newsgraph-hidden';

/**
 * Elements whose content is not document text: raw-text elements, embedded documents and media
 * fallback, form widgets, foreign content (SVG/MathML). Disallowed anyway; this list makes the
 * sanitizer drop their content too instead of keeping it as loose text.
 */
export const NO_TEXT_TAGS: readonly string[] = [
  'script',
  'style',
  'textarea',
  'option',
  'select',
  'xmp',
  'plaintext',
  'noscript',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'noembed',
  'noframes',
  'title',
  'head',
  'svg',
  'math',
  'canvas',
  'audio',
  'video',
  HIDDEN_TAG,
];

const NO_TEXT = new Set(NO_TEXT_TAGS);

export function isNoTextTag(name: string): boolean {
  return NO_TEXT.has(name);
}

const HIDING_STYLE = /(?:^|[;\s])(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i;

/**
 * True for an element the original page does not show: the `hidden` attribute, or an inline style
 * with `display:none` / `visibility:hidden` (Eastmoney's `<p style="display:none;…"><br/></p>`
 * placeholders). Once we strip `style`, such an element would become visible, so it is dropped.
 */
export function isHidden(attribs: Record<string, string>): boolean {
  if (attribs.hidden !== undefined) return true;
  const style = attribs.style;
  return style !== undefined && HIDING_STYLE.test(style);
}
