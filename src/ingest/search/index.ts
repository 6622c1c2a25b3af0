export { highlightSnippet } from './snippet';
export { indexTokens, MAX_QUERY_TOKENS, queryExpression, tokenList } from './tokens';
