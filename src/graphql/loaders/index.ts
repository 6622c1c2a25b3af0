import DataLoader from 'dataloader';
import * as L from '../../db/queries/lookups';
import { PostPage, PostPageSpec, postCounts, postPages } from '../../db/queries/post-pages';
import { relatedCoverage, RelatedPair } from '../../db/queries/related';
import type { Mention, PostCardRow, PostContentRow, PostDetailRow, PostRow, StockRow } from '../../db/queries/rows';
import { coMentioned, dailyCoverage } from '../../db/queries/stock-stats';
import type { CountedLink, PostLinks } from '../../db/schema/post-links';
import { sameStoryOfPosts } from '../../db/queries/stories';
import { SqlRunner } from '../../db/sql-runner';
import { boardSignature, type ReadLog, stockSignature } from '../read-log';
import { EntityCache, type EntityCacheView, type NamedKind, type NamedRows } from './entity-cache';
import { byGroup, manyEach, oneEach } from './order';

/** A post without a links row (none is expected: the import writes one with every post). */
const NO_LINKS: PostLinks = { c: [], t: [], s: [], b: [], o: [] };

/** A post's related pairs (ranks offset+1 .. offset+limit+1) and the cards of those it shows. */
export interface RelatedRead {
  pairs: RelatedPair[];
  /** The cards of the first `limit` pairs, in their order: null (or an Error) for a post gone since. */
  rows: (PostCardRow | null | Error)[];
}

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
export function createLoaders(
  run: SqlRunner,
  reads?: ReadLog,
  names: EntityCacheView = new EntityCache(() => 'one request').view(),
) {
  const byId = <V extends { id: number }>(fetch: (run: SqlRunner, ids: readonly number[]) => Promise<V[]>) =>
    batch<number, V | null>(async (ids) => oneEach(ids, await fetch(run, ids), (r) => r.id));
  /** A loader of one post's things that also logs the posts asked for. */
  const logged = <V>(fetch: (run: SqlRunner, ids: readonly number[]) => Promise<V[]>) =>
    reads
      ? async (r: SqlRunner, ids: readonly number[]) => {
          for (const id of ids) reads.posts.add(id);
          return fetch(r, ids);
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

  /** Rows of a named kind by id: from the cache the server keeps across requests, the rest in one statement. */
  const named = <K extends NamedKind>(
    kind: K,
    fetch: (run: SqlRunner, ids: readonly number[]) => Promise<NamedRows[K][]>,
  ) =>
    batch<number, NamedRows[K] | null>(async (ids) => {
      const generation = await names.generation();
      // Taken now: another request may start the cache afresh while this one reads the rest.
      const found = ids.map((id) => names.get(kind, id));
      const missing = ids.filter((_, i) => found[i] === undefined);
      if (missing.length === 0) return found as NamedRows[K][];
      const fetched = await fetch(run, missing);
      names.keep(kind, fetched, generation);
      const read = oneEach(missing, fetched, (r) => r.id);
      const byId = new Map(missing.map((id, i) => [id, read[i]]));
      return ids.map((id, i) => found[i] ?? byId.get(id) ?? null);
    });

  const category = named('category', L.categoriesByIds);
  const tag = named('tag', L.tagsByIds);
  const stock = named('stock', L.stocksByIds);
  const board = named('board', L.boardsByIds);
  const organization = named('organization', L.organizationsByIds);
  /** Every post's links read so far in this request: what link fields answer from without waiting. */
  const linksRead = new Map<number, PostLinks>();
  const linksOfPost = batch<number, PostLinks>(async (ids) => {
    const links = oneEach(ids, await logged(L.linksOfPosts)(run, ids), (r) => r.postId).map(
      (r) => r?.links ?? NO_LINKS,
    );
    ids.forEach((id, i) => linksRead.set(id, links[i]));
    return links;
  });
  /**
   * The rows of `ids` in their order from the names cache, without waiting; undefined when the
   * cache is not yet checked against the database for this request or lacks one of them.
   */
  const namedNow = <K extends NamedKind>(kind: K, ids: readonly number[]): NamedRows[K][] | undefined => {
    if (typeof names.generation() !== 'number') return undefined;
    const rows: NamedRows[K][] = [];
    for (const id of ids) {
      const row = names.get(kind, id);
      if (row === undefined) return undefined;
      rows.push(row);
    }
    return rows;
  };
  /**
   * The row of each of `ids`, in their order (null for one gone since the links were read): from
   * the cache where it holds them, without a trip through the loader; the rest in one statement per kind.
   */
  const aligned = async <K extends NamedKind>(
    kind: K,
    loader: DataLoader<number, NamedRows[K] | null, unknown>,
    ids: readonly number[],
  ): Promise<(NamedRows[K] | null)[]> => {
    const checked = names.generation();
    if (typeof checked !== 'number') await checked;
    // Taken now: another request may start the cache afresh while this one reads the rest.
    const found = ids.map((id) => names.get(kind, id));
    const missing = ids.filter((_, i) => found[i] === undefined);
    const loaded = missing.length ? await loader.loadMany(missing) : [];
    let next = 0;
    return found.map((r) => {
      if (r !== undefined) return r;
      const l = loaded[next++];
      if (l instanceof Error) throw l;
      return l;
    });
  };
  /** Rows of `ids` in their order, those gone left out. */
  const listed = async <K extends NamedKind>(
    kind: K,
    loader: DataLoader<number, NamedRows[K] | null, unknown>,
    ids: readonly number[],
  ): Promise<NamedRows[K][]> => (await aligned(kind, loader, ids)).filter((r): r is NamedRows[K] => r !== null);
  /** A post's stocks, boards or organizations (`key` in its links), each with how the post names it. */
  const mentioned = <K extends 'stock' | 'board' | 'organization'>(
    kind: K,
    loader: DataLoader<number, NamedRows[K] | null, unknown>,
    key: 's' | 'b' | 'o',
    also?: (rows: NamedRows[K][]) => void,
  ) => {
    const mentions = (list: CountedLink[], targets: readonly (NamedRows[K] | null)[]) => {
      const out: Mention<NamedRows[K]>[] = [];
      list.forEach(([, count, embedCount, linkCount, textCount], i) => {
        const target = targets[i];
        if (target) out.push({ target, count, embedCount, linkCount, textCount });
      });
      also?.(out.map((m) => m.target));
      return out;
    };
    return {
      load: async (postId: number): Promise<Mention<NamedRows[K]>[]> => {
        const list = (await linksOfPost.load(postId))[key];
        return mentions(
          list,
          await aligned(
            kind,
            loader,
            list.map((m) => m[0]),
          ),
        );
      },
      /** The post's mentions now, where its links and their names are in memory (see `ofPost`). */
      now: (postId: number): Mention<NamedRows[K]>[] | undefined => {
        const list = linksRead.get(postId)?.[key];
        const targets =
          list &&
          namedNow(
            kind,
            list.map((m) => m[0]),
          );
        return targets && mentions(list, targets);
      },
    };
  };
  /** A post's categories or tags: now where in memory, else loaded. */
  const listedOfPost = <K extends 'category' | 'tag'>(
    kind: K,
    loader: DataLoader<number, NamedRows[K] | null, unknown>,
    key: 'c' | 't',
  ) => ({
    load: async (postId: number) => listed(kind, loader, (await linksOfPost.load(postId))[key]),
    now: (postId: number): NamedRows[K][] | undefined => {
      const ids = linksRead.get(postId)?.[key];
      return ids && namedNow(kind, ids);
    },
  });

  /** Posts shown as links only (related coverage): the card columns; the rest through postDetail, if asked. */
  const postCard = byId<PostCardRow>(logged(L.postCardsByIds));
  const related = batch<RelatedKey, RelatedPair[]>(
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
  );
  /** Related coverage read ahead for a page's posts (`relatedAhead`), by `postId:offset:limit`. */
  const relatedRead = new Map<string, RelatedRead>();
  const relatedKey = (postId: number, offset: number, limit: number) => `${postId}:${offset}:${limit}`;

  return {
    post: byId<PostRow>(logged(L.postsByIds)),
    postCard,
    postDetail: byId<PostDetailRow>(logged(L.postDetailsByIds)),
    postContent: byId<PostContentRow>(logged(L.postContentByIds)),
    stock,
    board,
    organization,
    category,
    tag,
    linksOfPost,
    /**
     * Reads the links of `postIds` (a page about to show them) and checks the names cache for this
     * request, so that their link fields can answer at once (`now`) where the names are in memory.
     */
    linksAhead: async (postIds: readonly number[]): Promise<void> => {
      await Promise.all([linksOfPost.loadMany(postIds), names.generation()]);
    },
    /**
     * Reads the related coverage of `postIds` (a page whose nodes show it, `offset`/`limit` as
     * their field asks) and the cards of the posts it shows, two statements for the page as the
     * fields would have batched them, so that each field answers at once (`relatedNow`).
     */
    relatedAhead: async (postIds: readonly number[], offset: number, limit: number): Promise<void> => {
      const lists = await related.loadMany(postIds.map((postId) => ({ postId, offset, limit })));
      const shown = lists.map((l) => (l instanceof Error ? [] : l.slice(0, limit)));
      const cards = await postCard.loadMany(shown.flatMap((pairs) => pairs.map((p) => p.id)));
      let next = 0;
      postIds.forEach((postId, i) => {
        const list = lists[i];
        const rows = cards.slice(next, (next += shown[i].length));
        // A failed read is left to the field, which reports it.
        if (!(list instanceof Error)) relatedRead.set(relatedKey(postId, offset, limit), { pairs: list, rows });
      });
    },
    /** A post's related coverage read ahead (`relatedAhead`), else undefined: load it. */
    relatedNow: (postId: number, offset: number, limit: number): RelatedRead | undefined =>
      relatedRead.get(relatedKey(postId, offset, limit)),
    /** A named row now, from the names cache (undefined when not there yet: load it). */
    namedNow: <K extends NamedKind>(kind: K, id: number): NamedRows[K] | undefined => namedNow(kind, [id])?.[0],
    categoriesOfPost: listedOfPost('category', category, 'c'),
    tagsOfPost: listedOfPost('tag', tag, 't'),
    stocksOfPost: mentioned('stock', stock, 's', (rows) =>
      rows.forEach((s) => reads?.stocks.set(s.id, stockSignature(s))),
    ),
    boardsOfPost: mentioned('board', board, 'b', (rows) =>
      rows.forEach((b) => reads?.boards.set(b.id, boardSignature(b))),
    ),
    organizationsOfPost: mentioned('organization', organization, 'o'),
    stocksOfOrganization: batch<number, StockRow[]>(async (ids) =>
      manyEach(ids, await L.stocksByOrganizations(run, ids), (r) => r.organizationId!),
    ),
    postPage: batch<PostPageSpec, PostPage>(async (specs) => {
      const pages = await postPages(run, [...specs]);
      if (reads) pages.forEach((page, i) => reads.page(specs[i], page));
      return pages;
    }, specKey),
    postCount: batch<PostPageSpec, number>((specs) => postCounts(run, [...specs]), specKey),
    related,
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
