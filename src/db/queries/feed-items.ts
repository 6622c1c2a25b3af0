import type { SqlRunner } from '../sql-runner';
import { categoriesOfPosts, organizationsByIds, postContentByIds, tagsOfPosts } from './lookups';
import { postPages, type PostScope } from './post-pages';
import type { PostFilterSpec } from './post-filter';
import type { PostRow } from './rows';
import { searchPageByDate, type SearchSpec } from './search';

/** A post as a feed shows it: the row, its HTML, the names of its categories, tags and publisher. */
export interface FeedItemRow extends PostRow {
  html: string;
  categories: string[];
  tags: string[];
  publisher: string | null;
}

/** Which posts a feed lists: one thing's posts, a filter's, or a search's hits; newest first. */
export type FeedSelection = { scope: PostScope; filter?: PostFilterSpec } | { search: SearchSpec };

/** The newest `limit` posts of a selection with what a feed item shows (five statements). */
export async function feedItems(run: SqlRunner, sel: FeedSelection, limit: number): Promise<FeedItemRow[]> {
  const rows: PostRow[] =
    'search' in sel
      ? (await searchPageByDate(run, sel.search, 0, limit, false)).rows
      : (await postPages(run, [{ scope: sel.scope, filter: sel.filter, ascending: false, forward: true, limit }]))[0]
          .items;
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const publisherIds = [...new Set(rows.flatMap((r) => (r.publisherId === null ? [] : [r.publisherId])))];
  const [content, categories, tags, publishers] = await Promise.all([
    postContentByIds(run, ids),
    categoriesOfPosts(run, ids),
    tagsOfPosts(run, ids),
    publisherIds.length ? organizationsByIds(run, publisherIds) : Promise.resolve([]),
  ]);
  const html = new Map(content.map((c) => [c.id, c.html]));
  const names = new Map(publishers.map((o) => [o.id, o.name]));
  const byPost = <T extends { postId: number }>(list: T[], name: (t: T) => string) => {
    const m = new Map<number, string[]>();
    for (const t of list) m.set(t.postId, [...(m.get(t.postId) ?? []), name(t)]);
    return m;
  };
  const cats = byPost(categories, (c) => c.name);
  const tagNames = byPost(tags, (t) => t.name);
  return rows.map((r) => {
    // A search hit carries its text and score; a feed item needs neither.
    const { text: _text, score: _score, ...row } = r as PostRow & { text?: unknown; score?: unknown };
    return {
      ...row,
      html: html.get(r.id) ?? '',
      categories: cats.get(r.id) ?? [],
      tags: tagNames.get(r.id) ?? [],
      publisher: r.publisherId === null ? null : (names.get(r.publisherId) ?? null),
    };
  });
}

/** Every post's permalink and date, a page of `limit` from id `afterId` on (sitemaps). */
export async function sitemapPage(
  run: SqlRunner,
  afterId: number,
  limit: number,
): Promise<{ id: number; url: string; dateMs: number }[]> {
  const rows = await run.all<{ id: number; url: string; dateMs: number | string }>(
    'SELECT p.id, p.url, p.date_ms AS "dateMs" FROM post p WHERE p.id > ? ORDER BY p.id LIMIT ?',
    [afterId, limit],
  );
  return rows.map((r) => ({ id: Number(r.id), url: r.url, dateMs: Number(r.dateMs) }));
}

/** Posts in all, and the time of the latest change the feed recorded (null before any). */
export async function archiveState(run: SqlRunner): Promise<{ posts: number; lastChangeMs: number | null }> {
  const row = await run.get<{ n: number | string; at: number | string | null }>(
    'SELECT (SELECT count(*) FROM post) AS n, (SELECT at_ms FROM post_change ORDER BY seq DESC LIMIT 1) AS at',
  );
  return { posts: Number(row!.n), lastChangeMs: row!.at === null ? null : Number(row!.at) };
}
