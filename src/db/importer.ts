import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseSiteConfig, type ParsedSiteConfig } from '../ingest/jekyll';
import type { SiteConfig } from '../ingest/types';
import { walkArchive, walkPaths, type ArchiveFile } from '../ingest/walk';
import { ParsePool } from '../ingest/parse-pool';
import { ImportPacer } from './import-pacer';
import type { ArchiveWriter, FileMeta, PendingFile, ReportEntry, SourceFileRow } from './writes/archive-writer';
import type { WriteStore } from './store';

/** Files read ahead of the writer: bounds memory whatever the archive size. */
const MAX_QUEUED = 1024;
/**
 * ... and their bytes, which bound memory whatever the file sizes: a parsed post holds several
 * times its size (body, HTML, text, search tokens). With the count alone, 40 posts of 7 MB were all
 * parsed before the first was written, and the import ran out of memory (a 700 MB heap).
 */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;
/** Source bytes per transaction, for the same reason (the batch holds its parsed posts). */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

/** Bump when parsing or extraction changes: every archive is then read again in full. */
export const READER_VERSION = '1';

export interface ImportProgress {
  archive: string;
  files: number;
  posts: number;
  elapsedMs: number;
}

export interface ImportOptions {
  prune?: boolean;
  /** Files per transaction. */
  batchSize?: number;
  /** Parser threads (default: one per core; 0 parses on the calling thread). */
  workers?: number;
  /**
   * Busy at most this share of the time (0 < d <= 1; default 1): the import rests before each
   * transaction in proportion to the time it worked (import-pacer.ts), beside a busy server.
   */
  dutyCycle?: number;
  onProgress?: (p: ImportProgress) => void;
  /**
   * Only these archive-relative paths (files or folders) of a root (keyed by its resolved path)
   * instead of a walk of the whole archive: a watcher's changed paths. Those gone from disk are
   * pruned, and the report lists only problems under them. A root not in the map is walked whole,
   * and so is one whose `_config.yml` changed since its last import (every file must be read again).
   */
  paths?: ReadonlyMap<string, readonly string[]>;
  /**
   * Says a file may still be being written (a watcher saw it change moments ago). Such a file that
   * fails, is skipped or changes while read is not recorded but listed in `deferred`, to be tried
   * again once it has settled: half a file is not a broken post.
   */
  stillWriting?: (root: string, rel: string) => boolean;
  /**
   * Stops the import before its next transaction (the one in flight commits): what was written is
   * consistent, and the next import picks up the rest, as after a killed import.
   */
  signal?: AbortSignal;
  /**
   * The clock (epoch ms) a post's date is compared with under `future: false` (Jekyll's build
   * time): a post dated after it is scheduled, not imported, and a scheduled file whose time has
   * come is read again. Default `Date.now`; tests move it instead of sleeping.
   */
  now?: () => number;
  /**
   * The walk of a whole archive (default `walkArchive`, the same files in the same order): the
   * command line hands in walks it started before the import's modules loaded (walk-ahead.ts).
   */
  walk?: (root: string, onWarning: (rel: string, reason: string) => void) => AsyncIterable<ArchiveFile>;
}

export interface DeferredFile extends ReportEntry {
  root: string;
}

export interface ImportSummary {
  new: number;
  updated: number;
  unchanged: number;
  pruned: number;
  /** Posts removed: their file pruned, or no longer a post (unpublished, dated in the future, broken). */
  removed: number;
  /** Files of these archives that are posts dated in the future (`future: false`), waiting for their time. */
  scheduled: number;
  /** When the first of them becomes a post (epoch ms), null when none is scheduled. */
  nextScheduledMs: number | null;
  skipped: ReportEntry[];
  failed: ReportEntry[];
  duplicates: ReportEntry[];
  /** What an archive's `_config.yml` sets that the import ignores or reads as a default, and why. */
  warnings: ReportEntry[];
  files: number;
  elapsedMs: number;
  /** Files left for later because they may still be being written (only with `stillWriting`). */
  deferred?: DeferredFile[];
  /** Set when `signal` stopped the import before its end. */
  stopped?: true;
}

/** The import could not run at all (bad argument, unreadable archive root). */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * The archive's `_config.yml` read: a file Jekyll would stop on stops the import of this archive
 * (read with defaults, its posts would move to other permalinks); what it ignores or reads as a
 * default (an unknown time zone) is a warning in the summary.
 */
