// `--persisted-only <manifest.json>` (`createApp({ persistedOnly })`): only the operations of a
// persisted query manifest run (trusted documents; see docs/security.md).
import type { RequestHandler } from 'express';
import { sendGraphQLError } from '../graphql-error';
import { Manifest, ManifestOperation, parseManifest, sha256 } from './manifest';
import { isRecord, namedIds, RequestFields } from './named-document';

export type Decision =
  | { kind: 'pass' }
  | { kind: 'run'; op: ManifestOperation }
  | { kind: 'refuse'; status: number; code: string; message: string };

/** What to do with one request: pass it on (it names no document), run a manifest operation, or refuse it. */
export function decide(f: RequestFields, byId: Map<string, ManifestOperation>): Decision {
  const named = namedIds(f);
  if ('error' in named) return { kind: 'refuse', status: 400, code: 'BAD_REQUEST', message: named.error };
  if (named.ids.length > 1)
    return {
      kind: 'refuse',
      status: 400,
      code: 'BAD_REQUEST',
      message: `the request names two different persisted documents: ${named.ids.join(', ')}`,
    };
  const id = named.ids[0];
  if (f.query !== undefined && f.query !== null && f.query !== '') {
    if (typeof f.query !== 'string')
      return { kind: 'refuse', status: 400, code: 'BAD_REQUEST', message: 'GraphQL queries must be strings.' };
    const hash = sha256(f.query);
    if (id !== undefined && id !== hash)
      return { kind: 'refuse', status: 400, code: 'BAD_REQUEST', message: 'provided sha does not match query' };
    const op = byId.get(hash);
    if (!op) {
      return {
        kind: 'refuse',
        status: 400,
        code: 'PERSISTED_QUERY_NOT_ALLOWED',
        message: `this server runs only the operations of its persisted query manifest, and this document (sha256 ${hash}) is not one of them`,
      };
    }
    return { kind: 'run', op };
  }
  if (id === undefined) return { kind: 'pass' };
  const op = byId.get(id);
  if (!op)
    return {
      kind: 'refuse',
      status: 400,
      code: 'PERSISTED_QUERY_NOT_FOUND',
      message: `no operation with id ${id} in the persisted query manifest`,
    };
  return { kind: 'run', op };
}

/** The request's extensions without `persistedQuery` (undefined when nothing else is left). */
function otherExtensions(extensions: unknown): Record<string, unknown> | undefined {
  if (!isRecord(extensions)) return undefined;
  const { persistedQuery: _ignored, ...rest } = extensions;
  return Object.keys(rest).length ? rest : undefined;
}

/**
 * Refuses any document that is not in the manifest, before Apollo parses it. An allowed request is
 * rewritten to carry the manifest's text as `query` (and no id), so Apollo runs exactly that text
 * with its usual validation, limits and GET-means-query rule; APQ is off in this mode.
 */
export function persistedOnlyMiddleware(manifest: Manifest): RequestHandler {
  const byId = new Map(parseManifest(manifest).operations.map((o) => [o.id, o]));
  return (req, res, next) => {
    if (req.method === 'GET') {
      const url = new URL(req.url, 'http://localhost');
      const p = url.searchParams;
      for (const key of ['query', 'extensions', 'documentId', 'id']) {
        if (p.getAll(key).length > 1)
          return sendGraphQLError(
            req,
            res,
            400,
            `The '${key}' search parameter may only be specified once.`,
            'BAD_REQUEST',
          );
      }
      let extensions: unknown;
      if (p.has('extensions')) {
        try {
          extensions = JSON.parse(p.get('extensions')!);
        } catch {
          return sendGraphQLError(
            req,
            res,
            400,
            'The extensions search parameter contains invalid JSON.',
            'BAD_REQUEST',
          );
        }
      }
      const d = decide(
        {
          query: p.get('query') ?? undefined,
          extensions,
          documentId: p.get('documentId') ?? undefined,
          id: p.get('id') ?? undefined,
        },
        byId,
      );
      if (d.kind === 'refuse') return sendGraphQLError(req, res, d.status, d.message, d.code);
      if (d.kind === 'run') {
        p.set('query', d.op.body);
        p.delete('documentId');
        p.delete('id');
        const rest = otherExtensions(extensions);
        if (rest) p.set('extensions', JSON.stringify(rest));
        else p.delete('extensions');
        req.url = `${url.pathname}?${p.toString()}`;
      }
      return next();
    }
    if (req.method === 'POST' && req.body && typeof req.body === 'object') {
      const batch = Array.isArray(req.body);
      const items: unknown[] = batch ? (req.body as unknown[]) : [req.body];
      const rewritten: unknown[] = [];
      for (const [i, item] of items.entries()) {
        if (!isRecord(item)) {
          rewritten.push(item);
          continue;
        }
        const d = decide(item, byId);
        if (d.kind === 'refuse')
          return sendGraphQLError(
            req,
            res,
            d.status,
            batch ? `operation ${i} of the batch: ${d.message}` : d.message,
            d.code,
          );
        if (d.kind === 'pass') {
          rewritten.push(item);
          continue;
        }
        const { documentId: _d, id: _i, extensions, ...rest } = item;
        const ext = otherExtensions(extensions);
        rewritten.push({ ...rest, query: d.op.body, ...(ext ? { extensions: ext } : {}) });
      }
      req.body = batch ? rewritten : rewritten[0];
    }
    next();
  };
}
