// One htmlparser2 pass over a post body: the plain text plus Eastmoney's chart embeds and inline links.
import { Parser } from 'htmlparser2';
import { Resolved, resolveSecid } from './markets';

export interface MarkupHit {
  via: 'EMBED' | 'LINK';
  target: Resolved;
  /** Element text (the display name) for links; null for embeds or empty text. */
  name: string | null;
  /** Offsets of the element's text in `ScannedBody.text` (start === end for embeds). */
  start: number;
  end: number;
}

export interface ScannedBody {
  /**
   * Plain text: markup stripped, entities decoded, script/style dropped. Block elements become
   * line breaks so words from neighbouring paragraphs never run together; inline elements add
   * nothing, so `上海<span>证券</span>报` reads `上海证券报`.
   */
  text: string;
  /** Counted embeds and links in document order (nested ones and those in the source line excluded). */
  hits: MarkupHit[];
}

// Contents are not prose (and may hold anything, including fake markup).
const SKIPPED = new Set(['script', 'style', 'template', 'noscript', 'textarea']);

const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

// Attribute values are small; each pattern is anchored with bounded, non-nested quantifiers.
/** Chart embed: `code|market|type` (type optional). */
const EMBED_CODE = /^\s*([0-9A-Za-z_]{1,16})\s*\|\s*(\d{1,4})\s*(?:\|[^|]{0,16})?$/;
/** Inline link: `market,code`. */
const LINK_CODE = /^\s*(\d{1,4})\s*,\s*([0-9A-Za-z_]{1,16})\s*$/;
/** Fallback when data-code is missing or malformed: `…/unify/r/<market>.<code>`. */
const UNIFY_HREF = /\/unify\/r\/(\d{1,4})\.([0-9A-Za-z_]{1,16})(?![0-9A-Za-z_.])/;

function fromHref(href: string | undefined): Resolved | null {
  const m = href ? UNIFY_HREF.exec(href) : null;
  return m ? resolveSecid(Number(m[1]), m[2]) : null;
}

function embedTarget(attribs: Record<string, string>): Resolved | null {
  const m = EMBED_CODE.exec(attribs['data-code'] ?? '');
  return (m ? resolveSecid(Number(m[2]), m[1]) : null) ?? fromHref(attribs.href);
}

function linkTarget(attribs: Record<string, string>): Resolved | null {
  const m = LINK_CODE.exec(attribs['data-code'] ?? '');
  return (m ? resolveSecid(Number(m[1]), m[2]) : null) ?? fromHref(attribs.href);
}

type Role = 'plain' | 'skip' | 'media' | 'counted';

interface Frame {
  name: string;
  role: Role;
  /** Index into hits when role is 'counted'. */
  hit: number;
  /** Index into the text parts where the element started (to read a link's text cheaply). */
  part: number;
}

/** Display names are short; a longer "name" is an unclosed element that swallowed the text after it. */
const MAX_NAME = 32;

export function scanBody(body: string): ScannedBody {
  const parts: string[] = [];
  let length = 0;
  let lastChar = '\n';
  const hits: MarkupHit[] = [];
  const stack: Frame[] = [];
  let skipDepth = 0;
  let mediaDepth = 0;
  let countedDepth = 0;

  const push = (s: string): void => {
    if (s.length === 0) return;
    parts.push(s);
    length += s.length;
    lastChar = s[s.length - 1];
  };
  const lineBreak = (): void => {
    if (lastChar !== '\n') push('\n');
  };

  const close = (frame: Frame): void => {
    if (frame.role === 'skip') skipDepth--;
    else if (frame.role === 'media') mediaDepth--;
    else if (frame.role === 'counted') {
      countedDepth--;
      const hit = hits[frame.hit];
      hit.end = length;
      if (hit.via === 'LINK' && hit.end - hit.start <= 4 * MAX_NAME) {
        // trim() covers U+00A0 and U+3000 too.
        const name = parts.slice(frame.part).join('').trim();
        hit.name = name === '' || name.length > MAX_NAME ? null : name;
      }
    }
    if (BLOCK.has(frame.name)) lineBreak();
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (BLOCK.has(name)) lineBreak();
        const classes = (attribs.class ?? '').split(/\s+/);
        let role: Role = 'plain';
        let hit = -1;
        if (SKIPPED.has(name)) {
          role = 'skip';
          skipDepth++;
        } else if (classes.includes('em_media')) {
          // The source line: Eastmoney's auto-linker links words inside outlet names (上海[证券]报).
          role = 'media';
          mediaDepth++;
        } else if (skipDepth === 0 && mediaDepth === 0 && countedDepth === 0) {
          // Outermost only: a link nested in a counted element is the same occurrence.
          const via = classes.includes('EmImageRemark')
            ? 'EMBED'
            : classes.includes('keytip') || classes.includes('em_stock_key_common')
              ? 'LINK'
              : null;
          const target = via === 'EMBED' ? embedTarget(attribs) : via === 'LINK' ? linkTarget(attribs) : null;
          if (via && target) {
            role = 'counted';
            countedDepth++;
            hit = hits.length;
            hits.push({ via, target, name: null, start: length, end: length });
          }
        }
        stack.push({ name, role, hit, part: parts.length });
      },
      ontext(data) {
        if (skipDepth === 0) push(data);
      },
      onclosetag(name) {
        // htmlparser2 reports implied closes itself; a close with no matching open (possible with a
        // tag cut off at end of input) is ignored instead of unbalancing the stack.
        for (let i = stack.length - 1; i >= 0; i--) {
          if (stack[i].name !== name) continue;
          while (stack.length > i) close(stack.pop()!);
          return;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(body);
  parser.end();
  while (stack.length > 0) close(stack.pop()!);
  return { text: parts.join(''), hits };
}

/** Plain text of an HTML/Markdown fragment (see ScannedBody.text). */
export function stripMarkup(html: string): string {
  return scanBody(html).text;
}
