// Which persisted document a request names: by `documentId`, `id` or APQ hash (in a body or a GET's URL).
import type { Request } from 'express';

/** The fields of a GraphQL request (a POST body item, or a GET's parameters) that say what document to run. */
export type RequestFields = { query?: unknown; extensions?: unknown; documentId?: unknown; id?: unknown };

export const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The persisted-document id a request names, if any: `documentId` (`sha256:` prefix optional), `id`, or APQ's hash. */
export function namedIds(f: RequestFields): { ids: string[] } | { error: string } {
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
