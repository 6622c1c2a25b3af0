import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readSiteConfig } from '../ingest/jekyll';
import { parseFile } from '../ingest/parse-file';
import type { SiteConfig } from '../ingest/types';
import { walkArchive } from '../ingest/walk';
import { ParsePool } from '../ingest/parse-pool';
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
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportSummary {
  new: number;
  updated: number;
  unchanged: number;
  pruned: number;
  skipped: ReportEntry[];
  failed: ReportEntry[];
  duplicates: ReportEntry[];
  files: number;
  elapsedMs: number;
}

/** The import could not run at all (bad argument, unreadable archive root). */
export class ImportError extends Error {}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

function loadSite(root: string): { site: SiteConfig; hash: string } {
  const file = path.join(root, '_config.yml');
  let text: string | null = null;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new ImportError(`${file}: cannot read: ${(err as Error).message}`);
  }
  try {
    return { site: readSiteConfig(text), hash: sha256(`${READER_VERSION}\0${text ?? ''}`) };
  } catch (err) {
    throw new ImportError(`${file}: ${(err as Error).message}`);
  }
}

function checkRoot(root: string): void {
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
  const started = Date.now();
  const batchSize = opts.batchSize ?? batchSizeFromEnv() ?? 500;
  const sum: ImportSummary = {
    new: 0,
    updated: 0,
    unchanged: 0,
    pruned: 0,
    skipped: [],
    failed: [],
    duplicates: [],
    files: 0,
    elapsedMs: 0,
  };
  const resolved = roots.map((r) => path.resolve(r));
  resolved.forEach(checkRoot);
  const pool = new ParsePool(opts.workers);
  let nextSeq = 0;
  try {
    for (const root of resolved) {
      const { site, hash } = loadSite(root);
      const { id: archiveId, configChanged } = await writer.archive(root, hash);
      const transient: ReportEntry[] = [];
      let pending: PendingFile[] = [];
      let pendingBytes = 0;

      const flush = async () => {
        if (pending.length === 0) return;
        const batch = pending;
        pending = [];
        pendingBytes = 0;
        const counts = await writer.writeBatch(batch);
        sum.new += counts.new;
        sum.updated += counts.updated;
        sum.unchanged += counts.unchanged;
      };

      // Files to read go to the parse pool; results are taken back in walk order.
      const queue: { seq: number; rel: string; mtimeMs: number; size: number; known: SourceFileRow | undefined }[] = [];
      let queuedBytes = 0;
      const drain = async (keep: number, keepBytes: number) => {
        while (queue.length > keep || (queue.length > 0 && queuedBytes > keepBytes)) {
          const q = queue.shift()!;
          queuedBytes -= q.size;
          const r = await pool.take(q.seq);
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

      for await (const f of walkArchive(root, (rel, reason) => transient.push({ path: rel, reason }))) {
        sum.files++;
        const known = await writer.file(archiveId, f.rel);
        if (known && !configChanged && known.size === f.size && known.mtimeMs === f.mtimeMs) {
          if (known.status === 'post') sum.unchanged++;
        } else {
          const seq = nextSeq++;
          pool.submit(
            { rel: f.rel, abs: f.abs, knownHash: known && !configChanged ? known.fileHash : null, site },
            seq,
          );
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

      if (opts.prune) {
        sum.pruned += (await writer.prune(archiveId, (rel) => !goneFromDisk(path.join(root, rel)))).length;
      }
      await adoptOrphans(writer, sum);
      const report = await writer.report(archiveId);
      sum.skipped.push(...report.skipped, ...transient);
      sum.failed.push(...report.failed);
      sum.duplicates.push(...report.duplicates);
    }
    // The parse workers' heaps go before the writer's last step (which may rank every post's
    // related posts in memory), so the two never add up.
    await pool.close();
    await writer.finish?.();
  } finally {
    await pool.close();
  }
  sum.elapsedMs = Date.now() - started;
  return sum;
}

/** A permalink lost its file (deleted, renamed, unpublished): the best duplicate takes over. */
async function adoptOrphans(writer: ArchiveWriter, sum: ImportSummary): Promise<void> {
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
      const outcome = parseFile(c.path, bytes, meta.fileHash, sites.get(c.root)!);
      const counts = await writer.writeBatch([{ meta, outcome }]);
      if (counts.new === 1) {
        sum.new++;
        break;
      }
    }
  }
}
