/** What one import run of a watched archive reads: the whole archive, or the paths that changed. */
export interface ArchiveChanges {
  root: string;
  /** Archive-relative paths (files or folders); null: walk the whole archive. */
  paths: string[] | null;
}

/** Changes collected between two import runs, per archive root. */
export class ChangeSet {
  private readonly paths = new Map<string, Set<string>>();
  private readonly whole = new Set<string>();

  /** A file or folder of the archive changed (added, changed, deleted or renamed). */
  add(root: string, rel: string): void {
    if (this.whole.has(root)) return;
    let set = this.paths.get(root);
    if (!set) this.paths.set(root, (set = new Set()));
    set.add(rel);
  }

  /** Everything must be read again (the site's settings changed). */
  addWhole(root: string): void {
    this.whole.add(root);
    this.paths.delete(root);
  }

  get size(): number {
    let n = this.whole.size;
    for (const set of this.paths.values()) n += set.size;
    return n;
  }

  /** Returns the changes so far, in root order, and starts afresh. */
  take(): ArchiveChanges[] {
    const out: ArchiveChanges[] = [
      ...[...this.whole].map((root) => ({ root, paths: null })),
      ...[...this.paths].map(([root, set]) => ({ root, paths: [...set].sort() })),
    ].sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
    this.paths.clear();
    this.whole.clear();
    return out;
  }
}
