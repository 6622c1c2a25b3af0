import type { PostPage, PostPageSpec } from '../db/queries/post-pages';
import type { RelatedPair } from '../db/queries/related';
import type { BoardRow, StockRow } from '../db/queries/rows';

/** A post's place in the archive's (date, id) order, the order every post page walks. */
export interface PostKey {
  dateMs: number;
  id: number;
}

/** One end of a window: a post's place, and whether the window holds that place itself. */
export interface WindowEnd {
  key: PostKey;
  inclusive: boolean;
}

/**
 * The stretch of the (date, id) order a page of all posts covers: a post written there (new, or
 * moved there by an update) changes the page; null ends are open. The page's own posts and the
 * one past it (which decides `hasNextPage`) are in `posts` besides.
 */
export interface PostWindow {
  low: WindowEnd | null;
  high: WindowEnd | null;
}

export const comparePostKeys = (a: PostKey, b: PostKey) => a.dateMs - b.dateMs || a.id - b.id;

export function windowHolds(w: PostWindow, k: PostKey): boolean {
  if (w.low) {
    const c = comparePostKeys(k, w.low.key);
    if (c < 0 || (c === 0 && !w.low.inclusive)) return false;
  }
  if (w.high) {
    const c = comparePostKeys(k, w.high.key);
    if (c > 0 || (c === 0 && !w.high.inclusive)) return false;
  }
  return true;
}

/** The related posts a loader key showed, as one comparable string (ids and scores, in rank order). */
export const relatedSignature = (pairs: readonly RelatedPair[]) => pairs.map((p) => `${p.id}:${p.score}`).join(' ');
/** What a written post may change of a stock (its name and issuer, filled once), as one string. */
export const stockSignature = (s: Pick<StockRow, 'name' | 'organizationId'>) => `${s.name}|${s.organizationId}`;
/** What a written post may change of a board: its name, filled once. */
export const boardSignature = (b: Pick<BoardRow, 'name'>) => String(b.name);

/**
 * What one request read, as the loaders saw it, so the response cache can tell which import batches
 * change its answer (src/server/targeted-cache). Only what a batch can change is named: posts
 * (their rows, links and related lists), the stocks and boards whose names a written post may
 * fill (with what they were), the windows of post pages, and related lists by loader key with
 * what they showed. Reads
 * that cannot be followed this way (a filtered or scoped page, a live related ranking) set
 * `untracked`: such an answer goes with the next batch, whatever it changes.
 */
export class ReadLog {
  readonly posts = new Set<number>();
  /** Stock id -> stockSignature as read. */
  readonly stocks = new Map<number, string>();
  /** Board id -> boardSignature as read. */
  readonly boards = new Map<number, string>();
  readonly windows: PostWindow[] = [];
  /** `postId:offset:limit` -> the signature of what that related page showed. */
  readonly related = new Map<string, string>();
  untracked = false;

  page(spec: PostPageSpec, page: PostPage): void {
    for (const p of page.items) this.posts.add(p.id);
    if (page.beyond) this.posts.add(page.beyond.id);
    const filtered = spec.filter && Object.values(spec.filter).some((v) => v !== undefined);
    if (spec.scope || filtered) {
      this.untracked = true;
      return;
    }
    // The walk goes from the cursor (not included) to the page's last post (included) when there
    // is more, else to the end of the order.
    const descending = spec.forward ? !spec.ascending : spec.ascending;
    const walked = spec.forward ? page.items : [...page.items].reverse();
    const last = walked.at(-1);
    const start: WindowEnd | null = spec.cursor ? { key: spec.cursor, inclusive: false } : null;
    const end: WindowEnd | null =
      page.hasMore && last ? { key: { dateMs: last.dateMs, id: last.id }, inclusive: true } : null;
    this.windows.push(descending ? { low: end, high: start } : { low: start, high: end });
  }

  relatedPage(postId: number, offset: number, limit: number, pairs: readonly RelatedPair[], live: boolean): void {
    this.posts.add(postId);
    if (live) this.untracked = true;
    else this.related.set(`${postId}:${offset}:${limit}`, relatedSignature(pairs));
  }
}
