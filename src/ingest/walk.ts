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
const DATED = /^\d{4}-\d{2}-\d{2}-/;

export function isIgnoredDir(name: string): boolean {
  return name.startsWith('.') || IGNORED_DIRS.has(name);
}

/** True for an archive-relative path inside a folder the walk never enters (or naming one). */
export function inIgnoredDir(rel: string): boolean {
  return rel.split('/').some(isIgnoredDir);
}

/** What a directory entry and `lstat` both tell: the kind of a file. */
type Kind = Pick<
  fs.Dirent,
  'isDirectory' | 'isFile' | 'isSymbolicLink' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'
>;

function specialKind(entry: Kind): string {
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
 * True for a file name the walk looks at in that place: every md/markdown/html file, and every
 * file in a `_posts` folder (so a misnamed one can be reported); never a hidden one.
 */
export function isCandidate(rel: string, postsDir = inPostsDir(rel)): boolean {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  return !name.startsWith('.') && (CANDIDATE_EXT.test(name) || postsDir);
}

/**
 * The walk's rule for one entry that is not a folder: true if it is a regular candidate file to
 * read. Symbolic links are never followed (Jekyll's safe mode does not), and other special files
 * never read (a FIFO would block the reader forever); both are reported, rather than silently
 * dropped, where they look like posts, so every candidate file is accounted for.
 */
function readable(
  rel: string,
  entry: Kind,
  onWarning: ((rel: string, reason: string) => void) | undefined,
  postsDir = inPostsDir(rel),
): boolean {
  if (!isCandidate(rel, postsDir)) return false;
  const looksLikePost = postsDir || DATED.test(rel.slice(rel.lastIndexOf('/') + 1));
  if (entry.isSymbolicLink()) {
    if (looksLikePost) onWarning?.(rel, 'symbolic link (not followed)');
    return false;
  }
  if (!entry.isFile()) {
    if (looksLikePost) onWarning?.(rel, `not a regular file (${specialKind(entry)})`);
    return false;
  }
  return true;
}

/**
 * Yields the files of one folder and its sub-folders, depth-first in sorted order. `postsDir`:
 * the folder is inside a `_posts` folder (known from the way down, not split out of every path).
 * Without `stat`, files come without their size and time (-1): a count needs no `lstat`.
 */
function* visit(
  dirAbs: string,
  dirRel: string,
  onWarning?: (rel: string, reason: string) => void,
  postsDir = inPostsDir(`${dirRel}/x`),
  stat = true,
): Generator<ArchiveFile> {
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
      if (!isIgnoredDir(entry.name)) yield* visit(abs, rel, onWarning, postsDir || entry.name === '_posts', stat);
      continue;
    }
    if (!readable(rel, entry, onWarning, postsDir)) continue;
    if (!stat) {
      yield { rel, abs, size: -1, mtimeMs: -1 };
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

/**
 * Walks an archive depth-first in sorted order, yielding candidate files (see `readable`).
 * Streams: only one folder listing is held per level.
 */
export async function* walkArchive(
  root: string,
  onWarning?: (rel: string, reason: string) => void,
): AsyncGenerator<ArchiveFile> {
  yield* visit(path.resolve(root), '', onWarning);
}

/** How many files `walkArchive` will yield (a file that cannot be `lstat`ed counts): a progress bar's total. */
export function countArchiveFiles(root: string): number {
  let n = 0;
  for (const _ of visit(path.resolve(root), '', undefined, undefined, false)) n++;
  return n;
}

/** `walkArchive` without awaits, for a thread that walks ahead of the importer (walk-ahead.ts). */
export function walkArchiveSync(
  root: string,
  onWarning?: (rel: string, reason: string) => void,
): Generator<ArchiveFile> {
  return visit(path.resolve(root), '', onWarning);
}

/**
 * Walks only the listed archive-relative paths, under the rules of `walkArchive`: a listed file is
 * yielded if the whole walk would yield it, a listed folder is walked. Paths that are gone, or that
 * the walk would never reach (an ignored folder, a symbolic link on the way), yield nothing.
 * For a watcher, which knows what changed: a few paths of a large archive cost a few `lstat`s.
 */
export async function* walkPaths(
  root: string,
  rels: readonly string[],
  onWarning?: (rel: string, reason: string) => void,
): AsyncGenerator<ArchiveFile> {
  const base = path.resolve(root);
  const sorted = [...new Set(rels)].sort();
  const reachable = new Map<string, boolean>();
  // A folder on the way must be a real folder: the walk enters no symbolic link.
  const reachableDir = (dirRel: string): boolean => {
    if (dirRel === '') return true;
    let ok = reachable.get(dirRel);
    if (ok === undefined) {
      const parent = dirRel.includes('/') ? dirRel.slice(0, dirRel.lastIndexOf('/')) : '';
      try {
        ok = reachableDir(parent) && fs.lstatSync(path.join(base, dirRel)).isDirectory();
      } catch {
        ok = false;
      }
      reachable.set(dirRel, ok);
    }
    return ok;
  };
  const walked = new Set<string>();
  const insideWalked = (rel: string) => {
    for (let i = rel.indexOf('/'); i !== -1; i = rel.indexOf('/', i + 1)) if (walked.has(rel.slice(0, i))) return true;
    return false;
  };
  for (const rel of sorted) {
    // A folder's walk already gave every file inside it.
    if (rel === '' || inIgnoredDir(rel) || insideWalked(rel)) continue;
    const parent = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    if (!reachableDir(parent)) continue;
    const abs = path.join(base, rel);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') onWarning?.(rel, `cannot stat: ${(err as Error).message}`);
      continue;
    }
    if (st.isDirectory()) {
      walked.add(rel);
      yield* visit(abs, rel, onWarning);
    } else if (readable(rel, st, onWarning)) {
      yield { rel, abs, size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
    }
  }
}
