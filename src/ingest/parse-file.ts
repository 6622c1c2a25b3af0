import { extract } from './extract';
import { classifyPath, formatWithOffset, hiddenUntil, readCategoryPage, readJekyllPost } from './jekyll';
import { render } from './render';
import { indexTokens } from './search';
import { signatureBytes, storySignature } from './story/signature';

const signatureOf = (text: string) => {
  const sig = storySignature(text);
  return sig && signatureBytes(sig);
};
import { FileOutcome, SiteConfig } from './types';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why bytes cannot be read as a text file, or null when they can. */
export function unreadableReason(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return 'empty file';
  if (bytes.indexOf(0) !== -1) return 'binary file (contains NUL bytes)';
  return null;
}

function decode(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Longest reason kept, in characters. */
export const MAX_REASON_LENGTH = 300;

/**
 * Reasons name what is wrong; they must not echo a whole hostile value into the report and the
 * database (a 5,000-character `date:` used to come back whole in "invalid date '…'").
 */
export function boundedReason(reason: string): string {
  if (reason.length <= MAX_REASON_LENGTH) return reason;
  const chars = Array.from(reason); // whole code points: no half surrogate pairs
  if (chars.length <= MAX_REASON_LENGTH) return reason;
  return `${chars.slice(0, 200).join('')}… (${chars.length - 260} characters left out) …${chars.slice(-60).join('')}`;
}

/**
 * One archive file -> what it is. Pure: the caller reads the bytes and hashes them, and gives the
 * build's time (`buildTimeMs`, Jekyll's site.time), which decides whether a post dated in the
 * future is published yet (`future:`). Never throws: every problem becomes a reason naming what is wrong.
 */
export function parseFile(
  rel: string,
  bytes: Uint8Array,
  contentHash: string,
  site: SiteConfig,
  buildTimeMs: number,
): FileOutcome {
  const outcome = parseFileUnbounded(rel, bytes, contentHash, site, buildTimeMs);
  if ('reason' in outcome && outcome.reason.length > MAX_REASON_LENGTH)
    return { ...outcome, reason: boundedReason(outcome.reason) };
  return outcome;
}

function parseFileUnbounded(
  rel: string,
  bytes: Uint8Array,
  contentHash: string,
  site: SiteConfig,
  buildTimeMs: number,
): FileOutcome {
  const cls = classifyPath(rel);
  if (cls.kind === 'skipped') return { kind: 'skipped', path: rel, reason: cls.reason };
  const bad = unreadableReason(bytes);
  if (cls.kind === 'other') {
    const text = bad ? null : decode(bytes);
    return { kind: 'page', page: text === null ? null : readCategoryPage({ path: rel, text }) };
  }
  if (bad) return { kind: 'failed', path: rel, reason: bad };
  const text = decode(bytes);
  if (text === null) return { kind: 'failed', path: rel, reason: 'not valid UTF-8 text' };

  const post = readJekyllPost({ path: rel, text, site });
  if (post.kind !== 'post') return { ...post, path: rel };
  // Checked before rendering: a post not yet due is read again, whole, when its time comes.
  const publishAtMs = hiddenUntil(post.dateMs, site, buildTimeMs);
  if (publishAtMs !== null) {
    const when = formatWithOffset(post.dateMs, post.dateOffset);
    return { kind: 'scheduled', path: rel, reason: `dated ${when}, in the future (future: false)`, publishAtMs };
  }
  // The body and front matter are read here, into the rendering and extraction: the record leaves
  // them behind (each crossed to the writer's thread and was held in its batches for nothing).
  const { kind: _post, body: _body, frontMatter: _frontMatter, ...fields } = post;
  try {
    const rendering = render(post.body);
    return {
      kind: 'post',
      record: {
        ...fields,
        path: rel,
        contentHash,
        rendering,
        extraction: extract({ body: post.body, tags: post.tags }),
        searchTokens: { title: indexTokens(post.title), body: indexTokens(rendering.text) },
        storySignature: signatureOf(rendering.text),
      },
    };
  } catch (err) {
    // A renderer or extractor bug must cost one file, not the import.
    return { kind: 'failed', path: rel, reason: `cannot render: ${(err as Error).message}` };
  }
}
