import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { awaitThreadHeap, importHeapWorkerData } from './import-heap';
import { walkArchive, type ArchiveFile } from './walk';
import type { WalkAheadData, WalkItem, WalkMessage } from './walk-worker';

const CHUNK = 512;
const AHEAD = 16;

/**
 * A walk of one archive that a thread starts at once and keeps ahead of its reader, with the
 * result of `walkArchive`, in the same order, warnings included. An unchanged re-import of 100k
 * files spends most of its time in `lstat` (0.6 s) and in loading its modules and opening the
 * database (0.4 s): started before those, the walk runs beside them and beside the reader's
 * comparison with the last import, on the other core.
 */
export class WalkAhead {
  private readonly worker: Worker | null;
  private readonly taken = new Int32Array(new SharedArrayBuffer(4));
  private readonly chunks: WalkMessage[] = [];
  private wake: (() => void) | null = null;
  private used = false;
  private closing = false;
  /** Settles once the thread has ended (at once without one). */
  readonly closed: Promise<void>;

  constructor(readonly root: string) {
    const script = path.join(__dirname, 'walk-worker.js');
    // ts-jest runs the sources, where there is no compiled worker: the reader then walks itself.
    if (!fs.existsSync(script)) {
      this.worker = null;
      this.closed = Promise.resolve();
      return;
    }
    const data: WalkAheadData = {
      root,
      taken: this.taken.buffer,
      chunk: CHUNK,
      ahead: AHEAD,
      ...importHeapWorkerData(),
    };
    this.worker = new Worker(script, { workerData: data });
    // The import's modules load next, all at once: its heap settings first (import-heap.ts).
    awaitThreadHeap(data);
    // Never what keeps the process alive: a walk nobody reads (the import failed first) is dropped.
    this.worker.unref();
    this.worker.on('message', (m: WalkMessage) => this.push(m));
    this.worker.on('error', (err) => this.push({ error: err.message }));
    this.closed = new Promise((resolve) =>
      this.worker!.on('exit', () => {
        // After its last message, or stopped: only a thread that died mid-walk is an error.
        if (!this.closing) this.push({ error: 'the walking thread exited' });
        resolve();
      }),
    );
  }

  /** Chunks the thread has posted that the reader has not taken. */
  get buffered(): number {
    return this.chunks.length;
  }

  private push(m: WalkMessage): void {
    this.chunks.push(m);
    this.wake?.();
  }

  private async next(): Promise<WalkMessage> {
    while (this.chunks.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = null;
    return this.chunks.shift()!;
  }

  /** The walk, once; a second reader walks the archive itself. */
  async *files(onWarning?: (rel: string, reason: string) => void): AsyncGenerator<ArchiveFile> {
    if (!this.worker || this.used) {
      yield* walkArchive(this.root, onWarning);
      return;
    }
    this.used = true;
    this.worker.ref();
    try {
      for (;;) {
        const m = await this.next();
        if ('end' in m) {
          this.closing = true;
          return;
        }
        if ('error' in m) throw new Error(`walking ${this.root}: ${m.error}`);
        Atomics.add(this.taken, 0, 1);
        Atomics.notify(this.taken, 0);
        for (const item of m.items) {
          if (isWarning(item)) onWarning?.(item[0], item[1]);
          else yield { rel: item[0], abs: item[1], size: item[2], mtimeMs: item[3] };
        }
      }
    } finally {
      this.close();
    }
  }

  /** Stops the thread (a walk cut short, or never read). */
  close(): void {
    if (!this.worker || this.closing) return;
    this.closing = true;
    void this.worker.terminate();
  }
}

function isWarning(item: WalkItem): item is [string, string] {
  return item.length === 2;
}

/** Walks of several archives, each started now and read by the import that walks its root. */
export class WalksAhead {
  private readonly ahead: WalkAhead[];

  constructor(roots: string[]) {
    this.ahead = [...new Set(roots.map((r) => path.resolve(r)))].map((root) => new WalkAhead(root));
  }

  readonly walk = (root: string, onWarning: (rel: string, reason: string) => void): AsyncIterable<ArchiveFile> => {
    const w = this.ahead.find((a) => a.root === root);
    return w ? w.files(onWarning) : walkArchive(root, onWarning);
  };

  close(): void {
    for (const w of this.ahead) w.close();
  }
}
