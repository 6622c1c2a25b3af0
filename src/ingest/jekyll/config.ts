// _config.yml: the settings that change how posts are read. Parsed as data only (same
// Psych-like YAML loader as front matter); never throws.
//
// - `timezone:` an IANA name (Jekyll sets ENV["TZ"]); missing, empty or unknown -> null (UTC).
//   (Jekyll uses the machine's zone when unset and glibc falls back to UTC for unknown names.)
// - `permalink:` a style (`date`, `pretty`, `ordinal`, `weekdate`, `none`) or a template;
//   default `date`. `collections: { posts: { permalink: ... } }` wins over it, as in Jekyll's
//   Configuration#add_default_collections.
// - `future:` publish posts dated after the import's time; default false, Jekyll's since 3.0.
//   Ruby truthiness, as Jekyll tests it (`!site.future`): only a missing, null or false value is
//   false (Psych reads `no`/`off` as false; the quoted string "false" is true).
// Not supported (reported by parseSiteConfig as warnings when present): front matter
// `defaults:`, `unpublished:`, `show_drafts:`, `collections_dir:`.

import type { SiteConfig } from '../types';
import { isValidTimeZone } from './dates';
import { stripBom } from './front-matter';
import { DEFAULT_PERMALINK_STYLE } from './permalink';
import { loadYaml } from './yaml';

export const DEFAULT_SITE_CONFIG: Readonly<SiteConfig> = Object.freeze({
  timezone: null,
  permalink: DEFAULT_PERMALINK_STYLE,
  future: false,
});

const UNSUPPORTED_KEYS = ['defaults', 'unpublished', 'show_drafts', 'collections_dir'];

function scalarString(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

export interface ParsedSiteConfig {
  config: SiteConfig;
  /** What was ignored or read as a default, and why. */
  warnings: string[];
  /**
   * Set (also the first warning) when the file is not a YAML mapping: Jekyll stops on such a file,
   * and so does an import (`config` then holds the defaults).
   */
  unusable: string | null;
}

/** Read _config.yml (null: no config file) into SiteConfig, with warnings about what was ignored. */
export function parseSiteConfig(yamlText: string | null | undefined): ParsedSiteConfig {
  const warnings: string[] = [];
  const config: SiteConfig = { ...DEFAULT_SITE_CONFIG };
  if (yamlText === null || yamlText === undefined) return { config, warnings, unusable: null };
  const unusable = (reason: string) => {
    warnings.push(reason);
    return { config, warnings, unusable: reason };
  };

  let value: unknown;
  try {
    value = loadYaml(stripBom(yamlText)).value;
  } catch (e) {
    return unusable(`_config.yml is not valid YAML: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (value === null || value === undefined || value === false) return { config, warnings, unusable: null };
  if (typeof value !== 'object' || Array.isArray(value)) return unusable('_config.yml is not a mapping of settings');
  const data = value as Record<string, unknown>;

  const tz = scalarString(data.timezone);
  if (tz !== null && tz.trim() !== '') {
    if (isValidTimeZone(tz.trim())) config.timezone = tz.trim();
    else warnings.push(`unknown timezone '${tz}' in _config.yml, using UTC`);
  }

  const collections = data.collections;
  const postsCollection =
    collections && typeof collections === 'object' && !Array.isArray(collections)
      ? (collections as Record<string, unknown>).posts
      : undefined;
  const collectionPermalink =
    postsCollection && typeof postsCollection === 'object' && !Array.isArray(postsCollection)
      ? scalarString((postsCollection as Record<string, unknown>).permalink)
      : null;
  const sitePermalink = scalarString(data.permalink);
  if (collectionPermalink) config.permalink = collectionPermalink;
  else if (sitePermalink) config.permalink = sitePermalink;

  config.future = data.future !== undefined && data.future !== null && data.future !== false;

  for (const key of UNSUPPORTED_KEYS) {
    if (Object.prototype.hasOwnProperty.call(data, key)) {
      warnings.push(`'${key}:' in _config.yml is not supported and was ignored`);
    }
  }
  return { config, warnings, unusable: null };
}

/** Read _config.yml (null: no config file) into SiteConfig. Never throws. */
export function readSiteConfig(yamlText: string | null): SiteConfig {
  return parseSiteConfig(yamlText).config;
}
