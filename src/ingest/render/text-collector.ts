// Builds the plain-text rendering from parser events (open tag / text / close tag).
// Block elements end lines; whitespace collapses within a line; empty lines are dropped.
import { isHidden, isNoTextTag } from './hidden';

const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'br',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'tr',
  'ul',
]);

const CELL_TAGS = new Set(['td', 'th']);
const WHITESPACE = /\s+/g;

export class TextCollector {
  /** Finished lines, each non-empty, whitespace-collapsed and trimmed. */
  readonly lines: string[] = [];
  /** Number of lines finished when the cut marker element was seen; -1 if never seen. */
  cutLine = -1;

  private buf = '';
  private skipDepth = 0;
  private preDepth = 0;

  /** @param cutTag name of a marker element whose position is recorded in `cutLine`. */
  constructor(private readonly cutTag: string | null = null) {}

  open(name: string, attribs: Record<string, string>): void {
    if (name === this.cutTag && this.cutLine < 0) {
      this.flush();
      this.cutLine = this.lines.length;
    }
    if (this.skipDepth > 0) {
      this.skipDepth++;
      return;
    }
    if (isNoTextTag(name) || isHidden(attribs)) {
      this.skipDepth = 1;
      return;
    }
    if (BLOCK_TAGS.has(name)) this.flush();
    else if (CELL_TAGS.has(name)) this.buf += ' ';
    if (name === 'pre') this.preDepth++;
  }

  close(name: string): void {
    if (this.skipDepth > 0) {
      this.skipDepth--;
      return;
    }
    if (BLOCK_TAGS.has(name)) this.flush();
    else if (CELL_TAGS.has(name)) this.buf += ' ';
    if (name === 'pre' && this.preDepth > 0) this.preDepth--;
  }

  /** Decoded text (entities already resolved). */
  text(text: string): void {
    if (this.skipDepth > 0) return;
    if (this.preDepth > 0 && text.includes('\n')) {
      const parts = text.split('\n');
      this.buf += parts[0];
      for (let i = 1; i < parts.length; i++) {
        this.flush();
        this.buf += parts[i];
      }
      return;
    }
    this.buf += text;
  }

  /** Ends the current line; returns all lines. */
  finish(): string[] {
    this.flush();
    return this.lines;
  }

  private flush(): void {
    if (this.buf === '') return;
    const line = this.buf.replace(WHITESPACE, ' ').trim();
    this.buf = '';
    if (line !== '') this.lines.push(line);
  }
}
