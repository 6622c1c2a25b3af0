export { indexTokens } from './tokens';
export { queryExpression, queryTerms, MAX_QUERY_TOKENS, type QueryTerm } from './query';
export { highlightSnippet, type SnippetOptions } from './snippet';
