// The publishing outlet: （文章来源：X）, else the digest's trailing （X）, else an `X新闻` tag.
import { stripMarkup } from './links';

const MAX_LENGTH = 30;

/** `（文章来源：X）` with either paren/colon width; X may not contain parentheses or line breaks. */
const SOURCE_LINE = /[(（][\s\u3000]{0,3}文章来源[\s\u3000]{0,3}[:：]([^()（）\n]{0,80})[)）]/g;
/** Trailing `（X）` at the end of the digest; X holds no parentheses, colons or sentence punctuation. */
const DIGEST_TAIL = /[(（]([^()（）:：，,。；;！!？?\n]{1,40})[)）][\s\u3000]*$/;
const BLOCKQUOTE = /^ {0,3}>[ \t]?(.*)$/;

function clean(value: string | undefined): string | null {
  const v = (value ?? '').trim(); // also trims U+00A0 and U+3000
  return v !== '' && v.length <= MAX_LENGTH ? v : null;
}

/** The source line; when there are several (quoted articles), the last one closes the post. */
export function publisherFromSourceLine(text: string): string | null {
  let found: string | null = null;
  SOURCE_LINE.lastIndex = 0;
  for (let m = SOURCE_LINE.exec(text); m !== null; m = SOURCE_LINE.exec(text)) {
    found = clean(m[1]) ?? found;
  }
  return found;
}

/** The digest: the body's first Markdown blockquote (its consecutive `>` lines), markup stripped. */
export function digestOf(body: string): string | null {
  const lines: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    const m = BLOCKQUOTE.exec(line);
    if (m) lines.push(m[1]);
    else if (lines.length > 0) break;
  }
  return lines.length > 0 ? stripMarkup(lines.join('\n')) : null;
}

/** Bylines and notes also end digests in parentheses; they are not outlets. */
const NOT_OUTLET = /^(?:记者|实习记者|实习生|编辑|责编|通讯员|图|注|完|本报|来源)/;

export function publisherFromDigest(body: string): string | null {
  const digest = digestOf(body);
  const m = digest === null ? null : DIGEST_TAIL.exec(digest);
  const v = m ? clean(m[1]) : null;
  return v !== null && v.length >= 2 && !NOT_OUTLET.test(v) ? v : null;
}

/** `西宁晚报新闻` names 西宁晚报; `东财滚动新闻` is Eastmoney's rolling feed, not an outlet. */
export function publisherFromTags(tags: readonly string[]): string | null {
  for (const tag of tags) {
    if (typeof tag !== 'string') continue;
    const t = tag.trim();
    if (!t.endsWith('新闻')) continue;
    const outlet = t.slice(0, -2).trim();
    if (outlet.endsWith('滚动')) continue;
    const v = clean(outlet);
    if (v) return v;
  }
  return null;
}

/** `text` is the body's plain text (markup already stripped, so 上海<span>证券</span>报 reads 上海证券报). */
export function findPublisher(body: string, text: string, tags: readonly string[]): string | null {
  return publisherFromSourceLine(text) ?? publisherFromDigest(body) ?? publisherFromTags(tags);
}
