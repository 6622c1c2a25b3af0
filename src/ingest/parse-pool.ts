import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { importHeapWorkerData, restoreGrowthFactor, threadHeapReady, type ImportHeapData } from './import-heap';
import type { ParseJob, ParseResult } from './parse-worker';

/**
 * The parser, loaded on the first file parsed on this thread: an import that finds every file
 * unchanged never loads markdown-it, htmlparser2 and the rest (~0.1 s of its start).
 */
function runJob(job: ParseJob): ParseResult {
  return parser().runJob(job);
}

function parser(): typeof import('./parse-worker') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./parse-worker') as typeof import('./parse-worker');
}

/**
 * Loads the parser now: a watcher does it once its first import is done, so that the first batch
 * of changes does not wait for markdown-it, htmlparser2 and the rest to load (~0.15 s).
 */
export function loadParser(): void {
  parser();
}

/** Jobs per message: amortises structured-clone and wake-up costs. */
const CHUNK = 32;
/**
 * Jobs parsed on the calling thread before the threads take over: a watch batch or a small import
 * (a hundred posts at ~1 ms each) costs less than starting threads that load the parser (~0.3 s
 * of CPU each), which every batch used to pay. A large import hardly notices.
 */
export const INLINE_FIRST = 256;
/**
 * The threads start once this many jobs came, and load the parser while the calling thread parses
 * the rest of the inline ones: the import does not stand waiting for them (with threads started at
 * the first job past INLINE_FIRST, a 100-post import into 100k waited ~0.3 s for them).
 */
export const START_THREADS_AT = INLINE_FIRST / 2;

/**
 * Parses files on worker threads (one per core) and hands results back in submission order, so the
 * writer sees the same sequence as a single-threaded run. Falls back to the calling thread when
 * asked for no workers or when the compiled worker is not available (ts-jest runs the sources).
 */
/**
 * Young generation of each parser thread. V8's default (16 MB semi-spaces here) lets every thread
 * grow ~50 MB of short-lived garbage before a scavenge; parsing makes only short-lived garbage, so
 * a small one costs no measurable CPU and keeps the import's RSS down (100k posts: peak RSS 431 ->
 * 369 MiB in the same 103 s). The writer's own is held at 8 MB (import-heap.ts).
 */
export const PARSER_YOUNG_GENERATION_MB = 3;

export class ParsePool {
  private readonly workers: Worker[] = [];
  private readonly pending: ParseJob[] = [];
  private readonly done = new Map<number, ParseResult>();
  private inFlight = 0;
  private turn = 0;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  /** Per worker, the seqs of each chunk posted and not answered yet (a worker answers in order). */
  private readonly outstanding = new Map<Worker, number[][]>();
  private closing = false;
  private submitted = 0;
  /** Threads started that have not yet set the import's heap settings again (import-heap.ts). */
  private heapPending: ImportHeapData[] = [];

  /** Threads to start on first use: a re-import of unchanged files never pays for them. */
  private readonly size: number;
  private readonly script: string;

  constructor(workers = Math.max(1, Math.min(4, os.availableParallelism()))) {
    this.script = path.join(__dirname, 'parse-worker.js');
    this.size = workers > 0 && fs.existsSync(this.script) ? workers : 0;
  }

  private start(): void {
    const script = this.script;
    for (let i = 0; i < this.size; i++) {
      const heap = importHeapWorkerData();
      this.heapPending.push(heap);
      const w = new Worker(script, {
        workerData: heap,
        resourceLimits: { maxYoungGenerationSizeMb: PARSER_YOUNG_GENERATION_MB },
      });
      this.outstanding.set(w, []);
      w.on('message', (results: ParseResult[]) => {
        this.outstanding.get(w)!.shift();
        this.inFlight -= results.length;
        for (const r of results) this.done.set(r.seq, r);
        this.wake?.();
      });
      // A reply that cannot be deserialized on this thread (e.g. data nested deeper than this
      // thread's stack allows) used to be dropped silently, and take() then waited forever. The
      // chunk's files now fail with the reason instead.
      w.on('messageerror', (err) => {
        const seqs = this.outstanding.get(w)!.shift() ?? [];
        this.inFlight -= seqs.length;
        for (const seq of seqs)
          this.done.set(seq, {
            seq,
            error: `parse result could not be passed back from the parser thread: ${err.message}`,
          });
        this.wake?.();
      });
      w.on('error', (err) => {
        this.failure = err;
        this.wake?.();
      });
      // A worker that exits while it still owes results would also leave take() waiting forever.
      w.on('exit', (code) => {
        if (this.closing || this.outstanding.get(w)!.length === 0) return;
        this.failure ??= new Error(`parser thread exited (code ${code}) with files still being parsed`);
        this.wake?.();
      });
      this.workers.push(w);
    }
  }

  get threaded(): boolean {
    return this.size > 0;
  }

  /** Number of jobs submitted and not yet taken. */
  get backlog(): number {
    return this.pending.length + this.inFlight + this.done.size;
  }

  /** Whether parser threads run (for tests: a small batch never starts them). */
  get threadsStarted(): boolean {
    return this.workers.length > 0;
  }

  /**
   * While threads start, each resets V8's growth factor as its heap is set up; the calling thread
   * sets it again between its jobs until every thread has (not blocking: it parses meanwhile).
   */
  private settleThreadHeaps(): void {
    if (this.heapPending.length === 0) return;
    restoreGrowthFactor();
    this.heapPending = this.heapPending.filter((h) => !threadHeapReady(h));
  }

  submit(job: Omit<ParseJob, 'seq'>, seq: number): void {
    const full = { ...job, seq };
    if (this.threaded && this.submitted === START_THREADS_AT && this.workers.length === 0) this.start();
    this.settleThreadHeaps();
    if (!this.threaded || this.submitted++ < INLINE_FIRST) {
      this.done.set(seq, runJob(full));
      return;
    }
    this.pending.push(full);
    if (this.pending.length >= CHUNK) this.dispatch();
  }

  private dispatch(): void {
    if (this.pending.length === 0) return;
    if (this.workers.length === 0) this.start();
    const chunk = this.pending.splice(0, this.pending.length);
    this.inFlight += chunk.length;
    const w = this.workers[this.turn++ % this.workers.length];
    this.outstanding.get(w)!.push(chunk.map((j) => j.seq));
    w.postMessage(chunk);
  }

  /** The result for `seq`, waiting for the workers if needed. */
  async take(seq: number): Promise<ParseResult> {
    for (;;) {
      this.settleThreadHeaps();
      if (this.failure) throw this.failure;
      const r = this.done.get(seq);
      if (r) {
        this.done.delete(seq);
        return r;
      }
      this.dispatch();
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
