import type { FileOutcome, PostRecord } from '../../ingest/types';
import type { SourceFileEntity } from '../../entities';
import type { BatchCounts, FileMeta, PendingFile, SourceFileRow } from './archive-writer';
import { type EntityKind, type EntityValues } from './rows';
import { ownLinkChanges, type LinkChange } from './read-model';
import { categorySlug, outranksFile, slugifyName } from './rules';

// The import planner: every decision of a batch, made once for both databases. A writer fetches
// the snapshot a batch can reach (its files' rows, the posts at the permalinks they give or gave,
// the archives' roots), the planner plays the batch over it in memory, in order (each file sees
// what the files before it did), and the writer executes the plan. Pure: no I/O, no ids invented.

/** A post as the database holds it before the batch. */
export interface StoredPost {
  id: number;
  archiveId: number;
  path: string;
  contentHash: string;
  title: string;
  dateMs: number;
  publisherId: number | null;
}

/**
 * What the planner reads: rows by file key (`fileKey`), roots by archive id, and the post at each
 * reachable permalink (`reachableUrls`; null where there is none).
 */
export interface Snapshot {
  files: Map<string, SourceFileRow>;
  posts: Map<string, StoredPost | null>;
  roots: Map<number, string>;
}

/** A source_file row as the plan leaves it (written with an upsert on archive and path). */
export type FileValues = Omit<SourceFileEntity, 'id'>;

/** A post's final state in the batch: rewritten in place (`id`) or new (`id` null). */
export interface PostWrite {
  id: number | null;
  meta: FileMeta;
  rec: PostRecord;
}

export interface BatchPlan {
  counts: BatchCounts;
  /** Entities the written posts and pages name, by key, in first-seen order, with a new row's values. */
  entities: { [K in EntityKind]: Map<string, EntityValues[K]> };
  /** Posts whose links and search rows go: those rewritten and those removed. */
  unlink: number[];
  /** Posts removed (a subset of `unlink`). */
  remove: number[];
  /** The permalink each removed post had, by id (the change feed names it). */
  removedUrls: Map<number, string>;
  /** What the unlinked posts counted for by themselves (`ownLinkChanges`: every post, the publisher), and when. */
  oldOwnLinks: LinkChange[];
  /** Posts written, each once, as the batch leaves it. */
  posts: PostWrite[];
  /** Batch files whose row changed, as the batch leaves them. */
  files: FileValues[];
  /** source_file rows deleted (prune). */
  removeFiles: number[];
  /** Files outside the batch that lose their permalink to a file of the batch. */
  duplicateMarks: { archiveId: number; path: string; reason: string }[];
  /** Filled where still empty, first value first: a stock's name and issuer, a board's name. */
  stockNames: Map<string, string>;
  stockIssuers: Map<string, string>;
  boardNames: Map<string, string>;
  /** Category titles from category pages, the last page last. */
  categoryTitles: Map<string, string>;
  /** Permalinks whose owning file went away: a duplicate may take over. */
  orphanUrls: string[];
}

function ownLinks(p: StoredPost): LinkChange[] {
  return ownLinkChanges(p.id, p.dateMs, p.publisherId);
}

export function fileKey(f: { archiveId: number; path: string }): string {
  return `${f.archiveId}\0${f.path}`;
}

/** The permalinks a batch can reach: what its posts give, and what its files held. */
export function reachableUrls(batch: PendingFile[], files: Map<string, SourceFileRow>): string[] {
  const urls = new Set<string>();
  for (const item of batch) {
    const row = files.get(fileKey(item.meta));
    if (row?.status === 'post' && row.url) urls.add(row.url);
    if ('outcome' in item && item.outcome.kind === 'post') urls.add(item.outcome.record.url);
  }
  return [...urls];
}

/** The archives whose roots the duplicate rule may compare. */
export function archivesOf(batch: PendingFile[], posts: Iterable<StoredPost | null>): number[] {
  const ids = new Set<number>(batch.map((b) => b.meta.archiveId));
  for (const p of posts) if (p) ids.add(p.archiveId);
  return [...ids];
}

/** A post during the play: what the table holds for a permalink (null: none). */
interface PostState extends Omit<StoredPost, 'id'> {
  id: number | null;
  /** The row before the batch (null for a post the batch adds). */
  stored: StoredPost | null;
  written: { meta: FileMeta; rec: PostRecord } | null;
}

interface FileState extends FileValues {
  exists: boolean;
  dirty: boolean;
}

function emptyPlan(): BatchPlan {
  return {
    counts: { new: 0, updated: 0, unchanged: 0, removed: 0 },
    entities: { category: new Map(), tag: new Map(), stock: new Map(), board: new Map(), organization: new Map() },
    unlink: [],
    remove: [],
    removedUrls: new Map(),
    oldOwnLinks: [],
    posts: [],
    files: [],
    removeFiles: [],
    duplicateMarks: [],
    stockNames: new Map(),
    stockIssuers: new Map(),
    boardNames: new Map(),
    categoryTitles: new Map(),
    orphanUrls: [],
  };
}

