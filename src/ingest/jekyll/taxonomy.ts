// Categories and tags, after Jekyll 4.3's Document#merge_categories!, #populate_categories,
// #populate_tags and Utils.pluralized_array_from_hash (read from the 4.3.1 source and checked
// with `jekyll build`).
//
// Jekyll, categories:
//   1. Document#initialize: data["categories"] = folders above `_posts` (categories_from_path).
//   2. Front matter merge (merge_categories!): a `categories:` String is split on whitespace;
//      the result is united (Array#|) with the folder categories, folders first.
//   3. populate_categories: Array(data["categories"]) + pluralized_array_from_hash(data,
//      "category", "categories"), then map(&:to_s), flatten, uniq. In that helper the singular
//      key wins when its value is truthy: `[category].flatten.compact` (never split); otherwise
//      the plural again (String -> split, Array -> compact). So `category:` comes after
//      `categories:`, and a plural repeated by the helper disappears in uniq.
// Jekyll, tags (populate_tags): pluralized_array_from_hash(data, "tag", "tags").flatten: a truthy
// `tag:` wins and `tags:` is then ignored entirely (verified: `tags: a b` + `tag: c d` ->
// ["c d"]); `tags:` String -> split, Array -> compact; any other value (e.g. `tags: 2021`) -> none.
//
// "Whitespace" is Ruby's String#split without arguments: ASCII space, \t, \n, \v, \f, \r only --
// an ideographic space (U+3000) or NBSP does NOT split (verified).
//
// Deliberate differences (Jekyll's results there are accidents, not features):
//   - nested lists are flattened (Jekyll maps to_s before flatten, producing `["a", "b"]` junk
//     categories next to the flattened ones);
//   - null items and empty strings are dropped (Jekyll turns null into a "" category);
//   - a non-string scalar `categories: 2021` is the category "2021" (Jekyll: TypeError, the file
//     is reported as unreadable and built without data);
//   - mappings inside lists are dropped; numbers and booleans become strings;
//   - tags are de-duplicated keeping the first (Jekyll keeps duplicates).

const RUBY_WHITESPACE = /[ \t\n\v\f\r]+/;

/** Ruby's `str.split` (awk mode): split on ASCII whitespace, ignore leading/trailing runs. */
export function rubySplit(s: string): string[] {
  return s.split(RUBY_WHITESPACE).filter((x) => x !== '');
}

function scalarToString(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return null; // mappings are not names
}

/** Flatten nested lists, drop nulls/mappings/empty strings, numbers to strings. */
function flattenItems(v: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) {
      x.forEach(walk);
      return;
    }
    const s = scalarToString(x);
    if (s !== null && s !== '') out.push(s);
  };
  walk(v);
  return out;
}

function uniq(items: string[]): string[] {
  return Array.from(new Set(items));
}

function has(data: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(data, key);
}

/** Ruby truthiness: everything except nil and false. */
function truthy(v: unknown): boolean {
  return v !== null && v !== undefined && v !== false;
}

/** A `categories:`/`tags:` value: a String is split on whitespace, a list is taken item by item. */
function pluralValue(v: unknown, scalarsAllowed: boolean): string[] {
  if (typeof v === 'string') return rubySplit(v);
  if (Array.isArray(v)) return flattenItems(v);
  if (!scalarsAllowed) return [];
  if (v === false) return [];
  return flattenItems(v);
}

/**
 * A post's categories, in Jekyll's order: folder categories, then `categories:`, then the
 * singular `category:` (one category, never split); de-duplicated keeping the first.
 */
export function resolveCategories(data: Record<string, unknown>, dirCategories: string[] = []): string[] {
  const plural = has(data, 'categories') ? pluralValue(data.categories, true) : [];
  const singular = has(data, 'category') && truthy(data.category) ? flattenItems([data.category]) : [];
  return uniq([...flattenItems(dirCategories), ...plural, ...singular]);
}

/** A post's tags: a truthy singular `tag:` (never split) wins over `tags:`. */
export function resolveTags(data: Record<string, unknown>): string[] {
  if (has(data, 'tag') && truthy(data.tag)) return uniq(flattenItems([data.tag]));
  if (!has(data, 'tags')) return [];
  return uniq(pluralValue(data.tags, false));
}
