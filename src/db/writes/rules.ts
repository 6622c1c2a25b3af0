import { inPostsDir } from '../../ingest/walk';
import type { EntityKind } from './rows';
import type { ViaCounts } from '../../ingest/types';

// Contract rules the import planner applies (docs/contract.md).

/** Jekyll's default slugify: lower case, runs of anything but letters, marks and digits -> `-`. */
export function slugifyName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{Nd}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/** A category's key: `Markets` and `markets` are one category. */
export function categorySlug(name: string): string {
  return name.toLowerCase();
}

/** All of a post's mentions of one thing: embeds, links and text. */
export function mentionTotal(c: ViaCounts): number {
  return c.embed + c.link + c.text;
}

/** Of two files with one permalink, the one under `_posts/` wins, else the first (root, path) in sorted order. */
export function outranksFile(a: { root: string; path: string }, b: { root: string; path: string }): boolean {
  const ap = inPostsDir(a.path);
  const bp = inPostsDir(b.path);
  if (ap !== bp) return ap;
  return `${a.root}\0${a.path}` < `${b.root}\0${b.path}`;
}

/**
 * What each count counts, for the entity whose id is `id` (an SQL expression): the posts linked
 * to it; for an organization, the posts that name it or that it published (named, plus published
 * and not named: the same number as a UNION of both, without hashing every post id).
 */
export function countOf(kind: EntityKind, id: string): string {
  if (kind !== 'organization') {
    const link = { category: 'post_category', tag: 'post_tag', stock: 'post_stock', board: 'post_board' }[kind];
    return `(SELECT count(*) FROM ${link} WHERE ${kind}_id = ${id})`;
  }
  return `((SELECT count(*) FROM post_organization WHERE organization_id = ${id})
    + (SELECT count(*) FROM post p WHERE p.publisher_id = ${id}
         AND NOT EXISTS (SELECT 1 FROM post_organization o WHERE o.post_id = p.id AND o.organization_id = ${id})))`;
}
