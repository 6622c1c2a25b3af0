export { foldHan } from './fold';
export { indexTokens } from './tokens';
export {
  ftsExpression,
  queryExpression,
  queryTerms,
  titleNeedleTokens,
  tsqueryExpression,
  MAX_QUERY_TOKENS,
  type QueryTerm,
} from './query';
export { highlightSnippet, type SnippetOptions } from './snippet';
export { FTS5_TOKENIZE, ftsTerms } from './fts-fold';
