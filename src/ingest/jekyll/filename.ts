// File names and folders, after Jekyll 4.3's PostReader / Document / EntryFilter.
//
// Jekyll reads posts from every `_posts` folder of the site and matches entries against
// Document::DATE_FILENAME_MATCHER = /^(?>.+\/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^\/]*)(\.[^.]+)$/:
// the slug is everything up to the LAST dot, trailing dots are then removed from it
// (`2022-01-28-dots...md` -> slug `dots`). Month and day may have one digit (`2022-1-5-x.md` is a
// post in Jekyll, verified), so they are accepted here too. Choices of this module:
//   - the year must have four digits (Jekyll also takes 2-3 digit years through Time.parse);
//   - posts are only *.md, *.markdown, *.html (the product contract; Jekyll would also render
//     `_posts/2021-01-01-x.txt`);
//   - an impossible date (`2021-02-30`) makes the file skipped; Jekyll rolls it over to March 2;
//   - outside `_posts/` (archive folders such as `old_post/`) the same name rule makes a post
//     (the product contract; Jekyll itself would render those files as pages).

import { isValidYMD, type YMD } from './dates';

export const POST_EXTENSIONS = ['.md', '.markdown', '.html'];

const DATE_NAME = /^(\d{4})-(\d{1,2})-(\d{1,2})-(.*)(\.[^.]+)$/;
const LOOSE_DATE_NAME = /^(\d{2,4})-(\d{1,2})-(\d{1,2})-/;

export type PathClass =
  | {
      kind: 'post';
      /** Date from the file name. */
      date: YMD;
      /** Slug from the file name (trailing dots removed). */
      slug: string;
      /** Extension as written, with the dot (`.md`). */
      ext: string;
      /** Inside a `_posts/` folder. */
      inPosts: boolean;
      /** Categories Jekyll takes from the folders above `_posts/` (`a/b/_posts/x.md` -> a, b). */
      dirCategories: string[];
    }
  | { kind: 'skipped'; reason: string }
  | {
      kind: 'other';
      /** Set when the path lies inside a folder that is not read (`_drafts`, `_site`, ...). */
      ignoredDir?: string;
    };

/** Folders that are not read: `_drafts`, `_site`, `node_modules` and hidden (dot) folders. */
export function isIgnoredDir(name: string): boolean {
  return name === '_drafts' || name === '_site' || name === 'node_modules' || name.startsWith('.');
}

export function isPostExtension(ext: string): boolean {
  return POST_EXTENSIONS.includes(ext.toLowerCase());
}

/** Split an archive-relative path into folder segments and the base name. */
export function splitPath(relPath: string): { dirs: string[]; base: string } {
  const parts = relPath
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  const base = parts.pop() ?? '';
  return { dirs: parts, base };
}

const NAME_REASON = 'file name does not start with a date (YYYY-MM-DD-title.ext)';

/** What an archive file is: a post (by its name), a file in `_posts/` that is skipped, or other. */
export function classifyPath(relPath: string): PathClass {
  const { dirs, base } = splitPath(relPath);
  const ignored = dirs.find(isIgnoredDir);
  if (ignored !== undefined) return { kind: 'other', ignoredDir: ignored };
  const postsIndex = dirs.indexOf('_posts');
  const inPosts = postsIndex !== -1;
  // Jekyll's EntryFilter skips hidden and backup files.
  if (base.startsWith('.') || base.endsWith('~')) return { kind: 'other' };

  const m = DATE_NAME.exec(base);
  const extMatch = /\.[^.]+$/.exec(base);
  const ext = m ? m[5] : extMatch ? extMatch[0] : '';

  if (!m) {
    if (inPosts && isPostExtension(ext)) {
      const loose = LOOSE_DATE_NAME.exec(base);
      if (loose && loose[1].length !== 4) {
        return { kind: 'skipped', reason: `${NAME_REASON}: the year must have four digits` };
      }
      return { kind: 'skipped', reason: NAME_REASON };
    }
    return { kind: 'other' };
  }

  if (!isPostExtension(ext)) {
    if (inPosts) {
      return {
        kind: 'skipped',
        reason: `not a Markdown or HTML file (${ext}); posts are *.md, *.markdown or *.html`,
      };
    }
    return { kind: 'other' };
  }

  const y = parseInt(m[1], 10);
  const mo = parseInt(m[2], 10);
  const d = parseInt(m[3], 10);
  if (!isValidYMD(y, mo, d)) {
    return { kind: 'skipped', reason: `file name has an impossible date (${m[1]}-${m[2]}-${m[3]})` };
  }
  const slug = m[4].replace(/\.+$/, '');
  // Document#categories_from_path("_posts"): folders above `_posts`, none for `_posts/...` itself.
  // (Jekyll cuts the path at the first text "_posts", even inside a longer folder name; here the
  // folder must be named `_posts` exactly.)
  const dirCategories = inPosts ? dirs.slice(0, postsIndex).filter((c) => c !== '') : [];
  return { kind: 'post', date: { y, m: mo, d }, slug, ext, inPosts, dirCategories };
}

/** Ruby's String#capitalize on one word: the first character title-cased, the rest lower-cased. */
const TITLECASE: Record<string, string> = {
  ǆ: 'ǅ',
  Ǆ: 'ǅ',
  ǅ: 'ǅ',
  ǉ: 'ǈ',
  Ǉ: 'ǈ',
  ǈ: 'ǈ',
  ǌ: 'ǋ',
  Ǌ: 'ǋ',
  ǋ: 'ǋ',
  ǳ: 'ǲ',
  Ǳ: 'ǲ',
  ǲ: 'ǲ',
  ß: 'Ss',
};

/** Lower-case character by character (Ruby's downcase has no final-sigma context rule). */
export function rubyDowncase(s: string): string {
  let out = '';
  for (const ch of s) out += ch.toLowerCase();
  return out;
}

function capitalize(word: string): string {
  const chars = Array.from(word);
  if (chars.length === 0) return '';
  const first = TITLECASE[chars[0]] ?? chars[0].toUpperCase();
  return first + rubyDowncase(chars.slice(1).join(''));
}

/** Jekyll's Utils.titleize_slug: `slug.split("-").map!(&:capitalize).join(" ")`. */
export function titleizeSlug(slug: string): string {
  const parts = slug.split('-');
  // Ruby's String#split drops trailing empty fields.
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.map(capitalize).join(' ');
}