function loadSite(root: string): { site: SiteConfig; hash: string; warnings: ReportEntry[] } {
  const file = path.join(root, '_config.yml');
  let text: string | null = null;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new ImportError(`${file}: cannot read: ${(err as Error).message}`);
  }
  let parsed: ParsedSiteConfig;
  try {
    parsed = parseSiteConfig(text);
  } catch (err) {
    throw new ImportError(`${file}: ${(err as Error).message}`);
  }
  if (parsed.unusable)
    throw new ImportError(
      `${file}: ${parsed.unusable.replace(/^_config\.yml /, '')}; Jekyll stops on it, and so does the import`,
    );
  return {
    site: parsed.config,
    hash: sha256(`${READER_VERSION}\0${text ?? ''}`),
    warnings: parsed.warnings.map((reason) => ({ path: '_config.yml', reason })),
  };
}

/** Throws an ImportError naming `root` unless it is a folder. */
export function checkRoot(root: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch {
    throw new ImportError(`${root}: no such folder`);
  }
  if (!st.isDirectory()) throw new ImportError(`${root}: not a folder`);
}

/**
 * NEWSGRAPH_BATCH_SIZE (files per transaction) when `batchSize` is not given: lets tests and
 * operators use small transactions (e.g. to kill an import between many commits) without a flag.
 */
function batchSizeFromEnv(): number | undefined {
  const raw = process.env.NEWSGRAPH_BATCH_SIZE;
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new ImportError(`NEWSGRAPH_BATCH_SIZE must be a positive integer (got "${raw}")`);
  return n;
}

/**
 * True when no regular file is at `abs` any more, as the walk sees it: missing, or replaced by a
 * folder or a symbolic link (neither is read). `fs.existsSync` said "still there" for those, so
 * --prune kept the post of a file turned into a folder; and it said "gone" when the path merely
 * could not be checked (EACCES on a folder), so a permission problem pruned posts.
 */
function goneFromDisk(abs: string): boolean {
  try {
    return !fs.lstatSync(abs).isFile();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR';
  }
}

/** Thrown inside the import when its signal stops it; never leaves importArchives. */
class Stopped extends Error {}

/** True for a path the listed paths name: one of them, or inside a listed folder. */
function listedBy(listed: ReadonlySet<string>): (rel: string) => boolean {
  return (rel) => {
    if (listed.has(rel)) return true;
    for (let i = rel.indexOf('/'); i !== -1; i = rel.indexOf('/', i + 1)) if (listed.has(rel.slice(0, i))) return true;
    return false;
  };
}

/**
 * Imports archives incrementally: files whose size and mtime match the last import are not read,
 * files whose bytes hash the same are not parsed, and each batch of changes is one transaction,
 * so a crash never leaves half a batch.
 */
