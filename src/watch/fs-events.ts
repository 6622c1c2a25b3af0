import fs from 'node:fs';
import path from 'node:path';
import { subscribe, type AsyncSubscription } from '@parcel/watcher';
import { watch, type FSWatcher } from 'chokidar';
import { inIgnoredDir, isCandidate } from '../ingest/walk';
import { fileSystemWithoutEvents } from './file-systems';

/** What changed in a watched archive: a post file or a folder, or the site's settings. */
export type ArchiveEvent = { root: string; rel: string; kind: 'path' } | { root: string; kind: 'config' };

export interface FileEventsOptions {
  /** Poll instead of waiting for file-system events (archives on file systems without them). */
  poll?: boolean;
  /** How often polling looks at each file, in ms. */
  pollIntervalMs: number;
  onEvent: (e: ArchiveEvent) => void;
  /** A problem worth a log line: the watch goes on. */
  onWarning: (message: string, details: Record<string, unknown>) => void;
  /** Events may have been missed (the watch was replaced, or the kernel dropped some). */
  onMissed: () => void;
}

type Change = 'create' | 'update' | 'delete';

/** Folders the walk never enters (src/ingest/walk.ts), never watched: a `git pull`'s churn in `.git` costs nothing. */
const IGNORED_GLOBS = ['**/.*', '**/_site', '**/_drafts', '**/node_modules'];
/** The kernel refuses more watches: events are given up for polling. */
const NO_MORE_WATCHES = /ENOSPC|EMFILE|No space left|Too many open files|inotify/i;

/**
 * Watches archive roots and reports the changes the importer cares about: post files and folders
 * by the walk's rules, and `_config.yml`. Events come from @parcel/watcher (inotify on Linux, one
 * watch per folder, changes coalesced natively: 100,000 files watched in ~1 s and ~75 MiB, where
 * chokidar, which watches each file, took 16 s and 500 MiB). Where events are missing, chokidar
 * polls every file instead: an archive on a network file system (file-systems.ts), `--poll`, or a
 * kernel refusing more watches (then `onMissed`, since changes may have been lost meanwhile).
 */
export class FileEvents {
  private subscriptions: AsyncSubscription[] = [];
  private poller: FSWatcher | null = null;
  private closed = false;
  /** Why polling is on, if it is. */
  polling: string | null;
  private readonly roots: string[];

  constructor(
    roots: string[],
    private readonly opts: FileEventsOptions,
  ) {
    // Longest first: a root inside another root owns its paths.
    this.roots = roots.map((r) => path.resolve(r)).sort((a, b) => b.length - a.length);
    const without = this.roots.map(fileSystemWithoutEvents).find((name) => name !== null);
    this.polling = opts.poll ? '--poll' : without ? `an archive is on ${without}` : null;
  }

  /** Resolves once the watch is in place. */
  async start(): Promise<void> {
    if (this.polling === null) {
      try {
        for (const root of this.roots) {
          this.subscriptions.push(
            await subscribe(
              root,
              (err, events) => (err ? this.failed(err) : events.forEach((e) => this.handle(e.type, e.path))),
              {
                ignore: IGNORED_GLOBS,
              },
            ),
          );
        }
        return;
      } catch (err) {
        if (!NO_MORE_WATCHES.test((err as Error).message)) throw err;
        await this.unsubscribe();
        this.fallBack(err as Error);
      }
    }
    await this.startPolling();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.unsubscribe();
    await this.poller?.close();
  }

  private async unsubscribe(): Promise<void> {
    const subs = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(subs.map((s) => s.unsubscribe()));
  }

  private fallBack(err: Error): void {
    this.polling = `file-system events unavailable (${err.message})`;
    this.opts.onWarning('falling back to polling', { reason: this.polling, intervalMs: this.opts.pollIntervalMs });
  }

  /** An error after the watch started: events may have been lost, so everything is looked at again. */
  private failed(err: Error): void {
    if (this.closed) return;
    if (this.polling === null && NO_MORE_WATCHES.test(err.message)) {
      this.fallBack(err);
      void this.unsubscribe()
        .then(() => this.startPolling())
        .then(() => this.opts.onMissed());
      return;
    }
    this.opts.onWarning('watch error; reading the archives again', { error: err.message });
    this.opts.onMissed();
  }

  private startPolling(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const w = watch(this.roots, {
      ignoreInitial: true,
      followSymlinks: false,
      usePolling: true,
      interval: this.opts.pollIntervalMs,
      binaryInterval: this.opts.pollIntervalMs,
      // chokidar polls each file it watches: only folders the walk enters, and files that can be posts.
      ignored: (abs, stats) => {
        const at = this.locate(abs);
        if (!at || at.rel === '') return false;
        return inIgnoredDir(at.rel) || (stats?.isFile() === true && at.rel !== '_config.yml' && !isCandidate(at.rel));
      },
    });
    this.poller = w;
    const kinds: Record<string, Change> = {
      add: 'create',
      addDir: 'create',
      change: 'update',
      unlink: 'delete',
      unlinkDir: 'delete',
    };
    w.on('all', (event, abs) => {
      if (kinds[event]) this.handle(kinds[event], abs);
    });
    w.on('error', (err) => this.opts.onWarning('watch error', { error: (err as Error).message }));
    return new Promise((resolve) => w.once('ready', resolve));
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

  private handle(change: Change, abs: string): void {
    const at = this.locate(abs);
    if (!at || at.rel === '' || inIgnoredDir(at.rel)) return;
    if (at.rel === '_config.yml') {
      this.opts.onEvent({ root: at.root, kind: 'config' });
      return;
    }
    // A folder moved in comes as one event (its files with it), a folder removed maybe as one
    // too: either is read whole (a path gone may have been a folder; its posts are pruned).
    if (isCandidate(at.rel) || change === 'delete' || (change === 'create' && isFolder(abs)))
      this.opts.onEvent({ root: at.root, rel: at.rel, kind: 'path' });
  }
}

function isFolder(abs: string): boolean {
  try {
    return fs.lstatSync(abs).isDirectory();
  } catch {
    return false;
  }
}
