import v8 from 'node:v8';
import { isMainThread, workerData } from 'node:worker_threads';

/**
 * An import's heap settings, for every thread of the process (V8's flags are process-wide).
 *
 * The import makes short-lived garbage (parsed records on their way to the database), so a young
 * generation of V8's default size (16 MB semi-spaces here) pays for nothing. `--max-semi-space-size`
 * bounds the heaps set up after it is set (the parser and walking threads), not the main thread's,
 * which exists before any of our code runs. That one is grown to MAIN_YOUNG_GENERATION_MB and held
 * there by a growth factor of 1 (V8 reads it at every grow; at 2 it doubles the young generation
 * whenever more than its size has survived, up to 32 MB in all within an import's first second).
 *
 * V8 puts the factor back to 2 whenever it sets up a thread's heap, so each thread an import
 * starts (given `importHeapWorkerData()`) sets it again as its first step, and the main thread
 * sets it again until the thread is known to have started (`awaitThreadHeap`, `restoreGrowthFactor`).
 *
 * And V8 sizes a heap with a 4 GB limit (this machine's default) to grow up to 4x its live data
 * between full collections: the import's threads held 110 and 40 MB heaps for 35 and 15 MB of live
 * data. A growing factor of 1.5 took the peak RSS of a 20k import from 325 to 232 MiB at the same
 * CPU time. It limits nothing: a larger live set still gets the heap it needs.
 */
export function useImportHeapSettings(): void {
  v8.setFlagsFromString('--max-semi-space-size=1');
  v8.setFlagsFromString('--heap-growing-percent=50');
  importing = true;
}

let importing = false;
let held = false;

/**
 * The main thread's young generation grown to MAIN_YOUNG_GENERATION_MB and held there, once (after
 * `useImportHeapSettings`; a walking thread's start does it while that thread starts up).
 */
export function holdYoungGeneration(): void {
  if (!importing) return;
  if (!held) growYoungGeneration();
  held = true;
  restoreGrowthFactor();
}

/**
 * The main thread's young generation, in all (two semi-spaces). At 2 MB (V8's initial) the writer's
 * batches outlive it and are promoted: a 100k import took ~10% more CPU than at 32 MB. At 8 MB it
 * takes the same CPU as at 32, and its peak RSS fell from 271 to 231 MiB.
 */
export const MAIN_YOUNG_GENERATION_MB = 8;

function youngGenerationMb(): number {
  const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return space ? space.space_size / 1024 / 1024 : Infinity;
}

/**
 * Grows the main thread's young generation to MAIN_YOUNG_GENERATION_MB now (~35 ms), before its
 * growth is stopped: V8 doubles it when more than its size has survived since it last grew, so
 * garbage kept across a few scavenges does it (bounded: 32 MB allocated at most).
 */
function growYoungGeneration(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=2');
  let kept: number[][] = [];
  for (let i = 0; i < 64 && youngGenerationMb() < MAIN_YOUNG_GENERATION_MB; i++) {
    for (let j = 0; j < 16; j++) kept.push(new Array<number>(4096).fill(0.5));
    if (kept.length >= 256) kept = [];
  }
}

/** In a thread's workerData: set when an import started it; `ready` is 1 once it set the factor. */
export interface ImportHeapData {
  importHeap: { ready: SharedArrayBuffer } | null;
}

export function importHeapWorkerData(): ImportHeapData {
  return { importHeap: importing ? { ready: new SharedArrayBuffer(4) } : null };
}

/** The main thread's growth factor set again (cheap: a flag parsed and stored). */
export function restoreGrowthFactor(): void {
  if (held) v8.setFlagsFromString('--semi-space-growth-factor=1');
}

/** Longest wait for a thread to start: past it the factor may be lost (the cost is memory, not a failure). */
const START_WAIT_MS = 250;

/**
 * Blocks until the thread has set its factor (it then exists, and its heap has reset the factor),
 * for a thread started just before work that allocates much on this one; holds the main thread's
 * young generation meanwhile (a thread takes ~60 ms to start here).
 */
export function awaitThreadHeap(data: ImportHeapData): void {
  if (!data.importHeap) return;
  holdYoungGeneration();
  Atomics.wait(new Int32Array(data.importHeap.ready), 0, 0, START_WAIT_MS);
  restoreGrowthFactor();
}

/** Whether the thread has set its factor (then nothing more resets it). */
export function threadHeapReady(data: ImportHeapData): boolean {
  return !data.importHeap || Atomics.load(new Int32Array(data.importHeap.ready), 0) === 1;
}

/**
 * In a thread started with `importHeapWorkerData()`: the factor its heap's set-up reset, set again
 * as this module loads (import it first in the thread's script, before modules that allocate).
 */
function restoreInThread(): void {
  const data = isMainThread ? null : (workerData as Partial<ImportHeapData> | null)?.importHeap;
  if (!data) return;
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  const ready = new Int32Array(data.ready);
  Atomics.store(ready, 0, 1);
  Atomics.notify(ready, 0);
}

restoreInThread();
