import { SingleBar } from 'cli-progress';
import { openDatabase, resolveDatabase, SQLITE_PAGE_SIZE } from '../db/data-source';
import { compactSqlite } from '../db/compact';
import { nativeSqlite } from '../db/native';

export interface CompactOptions {
  db?: string;
  vacuum?: boolean;
  progress?: boolean;
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
const kb = (bytes: number) => `${bytes / 1024} KB`;

/** What the VACUUM did to the file's page size, when it was not already ours. */
function pagesSaid(r: { vacuumed: boolean; pageSizeBefore: number; pageSizeAfter: number }): string {
  if (r.pageSizeBefore !== r.pageSizeAfter) return `, pages ${kb(r.pageSizeBefore)} -> ${kb(r.pageSizeAfter)}`;
  if (!r.vacuumed || r.pageSizeAfter === SQLITE_PAGE_SIZE) return '';
  return `; its ${kb(r.pageSizeAfter)} pages stay: another process has it open (run compact again without it for ${kb(SQLITE_PAGE_SIZE)} pages)`;
}

/**
 * `newsgraph compact`: a SQLite database written before posts were stored packed (or before their
 * HTML was packed against their text) gets them packed so,
 * its full-text index merged into one segment, and (unless --no-vacuum) the file rewritten to its
 * new size, with 8 KB pages if it had others. PostgreSQL compresses them itself.
 */
export async function runCompact(opts: CompactOptions): Promise<void> {
  const ds = await openDatabase(resolveDatabase(opts.db, { mustExist: true }));
  try {
    if (ds.options.type === 'postgres') {
      process.stdout.write('PostgreSQL compresses post HTML and text itself (TOAST): nothing to compact\n');
      return;
    }
    const started = Date.now();
    const interactive = opts.progress ?? Boolean(process.stderr.isTTY);
    const bar = interactive
      ? new SingleBar({ format: 'packing [{bar}] {value}/{total} posts', stream: process.stderr })
      : null;
    const r = compactSqlite(nativeSqlite(ds), {
      vacuum: opts.vacuum ?? true,
      onProgress: (done, total) => {
        if (!bar) return;
        if (done === 0) {
          bar.start(total, 0);
          return;
        }
        bar.setTotal(total);
        bar.update(done);
      },
    });
    bar?.stop();
    const size = r.vacuumed
      ? `${mb(r.bytesBefore)} -> ${mb(r.bytesAfter)}${pagesSaid(r)}`
      : `${mb(r.bytesAfter)} (not vacuumed)`;
    const segments = `search index ${r.searchSegmentsBefore} -> ${r.searchSegmentsAfter} segments`;
    process.stdout.write(
      `Packed ${r.packed} posts in ${((Date.now() - started) / 1000).toFixed(2)} s; ${segments}; database ${size}\n`,
    );
  } finally {
    await ds.destroy();
  }
}
