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
import { SqlRunner } from '../../db/sql-runner';
import { byGroup, manyEach, oneEach } from './order';

export interface RelatedKey {
  postId: number;
  offset: number;
  limit: number;
}

export interface CoMentionKey {
  stockId: number;
  limit: number;
}

export interface CoverageKey {
  stockId: number;
  from: number | null;
  to: number | null;
}

// Every batch function here runs one statement (per group of equal arguments).
const batch = <K, V>(fn: (keys: readonly K[]) => Promise<V[]>, cacheKeyFn?: (k: K) => unknown) =>
  new DataLoader<K, V, unknown>(fn, { cacheKeyFn, maxBatchSize: 1000 });

const specKey = (s: PostPageSpec) => JSON.stringify(s);

/** Per-request loaders: every relation the schema resolves goes through one of these. */
export function createLoaders(run: SqlRunner) {
  const byId = <V extends { id: number }>(fetch: (run: SqlRunner, ids: readonly number[]) => Promise<V[]>) =>
    batch<number, V | null>(async (ids) => oneEach(ids, await fetch(run, ids), (r) => r.id));
  const ofPost = <V extends { postId: number }>(fetch: (run: SqlRunner, ids: readonly number[]) => Promise<V[]>) =>
    batch<number, V[]>(async (ids) => manyEach(ids, await fetch(run, ids), (r) => r.postId));

  return {
    post: byId<PostRow>(L.postsByIds),
    /** Posts shown as links only (related coverage): the card columns; the rest through postDetail, if asked. */
    postCard: byId<PostCardRow>(L.postCardsByIds),
    postDetail: byId<PostDetailRow>(L.postDetailsByIds),
    postContent: byId<PostContentRow>(L.postContentByIds),
    stock: byId<StockRow>(L.stocksByIds),
    board: byId<BoardRow>(L.boardsByIds),
    organization: byId<OrganizationRow>(L.organizationsByIds),
    category: byId<CategoryRow>(L.categoriesByIds),
    tag: byId<TagRow>(L.tagsByIds),
    categoriesOfPost: ofPost<CategoryRow & { postId: number }>(L.categoriesOfPosts),
    tagsOfPost: ofPost<TagRow & { postId: number }>(L.tagsOfPosts),
    stocksOfPost: ofPost<StockRow & MentionRow>((r, ids) => L.mentionsOfPosts(r, 'stock', ids)),
    boardsOfPost: ofPost<BoardRow & MentionRow>((r, ids) => L.mentionsOfPosts(r, 'board', ids)),
    organizationsOfPost: ofPost<OrganizationRow & MentionRow>((r, ids) => L.mentionsOfPosts(r, 'organization', ids)),
    stocksOfOrganization: batch<number, StockRow[]>(async (ids) =>
      manyEach(ids, await L.stocksByOrganizations(run, ids), (r) => r.organizationId!),
    ),
    postPage: batch<PostPageSpec, PostPage>((specs) => postPages(run, [...specs]), specKey),
    postCount: batch<PostPageSpec, number>((specs) => postCounts(run, [...specs]), specKey),
    related: batch<RelatedKey, RelatedPair[]>(
      (keys) =>
        byGroup(
          keys,
          (k) => `${k.offset}:${k.limit}`,
          async (group) =>
            manyEach(
              group.map((k) => k.postId),
              await relatedCoverage(
                run,
                group.map((k) => k.postId),
                group[0].offset,
                group[0].limit,
              ),
              (r) => r.src,
            ),
        ),
      (k) => `${k.postId}:${k.offset}:${k.limit}`,
    ),
    coMentioned: batch<CoMentionKey, (StockRow & { src: number; together: number })[]>(
      (keys) =>
        byGroup(
          keys,
          (k) => String(k.limit),
          async (group) =>
            manyEach(
              group.map((k) => k.stockId),
              await coMentioned(
                run,
                group.map((k) => k.stockId),
                group[0].limit,
              ),
              (r) => r.src,
            ),
        ),
      (k) => `${k.stockId}:${k.limit}`,
    ),
    dailyCoverage: batch<CoverageKey, { day: number; n: number }[]>(
      (keys) =>
        byGroup(
          keys,
          (k) => `${k.from}:${k.to}`,
          async (group) =>
            manyEach(
              group.map((k) => k.stockId),
              await dailyCoverage(
                run,
                group.map((k) => k.stockId),
                group[0].from,
                group[0].to,
              ),
              (r) => r.src,
            ),
        ),
      (k) => `${k.stockId}:${k.from}:${k.to}`,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
