import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Request, RequestHandler, Response } from 'express';
import { Kind, OperationDefinitionNode, parse } from 'graphql';

/**
 * Trusted documents.
 *
 * - Automatic persisted queries (APQ) are Apollo Server's own; this file gives them a bounded cache.
 * - `--persisted-only <manifest.json>` (`createApp({ persistedOnly })`): only the operations of a
 *   persisted query manifest run. The manifest is Apollo's format, as written by
 *   `@apollo/generate-persisted-query-manifest` (and Apollo iOS / Kotlin):
 *   `{ "format": "apollo-persisted-query-manifest", "version": 1,
 *      "operations": [{ "id": "<sha256 of body>", "name": "…", "type": "query", "body": "…" }] }`.
 * - A GET that names a persisted document by hash, and carries no document text, passes Apollo's
 *   CSRF prevention without a preflight header, so browsers and CDNs can cache public reads.
 *
 * See docs/security.md for the reasoning.
 */

export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

export interface ManifestOperation {
  /** Hex SHA-256 of `body` (lowercase, as Apollo's tools write it). */
  id: string;
  /** The operation's name (Apollo iOS may leave it out). */
  name?: string;
  type: 'query' | 'mutation' | 'subscription';
  /** The document's text, exactly as the client hashed it. */
  body: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  operations: ManifestOperation[];
}

