import type { FileOutcome } from '../../ingest/types';
import type { SourceFileEntity } from '../../entities';

/** What we know of a file from the last import. */
export type SourceFileRow = Pick<
  SourceFileEntity,
  'id' | 'size' | 'mtimeMs' | 'fileHash' | 'status' | 'reason' | 'url' | 'publishAtMs'
>;

/** A file as the walk found it: where it is, and the bytes it has now. */
export type FileMeta = Pick<SourceFileEntity, 'archiveId' | 'path' | 'size' | 'mtimeMs' | 'fileHash'>;

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
  /** Posts removed: their file was pruned or stopped being a post (unpublished, scheduled, broken). */
  removed: number;
}

/** An archive's scheduled files (posts dated in the future under `future: false`). */
export interface ScheduledFiles {
  count: number;
  /** When the first of them becomes a post (epoch ms); null when there are none. */
  nextMs: number | null;
}

/** A duplicate that could take over an orphaned permalink. */
export interface Candidate {
  archiveId: number;
  root: string;
  path: string;
}

type Awaitable<T> = T | Promise<T>;

/**
 * What the importer needs from a database. The decisions are the import planner's
 * (./plan.ts); a writer fetches what a plan needs and executes it: SQLite's synchronously,
 * PostgreSQL's over the network. Each method that writes is one transaction, and every
 * committed state is consistent on its own (counts included), so a crash never leaves half a batch.
 */
export interface ArchiveWriter {
  /**
   * Finds or registers an archive root; says whether its settings changed since the last import.
   * A changed hash is not stored here but by `saveConfigHash`, once every file has been written
   * under the new settings (else an import killed half-way would leave files read under the old
   * settings that the next import never reads again).
   */
  archive(root: string, configHash: string): Awaitable<{ id: number; configChanged: boolean }>;
  /** Records the settings every file of the archive has now been read with. */
  saveConfigHash(archiveId: number, configHash: string): Awaitable<void>;
  file(archiveId: number, path: string): Awaitable<SourceFileRow | undefined>;
  /** Writes a batch of files in one transaction. */
  writeBatch(batch: PendingFile[]): Awaitable<BatchCounts>;
  /**
   * Forgets files gone from disk (their posts go too), in one transaction: of the archive's
   * recorded files (only those at or under `under`'s paths when given), those `exists` denies.
   * Returns their paths and the posts removed.
   */
  prune(
    archiveId: number,
    exists: (path: string) => boolean,
    under?: readonly string[],
  ): Awaitable<{ paths: string[]; removed: number }>;
  /** Paths of the archive's scheduled files whose time has come by `nowMs`, in path order. */
  dueScheduled(archiveId: number, nowMs: number): Awaitable<string[]>;
  /** How many files of the archive are scheduled, and when the first is due. */
  scheduled(archiveId: number): Awaitable<ScheduledFiles>;
  /** Permalinks held only by duplicates (their post went away, or an import was killed before a duplicate took over). */
  orphanedDuplicateUrls(): Awaitable<string[]>;
  /** Duplicates that could take over an orphaned permalink, best candidate first. */
  candidatesFor(url: string): Awaitable<Candidate[]>;
  /** Permalinks whose owning file went away during this import. */
  readonly orphanUrls: Set<string>;
  /** Skipped, failed, unpublished and duplicate files of an archive. */
  report(archiveId: number): Awaitable<{ skipped: ReportEntry[]; failed: ReportEntry[]; duplicates: ReportEntry[] }>;
  /**
   * Rebuilds the read model (co-mention pairs, coverage per day) from the stored posts in one
   * transaction; `onStep` hears each statement's step as it starts.
   */
  rebuildReadModel(onStep?: (step: string, index: number, total: number) => void): Awaitable<void>;
  /** After a completed import (PostgreSQL: refreshes the planner's statistics). */
  finish?(): Awaitable<void>;
}

/** Sorts report rows (path, status, reason) into the summary's three lists. */
export function reportOf(rows: { path: string; status: string; reason: string | null }[]) {
  const out = { skipped: [] as ReportEntry[], failed: [] as ReportEntry[], duplicates: [] as ReportEntry[] };
  for (const r of rows) {
    const entry = { path: r.path, reason: r.reason ?? '' };
    if (r.status === 'failed') out.failed.push(entry);
    else if (r.status === 'duplicate') out.duplicates.push(entry);
    else out.skipped.push(entry);
  }
  return out;
}

/** The statuses the report lists. */
export const REPORTED_STATUSES = `('skipped', 'failed', 'duplicate', 'unpublished')`;
