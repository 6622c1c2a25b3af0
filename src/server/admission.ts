import type { RequestHandler } from 'express';

/**
 * Runs at most `concurrency` GraphQL requests at once and queues the rest first come, first served.
 * Without it an overloaded server interleaves every request's many async steps, so under a burst
 * some requests starve for tens of seconds while newer ones finish; with it, the wait is bounded by
 * the queue ahead. A queue longer than `maxQueue` is refused at once with 503, so clients can retry
 * elsewhere instead of timing out.
 */
export function admission(concurrency: number, maxQueue: number): RequestHandler {
  let running = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else running--;
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
    if (running < concurrency) {
      running++;
      start();
    } else if (queue.length < maxQueue) {
      queue.push(start);
    } else {
      res.status(503).set('Retry-After', '1').json({ errors: [{ message: 'server busy: too many queued requests', extensions: { code: 'SERVER_BUSY' } }] });
    }
  };
}

/** GRAPHQL_MAX_CONCURRENCY (default 8) and GRAPHQL_MAX_QUEUE (default 1000), validated. */
export function admissionFromEnv(env: NodeJS.ProcessEnv = process.env): { concurrency: number; maxQueue: number } {
  const read = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name}=${raw}: expected a positive integer`);
    return n;
  };
  return { concurrency: read('GRAPHQL_MAX_CONCURRENCY', 8), maxQueue: read('GRAPHQL_MAX_QUEUE', 1000) };
}