/** A manifest that cannot be used; the message names the file (or source) and the problem. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const HEX64 = /^[0-9a-f]{64}$/;
const TYPES = new Set(['query', 'mutation', 'subscription']);
const isOperationType = (t: unknown): t is ManifestOperation['type'] => typeof t === 'string' && TYPES.has(t);

/** Checks a parsed manifest; `source` (a file name) begins every error message. */
export function parseManifest(value: unknown, source = 'persisted query manifest'): Manifest {
  // A declaration, not an arrow: TypeScript narrows after a call of a declared `never` function.
  function fail(problem: string): never {
    throw new ManifestError(`${source}: ${problem}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('expected a JSON object');
  const m = value as Record<string, unknown>;
  if (m.format !== MANIFEST_FORMAT) fail(`"format" must be "${MANIFEST_FORMAT}", got ${JSON.stringify(m.format)}`);
  if (m.version !== 1) fail(`unsupported "version" ${JSON.stringify(m.version)} (only 1 is known)`);
  if (!Array.isArray(m.operations)) fail('"operations" must be an array');
  const ops = m.operations as unknown[];
  if (ops.length === 0) fail('"operations" is empty: every request would be refused');
  const operations = ops.map((raw, i): ManifestOperation => {
    const where = (o?: Record<string, unknown>) =>
      `operations[${i}]${typeof o?.name === 'string' ? ` (${o.name})` : ''}`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return fail(`${where()}: expected an object`);
    const o = raw as Record<string, unknown>;
    if (typeof o.body !== 'string' || o.body.trim() === '') fail(`${where(o)}: "body" must be a non-empty string`);
    if (typeof o.id !== 'string' || !HEX64.test(o.id))
      fail(`${where(o)}: "id" must be a lowercase hex SHA-256 (64 characters), got ${JSON.stringify(o.id)}`);
    const body = o.body;
    const actual = sha256(body);
    if (o.id !== actual) fail(`${where(o)}: "id" ${o.id} is not the SHA-256 of its body (which is ${actual})`);
    if (o.name !== undefined && o.name !== null && typeof o.name !== 'string')
      fail(`${where(o)}: "name" must be a string`);
    if (!isOperationType(o.type))
      fail(`${where(o)}: "type" must be query, mutation or subscription, got ${JSON.stringify(o.type)}`);
    let defs: OperationDefinitionNode[] = [];
    try {
      defs = parse(body).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    } catch (err) {
      fail(`${where(o)}: "body" is not a GraphQL document: ${(err as Error).message}`);
    }
    if (defs.length === 0) fail(`${where(o)}: "body" holds no operation`);
    const named = typeof o.name === 'string' ? defs.find((d) => d.name?.value === o.name) : defs[0];
    if (!named) fail(`${where(o)}: "body" has no operation named ${String(o.name)}`);
    const operation: string = named.operation;
    if (operation !== o.type) fail(`${where(o)}: "type" is ${o.type} but the operation is a ${operation}`);
    return {
      id: o.id,
      ...(typeof o.name === 'string' ? { name: o.name } : {}),
      type: o.type,
      body,
    };
  });
  return { format: MANIFEST_FORMAT, version: 1, operations };
}

/** Reads and checks a manifest file; any problem is a ManifestError naming the file. */
export function loadManifest(file: string): Manifest {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ManifestError(`${file}: cannot read the persisted query manifest: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(`${file}: the persisted query manifest is not valid JSON: ${(err as Error).message}`);
  }
  return parseManifest(json, file);
}

/**
 * Bounded LRU store for APQ (hash -> document text). Apollo's default is a 30 MiB LRU shared with
 * its other caches; this one is APQ's own, so registrations (which anyone may send) can only evict
 * each other. Sizes count UTF-8 bytes of key and value.
 */
export class BoundedLruCache {
  private readonly entries = new Map<string, string>();
  private bytes = 0;

  constructor(readonly maxBytes = 8 * 1024 * 1024) {}

  get size(): number {
    return this.entries.size;
  }

  private static cost(key: string, value: string): number {
    return Buffer.byteLength(key) + Buffer.byteLength(value);
  }

  async get(key: string): Promise<string | undefined> {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.delete(key);
    const cost = BoundedLruCache.cost(key, value);
    if (cost > this.maxBytes) return;
    this.entries.set(key, value);
    this.bytes += cost;
    for (const [oldest, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= BoundedLruCache.cost(oldest, v);
    }
  }

  async delete(key: string): Promise<boolean> {
    const value = this.entries.get(key);
    if (value === undefined) return false;
    this.entries.delete(key);
    this.bytes -= BoundedLruCache.cost(key, value);
    return true;
  }
}

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

type Fields = { query?: unknown; extensions?: unknown; documentId?: unknown; id?: unknown };

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The persisted-document id a request names, if any: `documentId` (`sha256:` prefix optional), `id`, or APQ's hash. */
function namedIds(f: Fields): { ids: string[] } | { error: string } {
  const ids: string[] = [];
  for (const key of ['documentId', 'id'] as const) {
    const v = f[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return { error: `"${key}" must be a string` };
    ids.push(key === 'documentId' ? v.replace(/^sha256:/, '') : v);
  }
  const pq = isRecord(f.extensions) ? f.extensions.persistedQuery : undefined;
  if (pq !== undefined && pq !== null) {
    if (!isRecord(pq) || pq.version !== 1 || typeof pq.sha256Hash !== 'string') {
      return { error: 'extensions.persistedQuery must be { "version": 1, "sha256Hash": "<hex>" }' };
    }
    ids.push(pq.sha256Hash);
  }
  return { ids: [...new Set(ids)] };
}

/** True for a GET that names a persisted document by hash and carries no document text. */
export function isHashOnlyGet(req: Request, acceptDocumentId: boolean): boolean {
  if (req.method !== 'GET') return false;
  const params = new URL(req.url, 'http://localhost').searchParams;
  if (params.has('query')) return false;
  if (acceptDocumentId && (params.has('documentId') || params.has('id'))) return true;
  const ext = params.getAll('extensions');
  if (ext.length !== 1) return false;
  try {
    const parsed: unknown = JSON.parse(ext[0]);
    return isRecord(parsed) && isRecord(parsed.persistedQuery) && typeof parsed.persistedQuery.sha256Hash === 'string';
  } catch {
    return false;
  }
}

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

type Decision =
  | { kind: 'pass' }
  | { kind: 'run'; op: ManifestOperation }
  | { kind: 'refuse'; status: number; code: string; message: string };

function decide(f: Fields, byId: Map<string, ManifestOperation>): Decision {
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
