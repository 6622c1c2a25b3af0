// What facets count, shared by the two ways of counting them (post-facets.ts, range-facets.ts).

export type FacetKind = 'category' | 'tag' | 'stock' | 'board' | 'publisher';
export const FACET_KINDS: readonly FacetKind[] = ['category', 'tag', 'stock', 'board', 'publisher'];

/** The most entries a facet list gives (its `first`); counts from the read model keep this many a kind. */
export const MAX_FACET_ENTRIES = 100;

/**
 * Counts over a set of posts: per entity of each kind (entity id -> posts; at least the
 * MAX_FACET_ENTRIES largest of each), and per UTC day.
 */
export interface FacetCounts {
  total: number;
  byKind: Record<FacetKind, Map<number, number>>;
  /** Days since the epoch (UTC), ascending, with their posts. */
  days: { day: number; n: number }[];
}

/** No posts: every count empty. */
export function emptyFacetCounts(): FacetCounts {
  return {
    total: 0,
    byKind: { category: new Map(), tag: new Map(), stock: new Map(), board: new Map(), publisher: new Map() },
    days: [],
  };
}
