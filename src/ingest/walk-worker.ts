// Worker thread: walks one archive (folder listings and an lstat a file) ahead of the importer and
// posts what it finds in chunks, in walk order. See walk-ahead.ts.
// First: sets the import's heap settings again once this thread's heap exists (import-heap.ts).
import './import-heap';
import type { ImportHeapData } from './import-heap';
import { parentPort, workerData } from 'node:worker_threads';
import { walkArchiveSync } from './walk';

export interface WalkAheadData extends ImportHeapData {
  root: string;
  /** Int32Array over it: [0] chunks the importer has taken. */
  taken: SharedArrayBuffer;
  chunk: number;
  /** Chunks posted and not taken before the walk waits. */
  ahead: number;
}

/** A file: rel, abs, size, mtimeMs. A warning: rel, reason. */
export type WalkItem = [string, string, number, number] | [string, string];

export type WalkMessage = { items: WalkItem[] } | { end: true } | { error: string };

function walk(port: NonNullable<typeof parentPort>, data: WalkAheadData): void {
  const taken = new Int32Array(data.taken);
  let posted = 0;
  let items: WalkItem[] = [];
  const post = () => {
    port.postMessage({ items } satisfies WalkMessage);
    items = [];
    posted++;
    // Bounded: a walk of a million files must not sit in the importer's memory.
    for (let t = Atomics.load(taken, 0); posted - t >= data.ahead; t = Atomics.load(taken, 0))
      Atomics.wait(taken, 0, t, 100);
  };
  try {
    for (const f of walkArchiveSync(data.root, (rel, reason) => items.push([rel, reason]))) {
      items.push([f.rel, f.abs, f.size, f.mtimeMs]);
      if (items.length >= data.chunk) post();
    }
    if (items.length > 0) post();
    port.postMessage({ end: true } satisfies WalkMessage);
  } catch (err) {
    port.postMessage({ error: (err as Error).message } satisfies WalkMessage);
  }
}

if (parentPort) walk(parentPort, workerData as WalkAheadData);
