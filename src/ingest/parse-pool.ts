import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ParseJob, ParseResult, runJob } from './parse-worker';

/** Jobs per message: amortises structured-clone and wake-up costs. */
const CHUNK = 32;

/**
 * Parses files on worker threads (one per core) and hands results back in submission order, so the
 * writer sees the same sequence as a single-threaded run. Falls back to the calling thread when
 * asked for no workers or when the compiled worker is not available (ts-jest runs the sources).
 */
export class ParsePool {
  private readonly workers: Worker[] = [];
  private readonly pending: ParseJob[] = [];
  private readonly done = new Map<number, ParseResult>();
  private inFlight = 0;
  private turn = 0;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(workers = Math.max(1, Math.min(4, os.availableParallelism()))) {
    const script = path.join(__dirname, 'parse-worker.js');
    if (workers <= 0 || !fs.existsSync(script)) return;
    for (let i = 0; i < workers; i++) {
      const w = new Worker(script);
      w.on('message', (results: ParseResult[]) => {
        this.inFlight -= results.length;
        for (const r of results) this.done.set(r.seq, r);
        this.wake?.();
      });
      w.on('error', (err) => {
        this.failure = err;
        this.wake?.();
      });
      this.workers.push(w);
    }
  }

  get threaded(): boolean {
    return this.workers.length > 0;
  }

  /** Number of jobs submitted and not yet taken. */
  get backlog(): number {
    return this.pending.length + this.inFlight + this.done.size;
  }

  submit(job: Omit<ParseJob, 'seq'>, seq: number): void {
    const full = { ...job, seq };
    if (!this.threaded) {
      this.done.set(seq, runJob(full));
      return;
    }
    this.pending.push(full);
    if (this.pending.length >= CHUNK) this.dispatch();
  }

  private dispatch(): void {
    if (this.pending.length === 0) return;
    const chunk = this.pending.splice(0, this.pending.length);
    this.inFlight += chunk.length;
    this.workers[this.turn++ % this.workers.length].postMessage(chunk);
  }

  /** The result for `seq`, waiting for the workers if needed. */
  async take(seq: number): Promise<ParseResult> {
    for (;;) {
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
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
