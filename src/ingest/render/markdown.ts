// Markdown -> HTML with markdown-it (raw HTML passes through; it is sanitized afterwards).
// The renderer also marks where Jekyll's excerpt ends, so one sanitize pass serves both.
import { randomBytes } from 'crypto';
import MarkdownIt from 'markdown-it';

/** kramdown-like: raw HTML allowed, no linkify, no smart quotes, soft line breaks stay soft. */
const md = new MarkdownIt({ html: true, linkify: false, typographer: false, breaks: false });

/**
 * Bodies longer than this (UTF-16 units) skip markdown-it, whose cost on hostile input reaches
 * several seconds per MB; they get the linear block-level reading of `renderOversized`.
 */
export const MAX_MARKDOWN_CHARS = 1_000_000;

/** Jekyll's default `excerpt_separator`. */
const EXCERPT_SEPARATOR = '\n\n';

/** Marker element put between the excerpt's blocks and the rest; random so no post can forge it. */
export const EXCERPT_CUT_TAG = `x-excerpt-end-${randomBytes(6).toString('hex')}`;
const EXCERPT_CUT = `<${EXCERPT_CUT_TAG}></${EXCERPT_CUT_TAG}>`;

type Env = MarkdownIt.Env;
type Token = MarkdownIt.Token;

export type ExcerptSource =
  /** The excerpt is the whole body. */
  | { kind: 'whole' }
  /** The excerpt ends at `EXCERPT_CUT_TAG` in the rendered HTML. */
  | { kind: 'marked' }
  /** A block crosses the separator: the excerpt is this separately rendered HTML. */
  | { kind: 'separate'; html: string };

export interface MarkdownRendering {
  html: string;
  excerpt: ExcerptSource;
}

function countLines(text: string, end: number): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/**
 * Index of the first top-level token of the part after the excerpt, `tokens.length` if the excerpt
 * holds every block, or -1 if a block starts in the excerpt and ends after it.
 */
function excerptSplit(tokens: Token[], excerptLines: number): number {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.level !== 0 || !t.map) continue;
    if (t.map[0] >= excerptLines) return i;
    if (t.map[1] > excerptLines) return -1;
  }
  return tokens.length;
}

/**
 * Renders the body. Jekyll's excerpt is the body up to the first blank line, rendered on its own
 * (with the link reference definitions of the whole body). When that text ends on a block boundary,
 * which is nearly always, it renders to a prefix of the full HTML: we mark that point instead of
 * rendering twice.
 */
export function renderMarkdown(body: string): MarkdownRendering {
  const src = body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body;
  if (src.length > MAX_MARKDOWN_CHARS) return renderOversized(src);
  const env: Env = {};
  const tokens = md.parse(src, env);
  const render = (list: Token[]) => md.renderer.render(list, md.options, env);

  const cut = src.indexOf(EXCERPT_SEPARATOR);
  if (cut < 0) return { html: render(tokens), excerpt: { kind: 'whole' } };

  const split = excerptSplit(tokens, countLines(src, cut));
  if (split === tokens.length) return { html: render(tokens), excerpt: { kind: 'whole' } };
  if (split < 0) {
    const head = md.render(src.slice(0, cut), { references: env.references });
    return { html: render(tokens), excerpt: { kind: 'separate', html: head } };
  }
  const html = render(tokens.slice(0, split)) + EXCERPT_CUT + render(tokens.slice(split));
  return { html, excerpt: { kind: 'marked' } };
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
const HTML_START = /^\s*<[a-zA-Z!/?]/;
const AUTOLINK = /^\s*<(https?:\/\/[^\s<>"]+)>\s*$/i;

/**
 * Blocks only: each blank-line-separated chunk is raw HTML if it starts with a tag, a link if it is
 * an autolink, else a paragraph (inline HTML kept, as Markdown would). Linear, and still marks the
 * excerpt (the first chunk). Everything is sanitized afterwards like any rendering.
 */
function renderOversized(src: string): MarkdownRendering {
  const parts: string[] = [];
  for (const chunk of src.split(EXCERPT_SEPARATOR)) {
    if (chunk.trim() === '') continue;
    const link = AUTOLINK.exec(chunk);
    if (link) parts.push(`<p><a href="${escapeAttr(link[1])}">${escapeAttr(link[1])}</a></p>`);
    else if (HTML_START.test(chunk)) parts.push(chunk);
    else parts.push(`<p>${chunk}</p>`);
    if (parts.length === 1) parts.push(EXCERPT_CUT);
  }
  return { html: parts.join('\n'), excerpt: { kind: 'marked' } };
}
