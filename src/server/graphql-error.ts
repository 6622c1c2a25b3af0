import type { Request, Response } from 'express';

/** An error answered before Apollo runs, in GraphQL's response shape and the negotiated media type. */
export function sendGraphQLError(req: Request, res: Response, status: number, message: string, code: string): void {
  const type =
    req.accepts(['application/json', 'application/graphql-response+json']) === 'application/graphql-response+json'
      ? 'application/graphql-response+json; charset=utf-8'
      : 'application/json; charset=utf-8';
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .type(type)
    .send(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
