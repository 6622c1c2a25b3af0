import fs from 'node:fs';
import path from 'node:path';

/** A file the importer should look at, with what `lstat` told us. */
export interface ArchiveFile {
  /** Archive-relative path with `/` separators. */
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
}

/** Names of folders Jekyll does not read (besides hidden ones). */
const IGNORED_DIRS = new Set(['_drafts', '_site', 'node_modules']);
const CANDIDATE_EXT = /\.(md|markdown|html)$/i;

export function isIgnoredDir(name: string): boolean {
  return name.startsWith('.') || IGNORED_DIRS.has(name);
}

function specialKind(entry: fs.Dirent): string {
  if (entry.isFIFO()) return 'a named pipe';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  return 'unknown type';
}

/** True for a path inside a `_posts` folder. */
export function inPostsDir(rel: string): boolean {
  return rel.split('/').slice(0, -1).includes('_posts');
}

/**
 * Walks an archive depth-first in sorted order, yielding candidate files: every md/markdown/html
 * file, and every file in a `_posts` folder (so a misnamed one can be reported). Symbolic links are
 * never followed (Jekyll's safe mode does not), which also makes link loops harmless.
 * Streams: only one folder listing is held per level.
 */
export async function* walkArchive(
  root: string,
  onWarning?: (rel: string, reason: string) => void,
): AsyncGenerator<ArchiveFile> {
  async function* visit(dirAbs: string, dirRel: string): AsyncGenerator<ArchiveFile> {
    let entries: fs.Dirent[];
    try {
      // Synchronous calls: one walker gains nothing from the thread pool, and each await costs.
      entries = fs.readdirSync(dirAbs, { withFileTypes: true });
    } catch (err) {
      onWarning?.(dirRel || '.', `cannot read folder: ${(err as Error).message}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      const abs = path.join(dirAbs, entry.name);
      if (entry.isDirectory()) {
        if (!isIgnoredDir(entry.name)) yield* visit(abs, rel);
        continue;
      }
      const postsFolder = inPostsDir(rel);
      if (!CANDIDATE_EXT.test(entry.name) && !postsFolder) continue;
      if (entry.name.startsWith('.')) continue;
      if (entry.isSymbolicLink()) {
        if (postsFolder || /^\d{4}-\d{2}-\d{2}-/.test(entry.name)) onWarning?.(rel, 'symbolic link (not followed)');
        continue;
      }
      if (!entry.isFile()) {
        // Never read (a FIFO would block the reader forever), but reported like a symbolic link,
        // rather than silently dropped, so every candidate file is accounted for.
        if (postsFolder || /^\d{4}-\d{2}-\d{2}-/.test(entry.name))
          onWarning?.(rel, `not a regular file (${specialKind(entry)})`);
        continue;
      }
      let st: fs.Stats;
      try {
        st = fs.lstatSync(abs);
      } catch (err) {
        onWarning?.(rel, `cannot stat: ${(err as Error).message}`);
        continue;
      }
      yield { rel, abs, size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
    }
  }
  yield* visit(path.resolve(root), '');
}