/** Plays a batch over its snapshot and says what to write. */
export function planBatch(batch: PendingFile[], snap: Snapshot): BatchPlan {
  return new BatchPlay(snap).run(batch);
}

/** Files of an archive gone from disk: their rows go, and the posts they own (the permalinks stay for duplicates). */
export function planPrune(
  archiveId: number,
  gone: { id: number; path: string; status: string; url: string | null }[],
  posts: Map<string, StoredPost | null>,
): BatchPlan {
  const plan = emptyPlan();
  for (const f of gone) {
    plan.removeFiles.push(f.id);
    const post = f.status === 'post' && f.url ? posts.get(f.url) : undefined;
    if (post && post.archiveId === archiveId && post.path === f.path) {
      plan.unlink.push(post.id);
      plan.remove.push(post.id);
      plan.removedUrls.set(post.id, f.url!);
      plan.oldOwnLinks.push(...ownLinks(post));
      plan.orphanUrls.push(f.url!);
    }
  }
  plan.counts.removed = plan.remove.length;
  return plan;
}

class BatchPlay {
  private readonly plan = emptyPlan();
  private readonly files = new Map<string, FileState>();
  private readonly posts = new Map<string, PostState | null>();
  private readonly removed: { post: PostState; url: string }[] = [];
  private readonly marks = new Map<string, { archiveId: number; path: string; reason: string }>();

  constructor(private readonly snap: Snapshot) {
    for (const [url, p] of snap.posts) this.posts.set(url, p && { ...p, stored: p, written: null });
  }

  run(batch: PendingFile[]): BatchPlan {
    // Every file of the batch first: a file that loses its permalink to one before it is marked in place.
    for (const item of batch) this.fileState(item.meta);
    for (const item of batch) {
      const f = this.fileState(item.meta);
      if ('touch' in item) {
        // Same bytes, new mtime: remembered so the file is not read next time (if it has a row).
        if (f.exists) Object.assign(f, { size: item.meta.size, mtimeMs: item.meta.mtimeMs, dirty: true });
        continue;
      }
      const { outcome } = item;
      const result =
        outcome.kind === 'post' ? this.post(item.meta, outcome.record, f) : this.other(item.meta, outcome, f);
      if (result) this.plan.counts[result]++;
    }
    return this.finish();
  }

  private fileState(meta: FileMeta): FileState {
    const key = fileKey(meta);
    let f = this.files.get(key);
    if (!f) {
      const row = this.snap.files.get(key);
      f = {
        archiveId: meta.archiveId,
        path: meta.path,
        size: row?.size ?? meta.size,
        mtimeMs: row?.mtimeMs ?? meta.mtimeMs,
        fileHash: row?.fileHash ?? meta.fileHash,
        status: row?.status ?? '',
        reason: row?.reason ?? null,
        url: row?.url ?? null,
        publishAtMs: row?.publishAtMs ?? null,
        exists: !!row,
        dirty: false,
      };
      this.files.set(key, f);
    }
    return f;
  }

  private stored(url: string): PostState | null {
    const p = this.posts.get(url);
    if (p === undefined) throw new Error(`import planner: permalink ${url} is not in the snapshot`);
    return p;
  }

  private root(archiveId: number): string {
    const root = this.snap.roots.get(archiveId);
    if (root === undefined) throw new Error(`import planner: archive ${archiveId} is not in the snapshot`);
    return root;
  }

  private outranks(a: { archiveId: number; path: string }, b: { archiveId: number; path: string }): boolean {
    return outranksFile({ root: this.root(a.archiveId), path: a.path }, { root: this.root(b.archiveId), path: b.path });
  }

  /** A file that gives no post: if it owned one, that post goes; a category page titles its category. */
  private other(meta: FileMeta, outcome: Exclude<FileOutcome, { kind: 'post' }>, f: FileState): null {
    if (f.exists && f.status === 'post' && f.url) this.dropPostOf(meta, f.url);
    if (outcome.kind === 'page') {
      if (outcome.page?.title != null) {
        const slug = this.needCategory(outcome.page.category);
        this.plan.categoryTitles.delete(slug); // the last page's title, in its place in the order
        this.plan.categoryTitles.set(slug, outcome.page.title);
      }
      this.save(f, meta, 'page', null, null);
    } else {
      // A scheduled file holds no permalink (it is no post yet); it keeps when it becomes one.
      this.save(f, meta, outcome.kind, outcome.reason, null, outcome.kind === 'scheduled' ? outcome.publishAtMs : null);
    }
    return null;
  }

