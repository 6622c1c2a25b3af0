// One archive file -> what Jekyll 4 makes of it. Pure: no I/O, never throws.

import type { CategoryPage, PostRecord, SiteConfig } from '../types';
import { resolveDate } from './dates';
import { FrontMatterError, InvalidDateError, NoFrontMatterError, PermalinkError } from './errors';
import { classifyPath, titleizeSlug } from './filename';
import { parseFrontMatter } from './front-matter';
import { buildPermalink } from './permalink';
import { resolveCategories, resolveTags } from './taxonomy';
import { isPlainScalar } from './yaml';

/** What Jekyll decides about a post: the record's fields before rendering and extraction, and what they read. */
export type JekyllPost = Pick<
  PostRecord,
  'slug' | 'url' | 'title' | 'dateMs' | 'dateOffset' | 'categories' | 'tags'
> & {
  /** The original body (after the front matter), unchanged. */
  body: string;
  /** Front matter as data (JSON-safe). */
  frontMatter: Record<string, unknown>;
};

export type JekyllPostResult =
  | ({ kind: 'post' } & JekyllPost)
  | { kind: 'unpublished'; reason: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; reason: string };

function has(data: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(data, key);
}

/** Ruby truthiness: everything except nil and false. */
function truthy(v: unknown): boolean {
  return v !== null && v !== undefined && v !== false;
}

function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * Document#published?: only a literal `published: false` hides a post. Psych reads
 * `no`/`off`/`false` in any letter case as false, so those hide it too; the quoted string
 * "false" does not (verified with jekyll build).
 */
export function isPublished(data: Record<string, unknown>): boolean {
  return !(has(data, 'published') && data.published === false);
}

/**
 * The title Jekyll shows: `data["title"] ||= Utils.titleize_slug(slug)` with the FILE-NAME slug.
 * Missing, null or false -> titleized slug; an explicit empty title stays empty.
 */
export function postTitle(data: Record<string, unknown>, fileSlug: string): string {
  return truthy(data.title) ? toText(data.title) : titleizeSlug(fileSlug);
}

/** Jekyll's data["slug"]: front matter `slug:` when truthy, else the file-name slug. */
export function postSlug(data: Record<string, unknown>, fileSlug: string): string {
  return truthy(data.slug) ? toText(data.slug) : fileSlug;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Read one archive file as a Jekyll post. `path` is archive-relative with `/`. Never throws. */
export function readJekyllPost(args: { path: string; text: string; site: SiteConfig }): JekyllPostResult {
  try {
    const { path, text, site } = args;
    const cls = classifyPath(path);
    if (cls.kind === 'skipped') return { kind: 'skipped', reason: cls.reason };
    if (cls.kind === 'other') {
      return {
        kind: 'skipped',
        reason: cls.ignoredDir
          ? `not read: inside the ignored folder '${cls.ignoredDir}'`
          : 'not a post: the file name does not start with a date (YYYY-MM-DD-title.ext) or it is not Markdown/HTML',
      };
    }

    let fm;
    try {
      fm = parseFrontMatter(text, path);
    } catch (e) {
      if (e instanceof NoFrontMatterError) return { kind: 'skipped', reason: e.message };
      if (e instanceof FrontMatterError) return { kind: 'failed', reason: e.message };
      return { kind: 'failed', reason: `cannot read front matter: ${message(e)}` };
    }
    const data = fm.data;

    if (!isPublished(data)) {
      return { kind: 'unpublished', reason: `published: ${toText(data.published)} in front matter` };
    }

    let date;
    try {
      date = resolveDate(fm.dateSource, cls.date, site.timezone);
    } catch (e) {
      if (e instanceof InvalidDateError) {
        return { kind: 'failed', reason: `${e.message} in front matter` };
      }
      throw e;
    }

    const categories = resolveCategories(data, cls.dirCategories);
    const tags = resolveTags(data);
    const slug = postSlug(data, cls.slug);
    const title = postTitle(data, cls.slug);

    let url: string;
    try {
      url = buildPermalink({
        relPath: path,
        slug,
        categories,
        dateMs: date.ms,
        timezone: site.timezone,
        ext: cls.ext,
        sitePermalink: site.permalink,
        // `if @permalink`: nil and false mean "none"; an empty string is a permalink ("/").
        permalink: truthy(data.permalink) ? toText(data.permalink) : null,
      });
    } catch (e) {
      if (e instanceof PermalinkError) return { kind: 'failed', reason: e.message };
      throw e;
    }

    return {
      kind: 'post',
      slug,
      url,
      title,
      dateMs: date.ms,
      dateOffset: date.offset,
      categories,
      tags,
      body: fm.content,
      frontMatter: data,
    };
  } catch (e) {
    return { kind: 'failed', reason: `internal error while reading the post: ${message(e)}` };
  }
}

/**
 * A page that gives a category its display title: front matter `layout: category` and
 * `category:`. The title is kept exactly as the file says (`category/xiningwanbao.html` is titled
 * 昆明日报新闻); a missing or empty title is null. Anything else (no front matter, bad YAML,
 * another layout, no category) -> null. Never throws.
 */
export function readCategoryPage(args: { path: string; text: string }): CategoryPage | null {
  try {
    const { data } = parseFrontMatter(args.text, args.path);
    if (data.layout !== 'category') return null;
    const raw = data.category;
    if (!isPlainScalar(raw) || raw === false) return null;
    const category = String(raw);
    if (category.trim() === '') return null;
    const t = data.title;
    const title = !isPlainScalar(t) || t === false || String(t) === '' ? null : String(t);
    return { path: args.path, category, title };
  } catch {
    return null;
  }
}
