// The one description of `post_links.links` (src/entities/post-links.ts): the SQL that builds a
// post's row from its link tables, on either database, and the decoder the read side uses. The
// import runs the same SQL for the posts a batch wrote as `reindex` runs for all of them, so the
// row can only say what the link tables say.

/** How a post names a stock, board or organization: `[id, count, embedCount, linkCount, textCount]`. */
export type CountedLink = [number, number, number, number, number];

export interface PostLinks {
  /** Category ids in front-matter order. */
  c: number[];
  /** Tag ids in front-matter order. */
  t: number[];
  /** Stocks, boards and organizations, most-mentioned first (ties by id), as the link tables order them. */
  s: CountedLink[];
  b: CountedLink[];
  o: CountedLink[];
}

type DbName = 'sqlite' | 'postgres';

const LISTS: { key: keyof PostLinks; table: string; column: string; counted: boolean }[] = [
  { key: 'c', table: 'post_category', column: 'category_id', counted: false },
  { key: 't', table: 'post_tag', column: 'tag_id', counted: false },
  { key: 's', table: 'post_stock', column: 'stock_id', counted: true },
  { key: 'b', table: 'post_board', column: 'board_id', counted: true },
  { key: 'o', table: 'post_organization', column: 'organization_id', counted: true },
];

/** One list of post `post` (an SQL expression) as a JSON array, `[]` when it has none. */
function listSql(db: DbName, l: (typeof LISTS)[number], post: string): string {
  const item = l.counted
    ? `${db === 'sqlite' ? 'json_array' : 'json_build_array'}(${l.column}, count, embed_count, link_count, text_count)`
    : l.column;
  const order = l.counted ? `count DESC, ${l.column}` : 'position';
  const from = `FROM ${l.table} WHERE post_id = ${post}`;
  return db === 'sqlite'
    ? `(SELECT json_group_array(${item} ORDER BY ${order}) ${from})`
    : `(SELECT coalesce(json_agg(${item} ORDER BY ${order}), '[]'::json) ${from})`;
}

/** The `links` value of post `p`, from its link tables. */
function linksSql(db: DbName): string {
  const fields = LISTS.map((l) => `'${l.key}', ${listSql(db, l, 'p.id')}`).join(', ');
  return db === 'sqlite' ? `json_object(${fields})` : `json_build_object(${fields})::text`;
}

/** `post_id, links` of the posts `where` selects (a condition on the post `p`, with its own parameters), from their link tables. */
export function selectPostLinksSql(db: DbName, where: string): string {
  return `SELECT p.id AS post_id, ${linksSql(db)} AS links FROM post p WHERE ${where}`;
}

/** Writes the `post_links` rows of the posts `where` selects; the rows must not exist yet. */
export function insertPostLinksSql(db: DbName, where: string): string {
  return `INSERT INTO post_links (post_id, links) ${selectPostLinksSql(db, where)}`;
}

/** Every post's row again (`reindex`, the migration that adds the table). */
export function rebuildPostLinksSql(db: DbName): string[] {
  return ['DELETE FROM post_links', insertPostLinksSql(db, 'TRUE')];
}

/** A stored row's links; `what` names it in the error a damaged row gives. */
export function decodePostLinks(links: string, what: string): PostLinks {
  let v: unknown;
  try {
    v = JSON.parse(links);
  } catch {
    throw new Error(`${what}: links are not JSON (run \`newsgraph reindex\`)`);
  }
  const o = v as Partial<PostLinks> | null;
  if (!o || !Array.isArray(o.c) || !Array.isArray(o.t) || !Array.isArray(o.s) || !Array.isArray(o.b) || !Array.isArray(o.o))
    throw new Error(`${what}: links lack a list (run \`newsgraph reindex\`)`);
  return o as PostLinks;
}
