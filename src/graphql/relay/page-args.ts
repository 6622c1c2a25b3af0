import { badInput } from '../errors';

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface PageRequest {
  forward: boolean;
  limit: number;
  cursor: string | null;
}

/** A page size `name` in 1..max (default MAX_PAGE), or a BAD_USER_INPUT error naming it. */
export function checkSize(name: string, n: number, max = MAX_PAGE): number {
  if (!Number.isInteger(n) || n < 1 || n > max) throw badInput(`\`${name}\` must be between 1 and ${max}, got ${n}`);
  return n;
}

/** Relay arguments -> direction, size and cursor; both directions at once is an error. */
export function pageRequest(a: PageArgs): PageRequest {
  // No connection issues an empty cursor: read as "no cursor" it would silently restart the list.
  for (const arg of ['after', 'before'] as const)
    if (a[arg] === '')
      throw badInput(`\`${arg}\` is empty: pass a cursor from this connection's edges or pageInfo, or leave it out`);
  const hasFirst = a.first != null || a.after != null;
  const hasLast = a.last != null || a.before != null;
  if (hasFirst && hasLast) throw badInput('use `first`/`after` or `last`/`before`, not both');
  if (hasLast)
    return {
      forward: false,
      limit: a.last == null ? DEFAULT_PAGE : checkSize('last', a.last),
      cursor: a.before ?? null,
    };
  return {
    forward: true,
    limit: a.first == null ? DEFAULT_PAGE : checkSize('first', a.first),
    cursor: a.after ?? null,
  };
}

/**
 * An edge's cursor, encoded only when a query selects it (the edge's `cursor` getter calls it):
 * a page of 20 posts with 3 related posts each would otherwise encode 80 cursors and show two.
 */
export type EdgeCursor = () => string;

export const edgeCursor =
  (kind: string, value: unknown): EdgeCursor =>
  () =>
    encodeCursor(kind, value);

/** Opaque cursors: base64url JSON tagged with what they page over, so one kind can't be fed to another. */
export function encodeCursor(kind: string, value: unknown): string {
  return Buffer.from(JSON.stringify([kind, value])).toString('base64url');
}

export function decodeCursor<T>(kind: string, cursor: string, valid: (v: unknown) => v is T): T {
  let parsed: unknown;
  try {
    if (cursor.length > 512 || !/^[A-Za-z0-9_-]*$/.test(cursor)) throw new Error();
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput(
      `malformed cursor ${JSON.stringify(cursor.slice(0, 80))}: pass a cursor from this connection's edges or pageInfo`,
    );
  }
  if (!Array.isArray(parsed) || parsed[0] !== kind || !valid(parsed[1])) {
    throw badInput(`cursor ${JSON.stringify(cursor.slice(0, 80))} does not belong to this connection`);
  }
  return parsed[1];
}

export const isInt = (v: unknown): v is number => Number.isSafeInteger(v);

/** A position in a ranked list (search hits, related posts): a forged negative one would read from the end. */
export const isOffset = (v: unknown): v is number => isInt(v) && v >= 0;
