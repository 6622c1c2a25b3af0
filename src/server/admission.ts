import type { RequestHandler } from 'express';
import { envInt } from './env-int';

/**
 * Runs at most `concurrency` GraphQL requests at once, first come first served, and starts at most
 * one per turn of the event loop. A request's work is synchronous (SQLite) and runs to completion
 * in one turn, and Node accepts one new connection per turn: had a turn started every queued
 * request, it would last the whole queue's work and new connections would wait in the kernel's
 * accept queue for seconds (measured: 50 connections, 10 ms requests, the last accepted after 7.8 s;
 * one start per turn: all accepted in 0.5 s). A queue longer than `maxQueue` is refused at once
 * with 503, so clients can retry elsewhere instead of timing out.
 */
export function admission(concurrency: number, maxQueue: number): RequestHandler {
  let running = 0;
  const queue: (() => void)[] = [];
  let scheduled = false;
  const pump = () => {
    scheduled = false;
    if (running < concurrency && queue.length > 0) {
      running++;
      queue.shift()!();
    }
    if (running < concurrency && queue.length > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(pump);
  };
  const release = () => {
    running--;
    schedule();
  };
  return (_req, res, next) => {
    const start = () => {
      // The client gave up while queued: hand the slot on.
      if (res.destroyed) {
        release();
        return;
      }
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        release();
      };
      res.once('finish', finish);
      res.once('close', finish);
      next();
    };
    // Waiting for a slot: those queued beyond the free ones.
    if (running + queue.length < concurrency + maxQueue) {
      queue.push(start);
      schedule();
    } else {
      res
        .status(503)
        .set('Retry-After', '1')
        .json({ errors: [{ message: 'server busy: too many queued requests', extensions: { code: 'SERVER_BUSY' } }] });
    }
  };
}

/** GRAPHQL_MAX_CONCURRENCY (default 8) and GRAPHQL_MAX_QUEUE (default 1000), validated. */
export function admissionFromEnv(env: NodeJS.ProcessEnv = process.env): { concurrency: number; maxQueue: number } {
  return {
    concurrency: envInt(env, 'GRAPHQL_MAX_CONCURRENCY', 8, 1),
    maxQueue: envInt(env, 'GRAPHQL_MAX_QUEUE', 1000, 1),
  };
}
