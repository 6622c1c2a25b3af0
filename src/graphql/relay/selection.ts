import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/** Post fields answered from the post's links row (post_links). */
export const LINK_FIELDS: ReadonlySet<string> = new Set([
  'categories',
  'tags',
  'stocks',
  'stockMentions',
  'boards',
  'organizations',
]);

/**
 * Whether the query selects any of `names` at `path` below the field being resolved (`[]`: on the
 * field's own object; `['edges', 'node']`: on a connection's nodes), through fragments too.
 * Directives are not evaluated: a field under `@skip` counts as selected, which costs at most a
 * statement the request did not need.
 */
export function selectsAt(info: GraphQLResolveInfo, path: readonly string[], names: ReadonlySet<string>): boolean {
  const seen = new Set<string>();
  const under = (set: SelectionSetNode | undefined, rest: readonly string[]): boolean => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.INLINE_FRAGMENT) {
        if (under(s.selectionSet, rest)) return true;
      } else if (s.kind === Kind.FRAGMENT_SPREAD) {
        const name = s.name.value;
        // A fragment met twice at the same depth adds nothing (and a cycle is invalid anyway).
        const key = `${name}@${rest.length}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (under(info.fragments[name]?.selectionSet, rest)) return true;
      } else if (rest.length === 0) {
        if (names.has(s.name.value)) return true;
      } else if (s.name.value === rest[0] && under(s.selectionSet, rest.slice(1))) return true;
    }
    return false;
  };
  return info.fieldNodes.some((f) => under(f.selectionSet, path));
}

/** Whether the query selects any of `names` on the nodes of the connection being resolved. */
export const selectsOnNodes = (info: GraphQLResolveInfo, names: ReadonlySet<string>): boolean =>
  selectsAt(info, ['edges', 'node'], names);