export async function importArchives(
  store: WriteStore,
  roots: string[],
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const writer = store.writer();
  // SQLite stores a post's HTML and text packed (ingest/render/packed.ts); PostgreSQL compresses them itself.
  const pack = store.kind === 'sqlite';
  // PostgreSQL takes the search tokens as a binary tsvector, encoded on the parser's thread too.
  const tsvector = store.kind === 'postgres';
  const started = Date.now();
  const clock = opts.now ?? Date.now;
  const batchSize = opts.batchSize ?? batchSizeFromEnv() ?? 500;
  const sum: ImportSummary = {
    new: 0,
    updated: 0,
    unchanged: 0,
    pruned: 0,
    removed: 0,
    scheduled: 0,
    nextScheduledMs: null,
    skipped: [],
    failed: [],
    duplicates: [],
    warnings: [],
    files: 0,
    elapsedMs: 0,
  };
  if (opts.stillWriting) sum.deferred = [];
  const stopping = () => {
    if (opts.signal?.aborted) throw new Stopped();
  };
  const resolved = roots.map((r) => path.resolve(r));
  resolved.forEach(checkRoot);
  const pacer = opts.dutyCycle === undefined || opts.dutyCycle === 1 ? null : new ImportPacer(opts.dutyCycle);
  const pool = new ParsePool(opts.workers);
  let nextSeq = 0;
  try {
    for (const root of resolved) {
      const { site, hash, warnings } = loadSite(root);
      sum.warnings.push(...warnings);
      const { id: archiveId, configChanged } = await writer.archive(root, hash);
      const given = configChanged ? undefined : opts.paths?.get(root);
      // Scheduled posts whose time has come are read again with the changed paths: nothing else
      // would bring them in (their files did not change).
      const only = given && [...new Set([...given, ...(await writer.dueScheduled(archiveId, clock()))])];
      const listed = only && listedBy(new Set(only));
      const transient: ReportEntry[] = [];
      let pending: PendingFile[] = [];
      let pendingBytes = 0;

      const flush = async () => {
        if (pending.length === 0) return;
        // A signal (SIGTERM) is handled only when the event loop turns, which parsed results
        // already at hand and SQLite's synchronous writes never make it do: one turn a transaction.
        if (opts.signal) await new Promise(setImmediate);
        stopping();
        if (pacer) {
          await pacer.rest(opts.signal);
          stopping();
        }
        const batch = pending;
        pending = [];
        pendingBytes = 0;
        const counts = await writer.writeBatch(batch);
        sum.new += counts.new;
        sum.updated += counts.updated;
        sum.unchanged += counts.unchanged;
        sum.removed += counts.removed;
      };

      // Files to read go to the parse pool; results are taken back in walk order.
      const queue: { seq: number; rel: string; mtimeMs: number; size: number; known: SourceFileRow | undefined }[] = [];
      let queuedBytes = 0;
      const drain = async (keep: number, keepBytes: number) => {
        while (queue.length > keep || (queue.length > 0 && queuedBytes > keepBytes)) {
          const q = queue.shift()!;
          queuedBytes -= q.size;
          const r = await pool.take(q.seq);
          if (opts.stillWriting?.(root, q.rel)) {
            // Half a file fails or reads short; the writer's next change brings the rest.
            const reason =
              'error' in r
                ? r.error
                : r.size !== q.size
                  ? 'changed while read'
                  : r.outcome?.kind === 'failed' || r.outcome?.kind === 'skipped'
                    ? r.outcome.reason
                    : null;
            if (reason !== null) {
              sum.deferred!.push({ root, path: q.rel, reason });
              continue;
            }
          }
          if ('error' in r) {
            transient.push({ path: q.rel, reason: r.error });
            continue;
          }
          const meta: FileMeta = { archiveId, path: q.rel, size: r.size, mtimeMs: q.mtimeMs, fileHash: r.fileHash };
          if (r.outcome === null) {
            if (q.known?.status === 'post') sum.unchanged++;
            pending.push({ meta, touch: true });
          } else {
            pending.push({ meta, outcome: r.outcome });
            pendingBytes += r.size;
          }
          if (pending.length >= batchSize || pendingBytes > MAX_BATCH_BYTES) await flush();
        }
      };

      const warn = (rel: string, reason: string) => transient.push({ path: rel, reason });
      for await (const f of only ? walkPaths(root, only, warn) : (opts.walk ?? walkArchive)(root, warn)) {
        stopping();
        sum.files++;
        const known = await writer.file(archiveId, f.rel);
        const buildTimeMs = clock();
        // A scheduled post whose time has come is parsed again though its bytes did not change.
        const due = known?.publishAtMs != null && known.publishAtMs <= buildTimeMs;
        if (known && !configChanged && !due && known.size === f.size && known.mtimeMs === f.mtimeMs) {
          if (known.status === 'post') sum.unchanged++;
        } else {
          const seq = nextSeq++;
          const knownHash = known && !configChanged && !due ? known.fileHash : null;
          pool.submit({ rel: f.rel, abs: f.abs, knownHash, site, buildTimeMs, pack, tsvector }, seq);
          queue.push({ seq, rel: f.rel, mtimeMs: f.mtimeMs, size: f.size, known });
          queuedBytes += f.size;
          // Without worker threads a file is parsed as it is submitted: reading ahead would only hold
          // parsed posts in memory for nothing, so each one goes straight to the batch.
          if (!pool.threaded) await drain(0, 0);
          else if (queue.length >= MAX_QUEUED || queuedBytes > MAX_QUEUED_BYTES)
            await drain(MAX_QUEUED / 2, MAX_QUEUED_BYTES / 2);
        }
        if (opts.onProgress && sum.files % 200 === 0) {
          opts.onProgress({
            archive: root,
            files: sum.files,
            posts: sum.new + sum.updated + sum.unchanged,
            elapsedMs: Date.now() - started,
          });
        }
      }
      await drain(0, 0);
      await flush();
      // Only now has every file been read under these settings (see ArchiveWriter.archive).
      if (configChanged) await writer.saveConfigHash(archiveId, hash);

      if (listed) {
        // Files gone, or turned into folders, among the listed paths (a folder gone takes its files).
        if (only.some((rel) => goneFromDisk(path.join(root, rel)))) {
          stopping();
          const exists = (rel: string) => !listed(rel) || !goneFromDisk(path.join(root, rel));
          const pruned = await writer.prune(archiveId, exists, only);
          sum.pruned += pruned.paths.length;
          sum.removed += pruned.removed;
        }
      } else if (opts.prune) {
        stopping();
        const pruned = await writer.prune(archiveId, (rel) => !goneFromDisk(path.join(root, rel)));
        sum.pruned += pruned.paths.length;
        sum.removed += pruned.removed;
      }
      stopping();
      await adoptOrphans(writer, sum, clock);
      const waiting = await writer.scheduled(archiveId);
      sum.scheduled += waiting.count;
      if (waiting.nextMs !== null && (sum.nextScheduledMs === null || waiting.nextMs < sum.nextScheduledMs))
        sum.nextScheduledMs = waiting.nextMs;
      const report = await writer.report(archiveId);
      const mine = (entries: ReportEntry[]) => (listed ? entries.filter((e) => listed(e.path)) : entries);
      sum.skipped.push(...mine(report.skipped), ...transient);
      sum.failed.push(...mine(report.failed));
      sum.duplicates.push(...mine(report.duplicates));
    }
    // The parse workers' heaps go before the writer's last step (which may rank every post's
    // related posts in memory), so the two never add up.
    await pool.close();
    await writer.finish?.();
  } catch (err) {
    if (!(err instanceof Stopped)) throw err;
    sum.stopped = true;
  } finally {
    await pool.close();
  }
  sum.elapsedMs = Date.now() - started;
  return sum;
}