  private post(meta: FileMeta, rec: PostRecord, f: FileState): 'new' | 'updated' | 'unchanged' | null {
    // The file's permalink moved: the old post is no longer this file's.
    if (f.exists && f.status === 'post' && f.url && f.url !== rec.url) this.dropPostOf(meta, f.url);
    const existing = this.stored(rec.url);
    const sameFile = !!existing && existing.archiveId === meta.archiveId && existing.path === meta.path;
    if (existing && !sameFile) {
      if (!this.outranks(meta, existing)) {
        this.save(f, meta, 'duplicate', `same permalink ${rec.url} as ${existing.path}`, rec.url);
        return null;
      }
      this.markDuplicate(existing, `same permalink ${rec.url} as ${meta.path}`);
    }
    this.save(f, meta, 'post', null, rec.url);
    if (
      sameFile &&
      existing.contentHash === rec.contentHash &&
      existing.title === rec.title &&
      existing.dateMs === rec.dateMs
    ) {
      return 'unchanged';
    }
    this.needEntities(rec);
    const now = {
      archiveId: meta.archiveId,
      path: meta.path,
      contentHash: rec.contentHash,
      title: rec.title,
      dateMs: rec.dateMs,
      written: { meta, rec },
    };
    if (existing) {
      Object.assign(existing, now);
      return 'updated';
    }
    this.posts.set(rec.url, { id: null, stored: null, publisherId: null, ...now });
    return 'new';
  }

  /** Deletes the post at `url` if this file owns it, leaving the permalink for a duplicate. */
  private dropPostOf(owner: { archiveId: number; path: string }, url: string): void {
    const existing = this.stored(url);
    if (!existing || existing.archiveId !== owner.archiveId || existing.path !== owner.path) return;
    // A post the batch itself added is just not written.
    if (existing.id !== null) this.removed.push({ post: existing, url });
    this.posts.set(url, null);
    if (!this.plan.orphanUrls.includes(url)) this.plan.orphanUrls.push(url);
  }

  private save(
    f: FileState,
    meta: FileMeta,
    status: string,
    reason: string | null,
    url: string | null,
    publishAtMs: number | null = null,
  ): void {
    Object.assign(f, { ...meta, status, reason, url, publishAtMs, exists: true, dirty: true });
  }

  /** The file that held the permalink is now a duplicate of the one that outranks it. */
  private markDuplicate(holder: { archiveId: number; path: string }, reason: string): void {
    const f = this.files.get(fileKey(holder));
    if (!f) this.marks.set(fileKey(holder), { archiveId: holder.archiveId, path: holder.path, reason });
    else if (f.exists) Object.assign(f, { status: 'duplicate', reason, dirty: true });
  }

  private needCategory(name: string): string {
    const slug = categorySlug(name);
    const m = this.plan.entities.category;
    if (!m.has(slug)) m.set(slug, { name, slug });
    return slug;
  }

  /** The entities a written post names (a post's publisher first), and the names it can fill. */
  private needEntities(rec: PostRecord): void {
    const { entities, stockNames, stockIssuers, boardNames } = this.plan;
    const x = rec.extraction;
    const need = <K extends EntityKind>(kind: K, key: string, values: () => EntityValues[K]) => {
      const m = entities[kind] as Map<string, EntityValues[K]>;
      if (!m.has(key)) m.set(key, values());
    };
    if (x.publisher) need('organization', x.publisher, () => ({ name: x.publisher! }));
    for (const name of rec.categories) this.needCategory(name);
    for (const name of rec.tags) need('tag', name, () => ({ name, slug: slugifyName(name) || name }));
    const symbols = new Set<string>();
    for (const m of x.stocks) {
      symbols.add(m.symbol);
      const { symbol, code, market, marketId, exchange, secid, name } = m;
      need('stock', symbol, () => ({ symbol, code, market, marketId, exchange, secid, name }));
      if (m.name && !stockNames.has(symbol)) stockNames.set(symbol, m.name);
    }
    for (const b of x.boards) {
      need('board', b.code, () => ({ code: b.code, secid: b.secid, name: b.name }));
      if (b.name && !boardNames.has(b.code)) boardNames.set(b.code, b.name);
    }
    for (const o of x.organizations) {
      need('organization', o.name, () => ({ name: o.name }));
      // An issuer is taken from a post that links the stock too.
      for (const symbol of o.issues) {
        if (symbols.has(symbol) && !stockIssuers.has(symbol)) stockIssuers.set(symbol, o.name);
      }
    }
  }

  private finish(): BatchPlan {
    const plan = this.plan;
    for (const p of this.posts.values()) {
      if (p?.written) plan.posts.push({ id: p.id, ...p.written });
    }
    // Rewritten posts keep their row; they lose their links and search rows like removed ones.
    const rewritten = [...this.posts.values()].filter((p) => p?.written && p.stored).map((p) => p!.stored!);
    for (const p of [...this.removed.map((r) => r.post.stored!), ...rewritten]) {
      plan.unlink.push(p.id);
      plan.oldOwnLinks.push(...ownLinks(p));
    }
    plan.remove = this.removed.map((r) => r.post.id!);
    plan.counts.removed = plan.remove.length;
    for (const r of this.removed) plan.removedUrls.set(r.post.id!, r.url);
    for (const f of this.files.values()) {
      if (!f.dirty) continue;
      const { exists: _e, dirty: _d, ...values } = f;
      plan.files.push(values);
    }
    plan.duplicateMarks = [...this.marks.values()];
    return plan;
  }
}
