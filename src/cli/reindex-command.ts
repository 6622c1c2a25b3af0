import { SingleBar } from 'cli-progress';
import { openDatabase, resolveDatabase } from '../db/data-source';
import { writeStoreOf } from '../db/store';
import { useImportHeapSettings } from '../ingest/import-heap';

export interface ReindexOptions {
  db?: string;
  progress?: boolean;
}

/** `newsgraph reindex`: the read model rebuilt from the stored posts, with a progress bar on a terminal. */
export async function runReindex(opts: ReindexOptions): Promise<void> {
  // The import's heap growth: a reindex reads every post and link in pages and keeps little more
  // than the related lists' link arrays, and V8's default growth let its heap reach several times
  // that (100k on SQLite: a 243 MB peak, 175-182 MB this way). Its young generation stays V8's:
  // held at the import's 8 MB, the reindex took 10% more CPU.
  useImportHeapSettings();
  const ds = await openDatabase(resolveDatabase(opts.db, { mustExist: true }));
  const started = Date.now();
  try {
    const interactive = opts.progress ?? Boolean(process.stderr.isTTY);
    const bar = interactive
      ? new SingleBar({ format: 'reindexing [{bar}] {value}/{total} statements | {step}', stream: process.stderr })
      : null;
    await writeStoreOf(ds)
      .writer()
      .rebuildReadModel((step, i, total) => {
        if (!bar) return;
        if (i === 0) bar.start(total, 0, { step });
        else bar.update(i, { step });
      });
    if (bar) {
      bar.update(bar.getTotal(), { step: 'done' });
      bar.stop();
    }
    process.stdout.write(`Rebuilt the read model in ${((Date.now() - started) / 1000).toFixed(2)} s\n`);
  } finally {
    await ds.destroy();
  }
}
