import {
  type FieldNode,
  getArgumentValues,
  type GraphQLField,
  type GraphQLResolveInfo,
  Kind,
  type SelectionSetNode,
} from 'graphql';

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
 * The fields the query selects at `path` below the field being resolved (`[]`: on the field's own
 * object; `['edges', 'node']`: on a connection's nodes), through fragments too. Directives are not
 * evaluated: a field under `@skip` counts as selected, which costs at most a read the request did
 * not need.
 */
export function fieldsAt(info: GraphQLResolveInfo, path: readonly string[]): FieldNode[] {
  const seen = new Set<string>();
  const out: FieldNode[] = [];
  const under = (set: SelectionSetNode | undefined, rest: readonly string[]): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.INLINE_FRAGMENT) under(s.selectionSet, rest);
      else if (s.kind === Kind.FRAGMENT_SPREAD) {
        const name = s.name.value;
        // A fragment met twice at the same depth adds nothing (and a cycle is invalid anyway).
        const key = `${name}@${rest.length}`;
        if (seen.has(key)) continue;
        seen.add(key);
        under(info.fragments[name]?.selectionSet, rest);
      } else if (rest.length === 0) out.push(s);
      else if (s.name.value === rest[0]) under(s.selectionSet, rest.slice(1));
    }
  };
  for (const f of info.fieldNodes) under(f.selectionSet, path);
  return out;
}

/** Whether any of `fields` (from `fieldsAt`) is one of `names`; an alias names the field it selects. */
export const selectsAny = (fields: readonly FieldNode[], names: ReadonlySet<string>): boolean =>
  fields.some((f) => names.has(f.name.value));

/**
 * The arguments of each of `fields` (from `fieldsAt`) that selects field `def`, as graphql-js will
 * pass them to its resolver (variables and defaults applied); a selection whose arguments do not
 * resolve is left out: its resolver reports that.
 */
export function argumentsOf(
  info: GraphQLResolveInfo,
  fields: readonly FieldNode[],
  def: GraphQLField<unknown, unknown>,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const f of fields) {
    if (f.name.value !== def.name) continue;
    try {
      out.push(getArgumentValues(def, f, info.variableValues));
    } catch {
      // The field's own resolution raises it.
    }
  }
  return out;
}
