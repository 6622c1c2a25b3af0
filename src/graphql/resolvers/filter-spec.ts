import type { PostFilterSpec } from '../../db/queries/post-filter';
import { parseSymbolQuery } from '../../ingest/extract/symbol';
import { badInput } from '../errors';
import { fromGlobalId } from '../relay/node-id';
import { dateArg } from '../scalars/date-time';
import type { PostFilter } from '../types/filters';

const MAX_VALUES = 100;
/** Characters of `titleContains`: a title is rarely longer. */
const MAX_TITLE_TEXT = 200;
/** Levels of `and`/`or`/`not` below the top filter. */
export const MAX_FILTER_NESTING = 4;
/** Nested filters in one filter, however arranged: bounds the SQL a filter writes. */
export const MAX_NESTED_FILTERS = 32;

function list(name: string, values: string[] | undefined): string[] | undefined {
  if (values == null) return undefined;
  if (values.length > MAX_VALUES) throw badInput(`${name} takes at most ${MAX_VALUES} values, got ${values.length}`);
  return values;
}

/** The nested filters of a filter, at every level (what the query cost counts). */
export function nestedFilterCount(f: PostFilter | null | undefined): number {
  if (!f || typeof f !== 'object') return 0;
  return subFilters(f).reduce((n, sub) => n + 1 + nestedFilterCount(sub), 0);
}

/** The filters directly inside one: its `and`, `or` and `not`. */
function subFilters(f: PostFilter): PostFilter[] {
  return [...(f.and ?? []), ...(f.or ?? []), ...(f.not ? [f.not] : [])];
}

/**
 * The query cost of a filter on a part of the title (`titleContains`, at any depth): Han text
 * reads the titles the text index names (1M posts: up to ~0.2 s for words in many posts), any
 * other text every title in its scope (1M: about a second).
 */
export const TITLE_SCAN_COST = 2500;

/** Whether a filter, or one nested in it, holds `titleContains`. */
export function scansTitles(f: PostFilter | null | undefined): boolean {
  if (!f || typeof f !== 'object') return false;
  if (f.titleContains != null) return true;
  return subFilters(f).some(scansTitles);
}

/** Symbols a user may write in any accepted form -> the canonical symbols they can mean. */
export function symbolCandidates(input: string, where = 'filter.stocks'): string[] {
  const q = parseSymbolQuery(input);
  if (q.kind === 'invalid') throw badInput(`${where}: ${q.reason}`);
  return q.kind === 'exact' ? [q.ref.symbol] : q.candidates.map((c) => c.symbol);
}

/** Board code from `BK0493` or `90.BK0493`; `where` names the argument in the error. */
export function boardCode(input: string, where = 'filter.boards'): string {
  const m = /^(?:90\.)?(BK\d{1,6})$/i.exec(input.trim());
  if (!m)
    throw badInput(
      `${where}: expected a board code such as BK0493 or 90.BK0493 (got ${JSON.stringify(input.slice(0, 40))})`,
    );
  return m[1].toUpperCase();
}

/** API filter -> database filter. Unknown names simply match nothing; malformed ones are errors. */
export function toFilterSpec(f: PostFilter | null | undefined): PostFilterSpec | undefined {
  if (!f) return undefined;
  const nested = nestedFilterCount(f);
  if (nested > MAX_NESTED_FILTERS)
    throw badInput(`filter nests ${nested} filters in and/or/not; at most ${MAX_NESTED_FILTERS}`);
  return specOf(f, 'filter', 0);
}

function specOf(f: PostFilter, at: string, depth: number): PostFilterSpec {
  const spec: PostFilterSpec = {};
  const categories = list(`${at}.categories`, f.categories);
  if (categories) spec.categories = categories.map((c) => c.toLowerCase());
  const categoriesAll = list(`${at}.categoriesAll`, f.categoriesAll);
  if (categoriesAll) spec.categoriesAll = categoriesAll.map((c) => c.toLowerCase());
  const tags = list(`${at}.tags`, f.tags);
  if (tags) spec.tags = tags;
  const tagsAll = list(`${at}.tagsAll`, f.tagsAll);
  if (tagsAll) spec.tagsAll = tagsAll;
  const stocks = list(`${at}.stocks`, f.stocks);
  if (stocks) spec.stockSymbols = [...new Set(stocks.flatMap((s) => symbolCandidates(s, `${at}.stocks`)))];
  const stocksAll = list(`${at}.stocksAll`, f.stocksAll);
  if (stocksAll) spec.stocksAll = stocksAll.map((s) => symbolCandidates(s, `${at}.stocksAll`));
  const boards = list(`${at}.boards`, f.boards);
  if (boards) spec.boards = boards.map((b) => boardCode(b, `${at}.boards`));
  const orgs = list(`${at}.organizations`, f.organizations);
  if (orgs) {
    spec.organizationIds = orgs.map((gid) => {
      const id = fromGlobalId(gid);
      if (!id || id.type !== 'Organization')
        throw badInput(`${at}.organizations: ${JSON.stringify(gid.slice(0, 40))} is not an Organization ID`);
      return id.id;
    });
  }
  if (f.publisher != null) spec.publisher = f.publisher;
  spec.dateFrom = dateArg(f.dateFrom);
  spec.dateTo = dateArg(f.dateTo);
  if (f.titleContains != null) {
    if (f.titleContains === '') throw badInput(`${at}.titleContains is empty`);
    if (f.titleContains.length > MAX_TITLE_TEXT)
      throw badInput(`${at}.titleContains is longer than ${MAX_TITLE_TEXT} characters`);
    spec.titleContains = f.titleContains.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  }
  const nest = (name: 'and' | 'or' | 'not', sub: PostFilter, i?: number): PostFilterSpec => {
    const path = i === undefined ? `${at}.${name}` : `${at}.${name}[${i}]`;
    if (depth + 1 > MAX_FILTER_NESTING)
      throw badInput(`${path}: filters nest at most ${MAX_FILTER_NESTING} levels deep`);
    return specOf(sub, path, depth + 1);
  };
  if (f.and != null) spec.and = f.and.map((sub, i) => nest('and', sub, i));
  if (f.or != null) spec.or = f.or.map((sub, i) => nest('or', sub, i));
  if (f.not != null) spec.not = nest('not', f.not);
  return spec;
}
