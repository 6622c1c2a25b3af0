import v8 from 'node:v8';
import { SingleBar } from 'cli-progress';
import { importArchives, ImportSummary } from '../db/importer';
import { openDatabase, resolveDatabase } from '../db/data-source';
import { countArchiveFiles } from '../ingest/walk';
import type { WalksAhead } from '../ingest/walk-ahead';
import { writeStoreOf } from '../db/store';

export interface ImportCommandOptions {
  db?: string;
  json?: boolean;
  prune?: boolean;
  progress?: boolean;
  /** ImportOptions.dutyCycle. */
  dutyCycle?: number;
  /** Walks of the archives started before this module loaded (closed here). */
  walks?: WalksAhead;
}

/**
 * An import's heap settings, for every thread of the process (V8's flags are process-wide; set
 * before the parser threads start). The import makes short-lived garbage (parsed records on their
 * way to the database): semi-spaces of 1 MB instead of V8's 16 take tens of MB off the peak RSS at
 * no measured CPU cost, like the parser threads' small young generation (PARSER_YOUNG_GENERATION_MB).
 * And V8 sizes a heap with a 4 GB limit (this machine's default) to grow up to 4x its live data
 * between full collections: the import's threads held 110 and 40 MB heaps for 35 and 15 MB of live
 * data. A growing factor of 1.5 took the peak RSS of a 20k import from 325 to 232 MiB at the same
 * CPU time. It limits nothing: a larger live set still gets the heap it needs.
 */
export function useImportHeapSettings(): void {
  v8.setFlagsFromString('--max-semi-space-size=1');
  v8.setFlagsFromString('--heap-growing-percent=50');
}

export async function runImport(dirs: string[], opts: ImportCommandOptions): Promise<ImportSummary> {
  useImportHeapSettings();
  const ds = await openDatabase(resolveDatabase(opts.db));
  try {
    const interactive = opts.progress ?? (!opts.json && Boolean(process.stderr.isTTY));
    let bar: SingleBar | null = null;
    if (interactive) {
      bar = new SingleBar({
        format: 'importing [{bar}] {value}/{total} files | {posts} posts | {rate} posts/s | {eta_formatted} left',
        stream: process.stderr,
        hideCursor: true,
      });
      bar.start(
        dirs.reduce((n, d) => n + countArchiveFiles(d), 0),
        0,
        { posts: 0, rate: 0 },
      );
    }
    const summary = await importArchives(writeStoreOf(ds), dirs, {
      prune: opts.prune,
      dutyCycle: opts.dutyCycle,
      walk: opts.walks?.walk,
      onProgress: (p) =>
        bar?.update(p.files, { posts: p.posts, rate: Math.round(p.posts / Math.max(p.elapsedMs / 1000, 0.001)) }),
    });
    if (bar) {
      bar.update(summary.files);
      bar.stop();
    }
    process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : formatSummary(dirs, summary));
    return summary;
  } finally {
    opts.walks?.close();
    await ds.destroy();
  }
}

/** Posts dated in the future (`future: false`): how many wait, and when the first is published. */
export function scheduledLine(s: Pick<ImportSummary, 'scheduled' | 'nextScheduledMs'>): string {
  const next = s.nextScheduledMs === null ? '' : `, the next at ${new Date(s.nextScheduledMs).toISOString()}`;
  return `scheduled ${s.scheduled} (dated in the future: published at their time${next})`;
}

export function formatSummary(dirs: string[], s: ImportSummary): string {
  const posts = s.new + s.updated + s.unchanged;
  const secs = s.elapsedMs / 1000;
  const lines = [
    `Imported ${dirs.join(', ')}: ${posts} posts from ${s.files} files in ${secs.toFixed(2)} s (${Math.round((s.new + s.updated) / Math.max(secs, 0.001))} posts/s written)`,
    `  new ${s.new}, updated ${s.updated}, unchanged ${s.unchanged}, removed ${s.removed}, pruned ${s.pruned}, skipped ${s.skipped.length}, failed ${s.failed.length}, duplicates ${s.duplicates.length}`,
  ];
  if (s.scheduled > 0) lines.push(`  ${scheduledLine(s)}`);
  const list = (title: string, entries: { path: string; reason: string }[]) => {
    if (entries.length === 0) return;
    lines.push(`  ${title}:`);
    for (const e of entries) lines.push(`    ${e.path}: ${e.reason}`);
  };
  list('failed', s.failed);
  list('skipped', s.skipped);
  list('duplicates', s.duplicates);
  return `${lines.join('\n')}\n`;
}
