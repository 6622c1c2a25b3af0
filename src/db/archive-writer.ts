import { inPostsDir } from '../ingest/walk';
import type { FileOutcome, ViaCounts } from '../ingest/types';

// What both writers (SQLite, PostgreSQL) decide alike.

/** Jekyll's default slugify: lower case, runs of anything but letters, marks and digits -> `-`. */
export function slugifyName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{Nd}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/** All of a post's mentions of one thing: embeds, links and text. */
export function mentionTotal(c: ViaCounts): number {
  return c.embed + c.link + c.text;
}

/** CONTRACT: of two files with one permalink, the one under `_posts/` wins, else the first (root, path) in sorted order. */
export function outranksFile(a: { root: string; path: string }, b: { root: string; path: string }): boolean {
  const ap = inPostsDir(a.path);
  const bp = inPostsDir(b.path);
  if (ap !== bp) return ap;
  return `${a.root}\0${a.path}` < `${b.root}\0${b.path}`;
}

/** What we know of a file from the last import. */
export interface SourceFileRow {
  id: number;
  size: number;
  mtimeMs: number;
  fileHash: string;
  status: string;
  reason: string | null;
  url: string | null;
}

export interface FileMeta {
  archiveId: number;
  path: string;
  size: number;
  mtimeMs: number;
  fileHash: string;
}

export interface ReportEntry {
  path: string;
  reason: string;
}

/** A parsed file to write, or a file whose bytes did not change (only its size/mtime are recorded). */
export type PendingFile = { meta: FileMeta; outcome: FileOutcome } | { meta: FileMeta; touch: true };

export interface BatchCounts {
  new: number;
  updated: number;
  unchanged: number;
}

type Awaitable<T> = T | Promise<T>;

/**
 * What the importer needs from a database: SQLite's writer answers synchronously, PostgreSQL's
 * over the network. Each method that writes is one transaction, and every committed state is
 * consistent on its own (counts included), so a crash never leaves half a batch.
 */
export interface ArchiveWriter {
  /** Finds or registers an archive root; says whether its settings changed since the last import. */
  archive(root: string, configHash: string): Awaitable<{ id: number; configChanged: boolean }>;
  /** Records the settings every file of the archive has now been read with. */
  saveConfigHash(archiveId: number, configHash: string): Awaitable<void>;
  file(archiveId: number, path: string): Awaitable<SourceFileRow | undefined>;
  /** Writes a batch of files in one transaction. */
  writeBatch(batch: PendingFile[]): Awaitable<BatchCounts>;
  /** Forgets files gone from disk (their posts go too), in one transaction; returns their paths. */
  prune(archiveId: number, exists: (path: string) => boolean): Awaitable<string[]>;
  /** Permalinks held only by duplicates (their post went away). */
  orphanedDuplicateUrls(): Awaitable<string[]>;
  /** Duplicates that could take over an orphaned permalink, best candidate first. */
  candidatesFor(url: string): Awaitable<{ archiveId: number; root: string; path: string }[]>;
  /** Permalinks whose owning file went away during this import. */
  readonly orphanUrls: Set<string>;
  /** Skipped, failed, unpublished and duplicate files of an archive. */
  report(archiveId: number): Awaitable<{ skipped: ReportEntry[]; failed: ReportEntry[]; duplicates: ReportEntry[] }>;
  /** After a completed import (PostgreSQL: refreshes the planner's statistics). */
  finish?(): Awaitable<void>;
}
