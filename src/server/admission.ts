import type { RequestHandler } from 'express';
import { envInt } from '../config/env-int';

/**
 * Slots for GraphQL executions, one set for the whole process: HTTP requests (`admission`) and
 * WebSocket queries (subscriptions.ts) wait for the same ones, so opening sockets is no way around
 * the cap. At most `concurrency` run at once, first come first served, and at most one starts per
 * turn of the event loop. A request's work is synchronous (SQLite) and runs to completion in one
 * turn, and Node accepts one new connection per turn: had a turn started every queued request, it
 * would last the whole queue's work and new connections would wait in the kernel's accept queue
 * for seconds (measured: 50 connections, 10 ms requests, the last accepted after 7.8 s; one start
 * per turn: all accepted in 0.5 s). Beyond `maxQueue` waiting, work is refused at once, so
 * clients can retry elsewhere instead of timing out.
 */
export class AdmissionGate {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private scheduled = false;

  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
  ) {}

  /**
   * Queues `start` for a slot, or returns false (nothing queued) when the queue is full. `start`
   * gets the slot's release, which frees it the first time it is called.
   */
  enter(start: (release: () => void) => void): boolean {
    if (this.running + this.queue.length >= this.concurrency + this.maxQueue) return false;
    this.queue.push(() => {
      let done = false;
      start(() => {
        if (done) return;
        done = true;
        this.running--;
        this.schedule();
      });
    });
    this.schedule();
    return true;
  }

  /** `work()` in a slot, released when it settles; `busy()` instead when the queue is full. */
  run<T>(work: () => T | Promise<T>, busy: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const queued = this.enter((release) => {
        // A synchronous throw becomes a rejection: either way the slot is given back.
        new Promise<T>((settle) => settle(work())).then(resolve, reject).finally(release);
      });
      if (!queued) resolve(busy());
    });
  }

  private readonly pump = () => {
    this.scheduled = false;
    if (this.running < this.concurrency && this.queue.length > 0) {
      this.running++;
      this.queue.shift()!();
    }
    if (this.running < this.concurrency && this.queue.length > 0) this.schedule();
  };

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.pump);
  }
}

export const SERVER_BUSY = { message: 'server busy: too many queued requests', code: 'SERVER_BUSY' } as const;

/** HTTP requests through `gate`: a slot each until the response has gone; 503 when the queue is full. */
export function admission(gate: AdmissionGate): RequestHandler {
  return (_req, res, next) => {
    const queued = gate.enter((release) => {
      // The client gave up while queued: hand the slot on.
      if (res.destroyed) {
        release();
        return;
      }
      res.once('finish', release);
      res.once('close', release);
      next();
    });
    if (!queued)
      res
        .status(503)
        .set('Retry-After', '1')
        .json({ errors: [{ message: SERVER_BUSY.message, extensions: { code: SERVER_BUSY.code } }] });
  };
}

/** GRAPHQL_MAX_CONCURRENCY (default 8) and GRAPHQL_MAX_QUEUE (default 1000), validated. */
export function admissionFromEnv(env: NodeJS.ProcessEnv = process.env): { concurrency: number; maxQueue: number } {
  return {
    concurrency: envInt(env, 'GRAPHQL_MAX_CONCURRENCY', 8, 1),
    maxQueue: envInt(env, 'GRAPHQL_MAX_QUEUE', 1000, 1),
  };
}
