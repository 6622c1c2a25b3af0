import type { Rendering } from '../types';
import { shorten } from './excerpt';
import { EXCERPT_CUT_TAG, renderMarkdown } from './markdown';
import { sanitizeWithText } from './sanitize';
import { findSourceUrl } from './source-url';

/**
 * Renders a post body (Markdown and/or raw HTML) to sanitized HTML, plain text, a plain-text
 * excerpt (Jekyll's first paragraph, at most 200 code points plus `…`) and the source link.
 */
export function render(body: string): Rendering {
  const markdown = renderMarkdown(body);
  const marked = markdown.excerpt.kind === 'marked';
  const full = sanitizeWithText(markdown.html, marked ? EXCERPT_CUT_TAG : null);
  // The text of the sanitized HTML: lines of blocks, hidden parts left out.
  const text = full.lines.join('\n');

  let excerpt = '';
  if (marked && full.cutLine >= 0) {
    excerpt = full.lines.slice(0, full.cutLine).join('\n');
  } else if (markdown.excerpt.kind === 'separate') {
    excerpt = sanitizeWithText(markdown.excerpt.html).lines.join('\n');
  }
  // Whole-body excerpt, or a first block that renders to nothing: the text's beginning.
  if (excerpt.trim() === '') excerpt = text;

  return { html: full.html.trim(), text, excerpt: shorten(excerpt), sourceUrl: findSourceUrl(body) };
}
