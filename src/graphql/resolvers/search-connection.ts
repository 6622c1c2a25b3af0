import {
  searchCount,
  searchPage,
  searchPageByDate,
  withNamedStocks,
  type SearchCount,
  type SearchSpec,
} from '../../db/queries/search';
import { parseSymbolQuery } from '../../ingest/extract/symbol';
import { textPrefixOf } from '../../ingest/render/packed';
import { foldHan, highlightSnippet, queryTerms } from '../../ingest/search';
import type { Context } from '../context';
import { badInput } from '../errors';
import { decodeCursor, edgeCursor, isOffset, PageArgs, pageRequest } from '../relay/page-args';
import { SearchConnection, SearchEdge } from '../types/connections';
import { SearchOrder } from '../types/enums';
import type { PostFilter } from '../types/filters';
import { pageInfo } from '../types/node';
import { toFilterSpec } from './filter-spec';
import { primePost } from './post-connection';

export const MAX_QUERY_LENGTH = 200;

/** Canonical symbols a one-word query may name (600050 -> 600050.SH and its alternatives). */
function symbolsIn(query: string): string[] {
  const q = parseSymbolQuery(query);
  if (q.kind === 'exact') return [q.ref.symbol];
  if (q.kind === 'code') return q.candidates.map((c) => c.symbol);
  return [];
}

/** A search's text, trimmed; empty or too long is an error naming `field(arg:)`. */
export function searchText(field: string, arg: string, query: string): string {
  const text = query.trim();
  if (text === '') throw badInput(`${field}: \`${arg}\` is empty`);
  if (text.length > MAX_QUERY_LENGTH)
    throw badInput(`${field}: \`${arg}\` is longer than ${MAX_QUERY_LENGTH} characters`);
  return text;
}

/**
 * The spellings of a stock name a one-word query may be: as typed, NFKC-normalized, traditional
 * characters read as simplified (as search reads text), each with Latin letters upper-cased too
 * (`万科a` for `万科A`).
 */
function nameSpellings(query: string): string[] {
  const nfkc = query.normalize('NFKC');
  const folded = foldHan(nfkc);
  return [...new Set([query, nfkc, nfkc.toUpperCase(), folded, folded.toUpperCase()])];
}

/** What a search asks the database for: the query's terms, the stocks it names, the filter. */
export function searchSpecOf(text: string, filter: PostFilter | undefined): SearchSpec {
  const oneWord = !/\s/.test(text);
  return {
    terms: queryTerms(text),
    symbols: oneWord ? symbolsIn(text) : [],
    names: oneWord ? nameSpellings(text) : [],
    filter: toFilterSpec(filter),
  };
}

export async function searchConnection(
  ctx: Context,
  query: string,
  args: PageArgs,
  filter: PostFilter | undefined,
  order: SearchOrder = SearchOrder.RELEVANCE,
): Promise<SearchConnection> {
  const text = searchText('search', 'query', query);
  const req = pageRequest({ first: args.first, after: args.after });
  const offset = req.cursor ? decodeCursor('search', req.cursor, isOffset) : 0;
  // The stocks it names are looked up once, for the page and the count.
  const spec = await withNamedStocks(ctx.run, searchSpecOf(text, filter));
  const { rows, hasMore, count } =
    order === SearchOrder.RELEVANCE
      ? await searchPage(ctx.run, spec, offset, req.limit)
      : await searchPageByDate(ctx.run, spec, offset, req.limit, order === SearchOrder.DATE_ASC);
  const conn = new SearchConnection();
  conn.edges = rows.map((r, i) =>
    Object.assign(new SearchEdge(), {
      node: primePost(ctx, r),
      cursorOf: edgeCursor('search', offset + i + 1),
      // Text scores are lower-is-better and negative; flip them so higher means more relevant.
      score: Math.round(-r.score * 1000) / 1000,
      snippetOf: () => highlightSnippet(textPrefixOf(r.text, `post ${r.id} text`), text),
    }),
  );
  conn.pageInfo = pageInfo(
    conn.edges.map((e) => e.cursorOf),
    true,
    hasMore,
    offset > 0,
  );
  // The page counts the hits when it ranked them all; else (an empty page, a bounded ranking) apart.
  let counting: Promise<SearchCount> | null = count && Promise.resolve(count);
  conn.counted = () => (counting ??= searchCount(ctx.run, spec));
  return conn;
}
