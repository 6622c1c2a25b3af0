import DataLoader from 'dataloader';
import * as L from '../../db/queries/lookups';
import { PostPage, PostPageSpec, postCounts, postPages } from '../../db/queries/post-pages';
import { relatedCoverage, RelatedPair } from '../../db/queries/related';
import type {
  BoardRow,
  CategoryRow,
  MentionRow,
  OrganizationRow,
  PostCardRow,
  PostContentRow,
  PostDetailRow,
  PostRow,
  StockRow,
  TagRow,
} from '../../db/queries/rows';
import { coMentioned, dailyCoverage } from '../../db/queries/stock-stats';
import { sameStoryOfPosts } from '../../db/queries/stories';
import { SqlRunner } from '../../db/sql-runner';
import { boardSignature, type ReadLog, stockSignature } from '../read-log';
import { byGroup, manyEach, oneEach } from './order';

export interface RelatedKey {
  postId: number;
  offset: number;
  limit: number;
}

/** A post's or stock's first `limit` rows of something (story mates, co-mentioned stocks). */
export interface LimitedKey {
  id: number;
  limit: number;
}

export interface CoverageKey {
  stockId: number;
  from: number | null;
  to: number | null;
  /** Bucketed by calendar month: whole months may come as one row each (dailyCoverage). */
  monthly: boolean;
}

// Every batch function here runs one statement (per group of equal arguments).
const batch = <K, V>(fn: (keys: readonly K[]) => Promise<V[]>, cacheKeyFn?: (k: K) => unknown) =>
  new DataLoader<K, V, unknown>(fn, { cacheKeyFn, maxBatchSize: 1000 });

const specKey = (s: PostPageSpec) => JSON.stringify(s);

/**
 * Per-request loaders: every relation the schema resolves goes through one of these. `reads`, when
 * given, hears what the per-post loaders, post pages and related lists read (read-log.ts), for the
 * response cache; the other loaders serve fields it treats as changed by every import.
 */
export function createLoaders(run: SqlRunner, reads?: ReadLog) {
  const byId = <V extends { id: number }>(fetch: (run: SqlRunner, ids: readonly number[]) => Promise<V[]>) =>
    batch<number, V | null>(async (ids) => oneEach(ids, await fetch(run, ids), (r) => r.id));
  const ofPost = <V extends { postId: number }>(fetch: (run: SqlRunner, ids: readonly number[]) => Promise<V[]>) =>
    batch<number, V[]>(async (ids) => manyEach(ids, await fetch(run, ids), (r) => r.postId));
  /** A loader of one post's things that also logs the posts asked for (and what else `also` names). */
  const logged = <V>(fetch: (run: SqlRunner, ids: readonly number[]) => Promise<V[]>, also?: (rows: V[]) => void) =>
    reads
      ? async (r: SqlRunner, ids: readonly number[]) => {
          for (const id of ids) reads.posts.add(id);
          const rows = await fetch(r, ids);
          also?.(rows);
          return rows;
        }
      : fetch;

  /** Each key's first `limit` rows (one statement per limit asked), rows naming their key as `src`. */
  const topEach = <V extends { src: number }>(
    fetch: (run: SqlRunner, ids: readonly number[], limit: number) => Promise<V[]>,
  ) =>
    batch<LimitedKey, V[]>(
      (keys) =>
        byGroup(
          keys,
          (k) => String(k.limit),
          async (group) => {
            const ids = group.map((k) => k.id);
            return manyEach(ids, await fetch(run, ids, group[0].limit), (r) => r.src);
          },
        ),
      (k) => `${k.id}:${k.limit}`,
    );

  return {
    post: byId<PostRow>(logged(L.postsByIds)),
    /** Posts shown as links only (related coverage): the card columns; the rest through postDetail, if asked. */
    postCard: byId<PostCardRow>(logged(L.postCardsByIds)),
    postDetail: byId<PostDetailRow>(logged(L.postDetailsByIds)),
    postContent: byId<PostContentRow>(logged(L.postContentByIds)),
    stock: byId<StockRow>(L.stocksByIds),
    board: byId<BoardRow>(L.boardsByIds),
    organization: byId<OrganizationRow>(L.organizationsByIds),
    category: byId<CategoryRow>(L.categoriesByIds),
    tag: byId<TagRow>(L.tagsByIds),
    categoriesOfPost: ofPost<CategoryRow & { postId: number }>(logged(L.categoriesOfPosts)),
    tagsOfPost: ofPost<TagRow & { postId: number }>(logged(L.tagsOfPosts)),
    stocksOfPost: ofPost<StockRow & MentionRow>(
      logged(
        (r, ids) => L.mentionsOfPosts(r, 'stock', ids),
        (rows) => rows.forEach((s) => reads?.stocks.set(s.id, stockSignature(s))),
      ),
    ),
    boardsOfPost: ofPost<BoardRow & MentionRow>(
      logged(
        (r, ids) => L.mentionsOfPosts(r, 'board', ids),
        (rows) => rows.forEach((b) => reads?.boards.set(b.id, boardSignature(b))),
      ),
    ),
    organizationsOfPost: ofPost<OrganizationRow & MentionRow>(
      logged((r, ids) => L.mentionsOfPosts(r, 'organization', ids)),
    ),
    stocksOfOrganization: batch<number, StockRow[]>(async (ids) =>
      manyEach(ids, await L.stocksByOrganizations(run, ids), (r) => r.organizationId!),
    ),
    postPage: batch<PostPageSpec, PostPage>(async (specs) => {
      const pages = await postPages(run, [...specs]);
      if (reads) pages.forEach((page, i) => reads.page(specs[i], page));
      return pages;
    }, specKey),
    postCount: batch<PostPageSpec, number>((specs) => postCounts(run, [...specs]), specKey),
    related: batch<RelatedKey, RelatedPair[]>(
      (keys) =>
        byGroup(
          keys,
          (k) => `${k.offset}:${k.limit}`,
          async (group) => {
            const { offset, limit } = group[0];
            const live = new Set<number>();
            const ids = group.map((k) => k.postId);
            const lists = manyEach(
              ids,
              await relatedCoverage(run, ids, offset, limit, (l) => l.forEach((id) => live.add(id))),
              (r) => r.src,
            );
            ids.forEach((id, i) => reads?.relatedPage(id, offset, limit, lists[i], live.has(id)));
            return lists;
          },
        ),
      (k) => `${k.postId}:${k.offset}:${k.limit}`,
    ),
    sameStory: topEach<PostCardRow & { src: number }>(sameStoryOfPosts),
    coMentioned: topEach<StockRow & { src: number; together: number }>(coMentioned),
    dailyCoverage: batch<CoverageKey, { day: number; n: number }[]>(
      (keys) =>
        byGroup(
          keys,
          (k) => `${k.from}:${k.to}:${k.monthly}`,
          async (group) =>
            manyEach(
              group.map((k) => k.stockId),
              await dailyCoverage(
                run,
                group.map((k) => k.stockId),
                group[0].from,
                group[0].to,
                group[0].monthly,
              ),
              (r) => r.src,
            ),
        ),
      (k) => `${k.stockId}:${k.from}:${k.to}:${k.monthly}`,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
