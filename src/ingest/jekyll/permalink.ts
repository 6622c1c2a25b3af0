// Permalinks, after Jekyll 4.3's Configuration#style_to_permalink, Drops::UrlDrop and URL
// (read from the 4.3.1 source; outputs compared with `jekyll build`).

import { PermalinkError } from './errors';
import { instantToWall } from './dates';
import { rubyDowncase } from './filename';

/** Jekyll's built-in permalink styles (Configuration::STYLE_TO_PERMALINK). */
export const PERMALINK_STYLES: Readonly<Record<string, string>> = {
  none: '/:categories/:title:output_ext',
  date: '/:categories/:year/:month/:day/:title:output_ext',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  weekdate: '/:categories/:year/W:week/:short_day/:title:output_ext',
};

export const DEFAULT_PERMALINK_STYLE = 'date';

/** A style name (`date`, `pretty`, ...) to its template; anything else is a template already. */
export function permalinkTemplate(styleOrTemplate: string | null | undefined): string {
  const s = styleOrTemplate ?? DEFAULT_PERMALINK_STYLE;
  return Object.prototype.hasOwnProperty.call(PERMALINK_STYLES, s) ? PERMALINK_STYLES[s] : s;
}

export type SlugifyMode = 'raw' | 'default' | 'pretty' | 'ascii';

const SLUGIFY_REGEXP: Record<SlugifyMode, RegExp> = {
  raw: /[ \t\n\v\f\r]+/g,
  default: /[^\p{M}\p{L}\p{Nd}]+/gu,
  pretty: /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu,
  ascii: /[^A-Za-z0-9]+/g,
};

/** Jekyll's Utils.slugify (modes raw, default, pretty, ascii; `latin` is not supported). */
export function slugify(input: string, mode: SlugifyMode = 'default', cased = false): string {
  let slug = input.replace(SLUGIFY_REGEXP[mode], '-');
  // `slug.gsub!(/^-|-$/, "")`: Ruby's ^ and $ are line anchors.
  slug = slug.replace(/^-|-$/gm, '');
  return cased ? slug : rubyDowncase(slug);
}

// Characters Addressable::URI.encode leaves alone in a path (unreserved, sub-delims, ":", "@",
// "/"), plus "?" (Addressable parses it as the query delimiter and keeps it; verified: a
// category "?q" gives the URL segment `?q`). "#" becomes %23 and "%" becomes %25.
const URL_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/;