/** A permalink lost its file (deleted, renamed, unpublished): the best duplicate takes over. */
async function adoptOrphans(writer: ArchiveWriter, sum: ImportSummary, clock: () => number): Promise<void> {
  const sites = new Map<string, SiteConfig>();
  // Also the permalinks an earlier, killed import orphaned: its in-memory list died with it.
  for (const url of await writer.orphanedDuplicateUrls()) writer.orphanUrls.add(url);
  // Each round settles at least one permalink; the bound only guards against a logic error (it
  // grows with the list: a fixed 1,000 left the rest of a larger list orphaned).
  const maxRounds = writer.orphanUrls.size + 1000;
  for (let round = 0; writer.orphanUrls.size > 0 && round < maxRounds; round++) {
    const [url] = writer.orphanUrls;
    writer.orphanUrls.delete(url);
    for (const c of await writer.candidatesFor(url)) {
      const abs = path.join(c.root, c.path);
      let bytes: Buffer;
      let st: fs.Stats;
      try {
        // Only a regular file, as in the walk: readFileSync on a named pipe put there would block
        // the import forever, and a symbolic link is not followed.
        st = fs.lstatSync(abs);
        if (!st.isFile()) continue;
        bytes = fs.readFileSync(abs);
      } catch {
        continue;
      }
      if (!sites.has(c.root)) sites.set(c.root, loadSite(c.root).site);
      const meta: FileMeta = {
        archiveId: c.archiveId,
        path: c.path,
        size: st.size,
        mtimeMs: Math.floor(st.mtimeMs),
        fileHash: sha256(bytes),
      };
      // Loaded here: most imports adopt nothing, and need no parser on this thread (parse-pool.ts).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { parseFile } = require('../ingest/parse-file') as typeof import('../ingest/parse-file');
      const outcome = parseFile(c.path, bytes, meta.fileHash, sites.get(c.root)!, clock());
      const counts = await writer.writeBatch([{ meta, outcome }]);
      if (counts.new === 1) {
        sum.new++;
        break;
      }
    }
  }
}
