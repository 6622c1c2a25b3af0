/** Types that have global ids. */
export type NodeType = 'Post' | 'Stock' | 'Board' | 'Organization' | 'Category' | 'Tag';
const TYPES = new Set<string>(['Post', 'Stock', 'Board', 'Organization', 'Category', 'Tag']);

/** Opaque global id: base64url of `Type:dbId`. */
export function toGlobalId(type: NodeType, id: number): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

/** The type and database id behind a global id, or null when it is not one of ours. */
export function fromGlobalId(gid: string): { type: NodeType; id: number } | null {
  if (typeof gid !== 'string' || gid.length > 64 || !/^[A-Za-z0-9_-]+$/.test(gid)) return null;
  const m = /^([A-Za-z]+):([1-9]\d{0,15})$/.exec(Buffer.from(gid, 'base64url').toString('utf8'));
  if (!m || !TYPES.has(m[1])) return null;
  return { type: m[1] as NodeType, id: Number(m[2]) };
}