/** Jekyll's URL.escape_path for one placeholder value. */
export function escapePath(path: string): string {
  if (path === '' || /^[a-zA-Z0-9./-]+$/.test(path)) return path;
  let out = '';
  for (const ch of path) {
    if (URL_SAFE.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Jekyll's URL#sanitize_url: leading "/", ".." -> "/", drop "./", squeeze "//". */
export function sanitizeUrl(str: string): string {
  return ('/' + str)
    .split('..')
    .join('/')
    .split('./')
    .join('')
    .replace(/\/{2,}/g, '/');
}

const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** strftime-like fields of the date in the site zone (Jekyll formats `date.localtime`). */
function dateFields(ms: number, zone: string | null): Record<string, string> {
  const d = instantToWall(ms, zone);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const wday = d.getUTCDay(); // 0 = Sunday
  const yday = Math.floor((Date.UTC(y, mo - 1, day) - Date.UTC(y, 0, 1)) / 86_400_000) + 1;
  // ISO 8601 week (%V) and week-based year (%G).
  const isoDay = wday === 0 ? 7 : wday;
  const thursday = new Date(Date.UTC(y, mo - 1, day + 4 - isoDay));
  const isoYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000 / 7) + 1;
  return {
    year: pad(y, 4),
    month: pad(mo),
    day: pad(day),
    hour: pad(d.getUTCHours()),
    minute: pad(d.getUTCMinutes()),
    second: pad(d.getUTCSeconds()),
    i_day: String(day),
    i_month: String(mo),
    short_month: LONG_MONTHS[mo - 1].slice(0, 3),
    long_month: LONG_MONTHS[mo - 1],
    short_year: pad(y % 100),
    w_year: String(isoYear),
    week: pad(week),
    w_day: String(isoDay),
    short_day: SHORT_DAYS[wday],
    long_day: LONG_DAYS[wday],
    y_day: pad(yday, 3),
  };
}

export interface PermalinkInput {
  /** Archive-relative path with `/` (for `:path` and `:name`). */
  relPath: string;
  /** Jekyll's data["slug"]: front matter `slug:` if given, else the file-name slug. */
  slug: string;
  /** The post's categories (case kept; `:categories` lower-cases them). */
  categories: string[];
  /** The post's instant. */
  dateMs: number;
  /** Site time zone (date placeholders use the date in this zone); null for UTC. */
  timezone: string | null;
  /** Source extension with the dot (`.md`, `.html`). */
  ext: string;
  /** Site permalink style or template (`date` when unset). */
  sitePermalink?: string | null;
  /** `permalink:` from front matter; wins over the site's, may use placeholders. */
  permalink?: string | null;
}

/** Output extension: Markdown becomes `.html`; HTML keeps its extension (identity converter). */
export function outputExt(ext: string): string {
  const lower = ext.toLowerCase();
  if (lower === '.md' || lower === '.markdown') return '.html';
  return ext;
}

function extname(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}

const DATE_KEYS = [
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'i_day',
  'i_month',
  'short_month',
  'long_month',
  'short_year',
  'w_year',
  'week',
  'w_day',
  'short_day',
  'long_day',
  'y_day',
];

/** Placeholder values of Jekyll's UrlDrop, by group: a permalink computes only the groups it uses. */
const PLACEHOLDER_GROUPS: readonly {
  keys: readonly string[];
  values: (input: PermalinkInput) => Record<string, string>;
}[] = [
  { keys: DATE_KEYS, values: (input) => dateFields(input.dateMs, input.timezone) },
  { keys: ['collection'], values: () => ({ collection: 'posts' }) },
  { keys: ['output_ext'], values: (input) => ({ output_ext: outputExt(input.ext) }) },
  { keys: ['path', 'name'], values: pathPlaceholders },
  {
    keys: ['title', 'slug'],
    values: (input) => ({ title: slugify(input.slug, 'pretty', true), slug: slugify(input.slug) }),
  },
  {
    keys: ['categories'],
    values: (input) => ({
      categories: Array.from(new Set(input.categories.map((c) => rubyDowncase(String(c))))).join('/'),
    }),
  },
  {
    keys: ['slugified_categories'],
    values: (input) => ({
      slugified_categories: Array.from(new Set(input.categories.map((c) => slugify(String(c))))).join('/'),
    }),
  },
];

function pathPlaceholders(input: PermalinkInput): Record<string, string> {
  const ext = extname(input.relPath);
  const withoutExt = ext ? input.relPath.slice(0, -ext.length) : input.relPath;
  const basename = withoutExt.slice(withoutExt.lastIndexOf('/') + 1);
  // Document#cleaned_relative_path: strip the extension, the first "_posts", trailing dots.
  const cleanedPath = withoutExt.replace('_posts', '').replace(/\.*$/, '');
  return { path: cleanedPath, name: slugify(basename) };
}

/** Placeholder values of Jekyll's UrlDrop for a post (all of them, or those of the groups `wanted` names). */
export function urlPlaceholders(input: PermalinkInput, wanted?: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const group of PLACEHOLDER_GROUPS) {
    if (wanted && !group.keys.some((k) => wanted.has(k))) continue;
    Object.assign(out, group.values(input));
  }
  return out;
}

const PLACEHOLDER = /:([a-z_]+)/g;
/** Per template, the names its placeholders may resolve to (`:month_` may be `month_` or `month`). */
const templateNames = new Map<string, ReadonlySet<string>>();

function namesIn(template: string): ReadonlySet<string> {
  let names = templateNames.get(template);
  if (!names) {
    names = new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => [m[1], m[1].slice(0, -1)]).flat());
    // Front matter permalinks vary per post: keep the cache to the site's few templates.
    if (templateNames.size < 64) templateNames.set(template, names);
  }
  return names;
}

/** Jekyll's URL#generate_url_from_drop: replace `:name` placeholders with escaped values. */
export function expandTemplate(template: string, placeholders: Record<string, string>): string {
  return template.replace(/:([a-z_]+)/g, (match, name: string) => {
    // `:month_:day` -- a trailing underscore may belong to the text, not the key.
    const pool = name.endsWith('_') ? [name, name.slice(0, -1)] : [name];
    const winner = pool.find((k) => Object.prototype.hasOwnProperty.call(placeholders, k));
    if (winner === undefined) {
      throw new PermalinkError(`permalink template '${template}' uses an unknown placeholder :${pool.join(' or :')}`);
    }
    const value = escapePath(placeholders[winner]);
    return match.replace(':' + winner, () => value);
  });
}

/**
 * The post's URL as Jekyll 4 builds it: the front matter `permalink:` if given (placeholders
 * expanded), else the site style/template; then sanitized.
 * @throws PermalinkError for an unknown placeholder (Jekyll raises and aborts the build)
 */
export function buildPermalink(input: PermalinkInput): string {
  const template =
    input.permalink !== null && input.permalink !== undefined
      ? input.permalink
      : permalinkTemplate(input.sitePermalink);
  // Only the groups the template names: the others (all 17 date fields, slugified categories) are
  // most of the cost. A name of no group stays absent, so expandTemplate still reports it.
  return sanitizeUrl(expandTemplate(template, urlPlaceholders(input, namesIn(template))));
}
