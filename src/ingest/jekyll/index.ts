// Jekyll 4 semantics as pure functions (no database, no directory walking).
export { readJekyllPost, readCategoryPage, isPublished, postTitle, postSlug } from './post';
export type { JekyllPostResult } from './post';
export {
  parseFrontMatter,
  splitFrontMatter,
  frontMatterLanguage,
  stripBom,
  safeGrayMatter,
  safeGrayMatterOptions,
} from './front-matter';
export type { DateSource, ParsedFrontMatter } from './front-matter';
export {
  resolveDate,
  resolveTimeParse,
  localMidnight,
  localToInstant,
  zoneOffsetMinutes,
  isValidTimeZone,
  isValidYMD,
  formatWithOffset,
} from './dates';
export type { YMD, ResolvedDate } from './dates';
export { classifyPath, isIgnoredDir, isPostExtension, titleizeSlug, POST_EXTENSIONS } from './filename';
export type { PathClass } from './filename';
export { resolveCategories, resolveTags, rubySplit } from './taxonomy';
export {
  buildPermalink,
  permalinkTemplate,
  expandTemplate,
  urlPlaceholders,
  slugify,
  escapePath,
  sanitizeUrl,
  outputExt,
  PERMALINK_STYLES,
  DEFAULT_PERMALINK_STYLE,
} from './permalink';
export type { PermalinkInput, SlugifyMode } from './permalink';
export { readSiteConfig, parseSiteConfig, DEFAULT_SITE_CONFIG, type ParsedSiteConfig } from './config';
export { hiddenUntil } from './future';
export { loadYaml, MAX_ALIAS_COUNT } from './yaml';
export { NoFrontMatterError, FrontMatterError, InvalidDateError, PermalinkError } from './errors';
export type { FrontMatterErrorCode } from './errors';
