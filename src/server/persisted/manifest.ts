import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Kind, OperationDefinitionNode, parse } from 'graphql';

/**
 * The trusted documents `--persisted-only <file>` (`createApp({ persistedOnly })`) runs exclusively,
 * read from either of the two files clients' build tools write, both checked the same way:
 * - Apollo's persisted query manifest (`@apollo/generate-persisted-query-manifest`, Apollo iOS / Kotlin):
 *   `{ "format": "apollo-persisted-query-manifest", "version": 1,
 *      "operations": [{ "id": "<sha256 of body>", "name": "…", "type": "query", "body": "…" }] }`;
 * - GraphQL Code Generator's client preset (`persistedDocuments`), a map of hash to document:
 *   `{ "sha256:<sha256 of body>": "<document>" }` (a bare hex key too), whose operation gives the
 *   name and type.
 * Both become the same Manifest. See docs/security.md for the reasoning.
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

/** The client preset's persisted-documents.json: `{ "sha256:<hex>": "<document>" }`. */
export type PersistedDocuments = Record<string, string>;

/** The operations of `body`, or why it is no GraphQL document. */
function operationsOf(body: string): OperationDefinitionNode[] | string {
  try {
    return parse(body).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch (err) {
    return `not a GraphQL document: ${(err as Error).message}`;
  }
}

/**
 * Checks a parsed manifest in either format (an object with `format` or `operations` is Apollo's,
 * any other object a persisted-documents map); `source` (a file name) begins every error message.
 */
export function parseManifest(value: unknown, source = 'persisted query manifest'): Manifest {
  // A declaration, not an arrow: TypeScript narrows after a call of a declared `never` function.
  function fail(problem: string): never {
    throw new ManifestError(`${source}: ${problem}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('expected a JSON object');
  const m = value as Record<string, unknown>;
  if (!('format' in m) && !('operations' in m)) return parseDocumentMap(m, fail);
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
    const defs = operationsOf(body);
    if (typeof defs === 'string') fail(`${where(o)}: "body" is ${defs}`);
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

const DOCUMENT_KEY = /^(?:sha256:)?([0-9a-f]{64})$/;

/** A persisted-documents map as a Manifest: each key the SHA-256 of its document, which holds one operation. */
function parseDocumentMap(m: Record<string, unknown>, fail: (problem: string) => never): Manifest {
  const entries = Object.entries(m);
  if (entries.length === 0)
    fail(
      'no documents: expected a persisted-documents map ({ "sha256:<hex>": "<document>" }) or an Apollo persisted query manifest, got an empty object',
    );
  const seen = new Map<string, string>();
  const operations = entries.map(([key, body]): ManifestOperation => {
    const where = `document ${JSON.stringify(key)}`;
    const id = DOCUMENT_KEY.exec(key)?.[1];
    if (!id) fail(`${where}: the key must be "sha256:" and 64 lowercase hex characters (the SHA-256 of the document)`);
    const twin = seen.get(id);
    if (twin !== undefined) fail(`${where}: names the same document as ${JSON.stringify(twin)}`);
    seen.set(id, key);
    if (typeof body !== 'string' || body.trim() === '') fail(`${where}: the document must be a non-empty string`);
    const actual = sha256(body);
    if (id !== actual) fail(`${where}: the key is not the SHA-256 of its document (which is ${actual})`);
    const defs = operationsOf(body);
    if (typeof defs === 'string') fail(`${where}: the document is ${defs}`);
    // Nothing names which operation to run, so there must be one (the client preset writes one a document).
    if (defs.length !== 1)
      fail(`${where}: the document holds ${defs.length} operations; a persisted document holds exactly one`);
    const op = defs[0];
    return { id, ...(op.name ? { name: op.name.value } : {}), type: op.operation, body };
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
