import type { PostFilterSpec } from '../../db/queries/post-filter';
import { parseSymbolQuery } from '../../ingest/extract/symbol';
import { badInput } from '../errors';
import { fromGlobalId } from '../relay/node-id';
import { dateArg } from '../scalars/date-time';
import type { PostFilter } from '../types/filters';

const MAX_VALUES = 100;

function list(name: string, values: string[] | undefined): string[] | undefined {
  if (values == null) return undefined;
  if (values.length > MAX_VALUES)
    throw badInput(`filter.${name} takes at most ${MAX_VALUES} values, got ${values.length}`);
  return values;
}

/** Symbols a user may write in any accepted form -> the canonical symbols they can mean. */
export function symbolCandidates(input: string): string[] {
  const q = parseSymbolQuery(input);
  if (q.kind === 'invalid') throw badInput(`filter.stocks: ${q.reason}`);
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
  const spec: PostFilterSpec = {};
  const categories = list('categories', f.categories);
  if (categories) spec.categories = categories.map((c) => c.toLowerCase());
  const tags = list('tags', f.tags);
  if (tags) spec.tags = tags;
  const stocks = list('stocks', f.stocks);
  if (stocks) spec.stockSymbols = [...new Set(stocks.flatMap(symbolCandidates))];
  const boards = list('boards', f.boards);
  if (boards) spec.boards = boards.map((b) => boardCode(b));
  const orgs = list('organizations', f.organizations);
  if (orgs) {
    spec.organizationIds = orgs.map((gid) => {
      const id = fromGlobalId(gid);
      if (!id || id.type !== 'Organization')
        throw badInput(`filter.organizations: ${JSON.stringify(gid.slice(0, 40))} is not an Organization ID`);
      return id.id;
    });
  }
  if (f.publisher != null) spec.publisher = f.publisher;
  spec.dateFrom = dateArg(f.dateFrom);
  spec.dateTo = dateArg(f.dateTo);
  return spec;
}
