import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { inIgnoredDir, isCandidate } from '../ingest/walk';
import { fileSystemWithoutEvents } from './file-systems';

/** What changed in a watched archive: a post file (or folder), or the site's settings. */
export type ArchiveEvent = { root: string; rel: string; kind: 'path' } | { root: string; kind: 'config' };

export interface FileEventsOptions {
  /** Poll instead of waiting for file-system events (archives on file systems without them). */
  poll?: boolean;
  /** How often polling looks at each file, in ms. */
  pollIntervalMs: number;
  onEvent: (e: ArchiveEvent) => void;
  /** A problem worth a log line: the watch goes on. */
  onWarning: (message: string, details: Record<string, unknown>) => void;
}

/** Events were given up for polling (inotify's limit reached, or the roots' file systems have none). */
const NO_EVENTS = new Set(['ENOSPC', 'EMFILE', 'ENOSYS']);

/**
 * Watches archive roots with chokidar and reports the changes the importer cares about: post
 * files and folders by the walk's rules (`src/ingest/walk.ts`: no hidden, `_site`, `_drafts` or
 * `node_modules` folders, whose churn, like `.git`'s in a `git pull`, is never even watched), and
 * `_config.yml`. Starts with events and falls back to polling where they are unavailable: on a
 * network file system (see file-systems.ts), or when the kernel refuses more watches (then
 * `onFallback` says so, since changes may have been missed).
 */
export class FileEvents {
  private watcher: FSWatcher | null = null;
  private closed = false;
  /** Why polling is on, if it is. */
  polling: string | null;
  private readonly roots: string[];

  constructor(
    roots: string[],
    private readonly opts: FileEventsOptions,
    private readonly onFallback: () => void,
  ) {
    // Longest first: a root inside another root owns its paths.
    this.roots = roots.map((r) => path.resolve(r)).sort((a, b) => b.length - a.length);
    const without = this.roots.map(fileSystemWithoutEvents).find((fs) => fs !== null);
    this.polling = opts.poll ? '--poll' : without ? `an archive is on ${without}` : null;
  }

  /** Resolves once the watch is in place (every folder listed), also after a fallback to polling. */
  start(): Promise<void> {
    return new Promise((resolve) => this.open(resolve));
  }

  private open(ready: () => void): void {
    const w = watch(this.roots, {
      ignoreInitial: true,
      followSymlinks: false,
      usePolling: this.polling !== null,
      interval: this.opts.pollIntervalMs,
      binaryInterval: this.opts.pollIntervalMs,
      ignored: (abs, stats) => this.ignored(abs, stats?.isFile()),
    });
    this.watcher = w;
    w.on('all', (event, abs) => this.handle(event, abs));
    w.on('error', (err) => {
      if (w === this.watcher) this.error(err as NodeJS.ErrnoException, ready);
    });
    w.once('ready', ready);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.watcher?.close();
  }

  private locate(abs: string): { root: string; rel: string } | null {
    for (const root of this.roots) {
      if (abs === root) return { root, rel: '' };
      if (abs.startsWith(root + path.sep))
        return {
          root,
          rel: abs
            .slice(root.length + 1)
            .split(path.sep)
            .join('/'),
        };
    }
    return null;
  }

  private ignored(abs: string, isFile: boolean | undefined): boolean {
    const at = this.locate(abs);
    if (!at || at.rel === '') return false;
    if (inIgnoredDir(at.rel)) return true;
    // A file that can never be a post needs no watch (chokidar watches each file).
    return isFile === true && at.rel !== '_config.yml' && !isCandidate(at.rel);
  }

  private handle(event: string, abs: string): void {
    const at = this.locate(abs);
    if (!at || at.rel === '' || inIgnoredDir(at.rel)) return;
    if (at.rel === '_config.yml') {
      this.opts.onEvent({ root: at.root, kind: 'config' });
      return;
    }
    const folder = event === 'addDir' || event === 'unlinkDir';
    if (folder || isCandidate(at.rel)) this.opts.onEvent({ root: at.root, rel: at.rel, kind: 'path' });
  }

  private error(err: NodeJS.ErrnoException, ready: () => void): void {
    if (this.closed) return;
    if (this.polling === null && err.code && NO_EVENTS.has(err.code)) {
      this.polling = `file-system events unavailable (${err.code}: ${err.message})`;
      this.opts.onWarning('falling back to polling', { reason: this.polling, intervalMs: this.opts.pollIntervalMs });
      const old = this.watcher!;
      this.watcher = null;
      void old.close().then(() => {
        if (this.closed) return;
        // A start still waiting resolves with the new watch; changes meanwhile may be lost.
        this.open(() => {
          ready();
          this.onFallback();
        });
      });
      return;
    }
    this.opts.onWarning('watch error', { error: err.message, code: err.code });
  }
}
