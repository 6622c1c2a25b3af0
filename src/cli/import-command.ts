import { SingleBar } from 'cli-progress';
import { importArchives, ImportSummary } from '../db/importer';
import { openDatabase, resolveDatabase } from '../db/data-source';
import { countArchiveFiles } from '../ingest/walk';
import type { WalksAhead } from '../ingest/walk-ahead';
import { writeStoreOf } from '../db/store';
import { holdYoungGeneration, useImportHeapSettings } from '../ingest/import-heap';

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

export async function runImport(dirs: string[], opts: ImportCommandOptions): Promise<ImportSummary> {
  useImportHeapSettings();
  holdYoungGeneration();
  let ds;
  try {
    ds = await openDatabase(resolveDatabase(opts.db));
  } catch (err) {
    opts.walks?.close(); // their threads would keep the process alive after the error
    throw err;
  }
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
  list('warnings', s.warnings);
  list('failed', s.failed);
  list('skipped', s.skipped);
  list('duplicates', s.duplicates);
  return `${lines.join('\n')}\n`;
}
