import type { RequestHandler } from 'express';
import { isHashOnlyGet } from './named-document';

/**
 * Lets a hash-only persisted-query GET through Apollo's CSRF prevention. Apollo blocks every GET that
 * has neither a non-simple content type nor an `apollo-require-preflight` / `x-apollo-operation-name`
 * header, because a browser sends such a "simple" request cross-site without asking CORS first. Here
 * that request can do no harm: GET runs queries only (Apollo refuses mutations over GET), the API
 * reads no cookies or other ambient credentials (every caller sees the same public data), and the
 * request carries no document, so it can only run one already registered. Any other GET (a `query`
 * in the URL, including an APQ registration over GET) still needs the header.
 */
export function persistedGetPassesCsrf(acceptDocumentId: boolean): RequestHandler {
  return (req, _res, next) => {
    if (isHashOnlyGet(req, acceptDocumentId)) req.headers['apollo-require-preflight'] = 'persisted-get';
    next();
  };
}
