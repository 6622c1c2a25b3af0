// A minimal typed client: it sends a generated document by its persisted id (`documentId`, the
// sha256 hash codegen put in `__meta__`), never its text, and returns data typed by the document.
import type { ResultOf, TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';

/** An error of the GraphQL response (`extensions.code`: PERSISTED_QUERY_NOT_FOUND, BAD_USER_INPUT, …). */
export interface GraphQLErrorItem {
  message: string;
  extensions?: { code?: string };
}

export class GraphQLRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: GraphQLErrorItem[],
  ) {
    super(errors.map((e) => e.message).join('; ') || `HTTP ${status}`);
    this.name = 'GraphQLRequestError';
  }
}

export interface RequestOptions {
  /** GET makes a response cacheable by browsers and CDNs (the server sends `max-age`); default POST. */
  method?: 'GET' | 'POST';
  signal?: AbortSignal;
}

/** The persisted id the client preset gives each document (`sha256:<hex>`). */
export function documentIdOf(document: TypedDocumentNode<unknown, never>): string {
  const id = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof id !== 'string') throw new Error('the document has no persisted hash: run `npm run codegen`');
  return id;
}

/**
 * Runs `document` at `endpoint` (…/graphql) with `variables`. Any GraphQL error is thrown as a
 * GraphQLRequestError, so the data returned is whole.
 */
export async function request<TDocument extends TypedDocumentNode<unknown, never>>(
  endpoint: string,
  document: TDocument,
  variables: VariablesOf<TDocument>,
  options: RequestOptions = {},
): Promise<ResultOf<TDocument>> {
  const documentId = documentIdOf(document);
  const headers = { accept: 'application/graphql-response+json, application/json' };
  const res =
    options.method === 'GET'
      ? await fetch(
          `${endpoint}?${new URLSearchParams({ documentId, variables: JSON.stringify(variables) }).toString()}`,
          { headers, signal: options.signal },
        )
      : await fetch(endpoint, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ documentId, variables }),
          signal: options.signal,
        });
  const body = (await res.json()) as { data?: ResultOf<TDocument> | null; errors?: GraphQLErrorItem[] };
  if (body.errors?.length || body.data == null) throw new GraphQLRequestError(res.status, body.errors ?? []);
  return body.data;
}
