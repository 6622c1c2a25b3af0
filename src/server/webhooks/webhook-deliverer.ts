import type { changePage } from '../../db/queries/changes';
import { advanceWebhookCursor, webhookCursor } from '../../db/queries/webhook-cursors';
import type { SqlRunner } from '../../db/sql-runner';
import { logger } from '../logger';
import { batchesOf, deliveryBody } from './deliveries';
import { sign, SIGNATURE_HEADER } from './signature';

/** What the deliverer reads of the change feed: rows after a seq, and where the feed stands (changePage). */
export type FeedReader = typeof changePage;

export interface WebhookOptions {
  urls: string[];
  /** Signs every body (NEWSGRAPH_WEBHOOK_SECRET). */
  secret: string;
  feed: FeedReader;
  /** A runner on the database that may write (the cursors); on PostgreSQL the primary. */
  runner: () => SqlRunner;
  globalId: (postId: number) => string;
  /** How often to look for new changes, ms. */
  pollMs?: number;
  /** First retry delay, doubled per failure up to maxRetryMs. */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** A receiver that has not answered within this is a failure (retried). */
  timeoutMs?: number;
}

const PAGE = 5000;
/**
 * Waits `ms`, or less if `signal` aborts. The listener goes when the wait ends either way: the
 * signal lives as long as the deliverer, and a poll every 500 ms would otherwise add 172,800 a day.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Delivers the change feed to webhooks: for each URL, one POST per import batch, in feed order,
 * the body signed (HMAC-SHA256, SIGNATURE_HEADER); a non-2xx answer, a network error or a timeout
 * is retried with back-off until it succeeds, and a batch is never skipped. The cursor moves in
 * the database only after a 2xx, so a restart goes on from the first batch not acknowledged: a
 * batch is repeated only if the process dies between a 2xx and that write, and then with the same
 * `delivery` id, for receivers to recognise. A new URL starts at the feed's head (from now on).
 */
export class WebhookDeliverer {
  private readonly stop = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(private readonly o: WebhookOptions) {}

  start(): void {
    this.loops = this.o.urls.map((url) => this.follow(url));
  }

  /** Lets each delivery in flight finish (its cursor written), then stops. */
  async close(): Promise<void> {
    this.stop.abort();
    await Promise.all(this.loops);
  }

  private async follow(url: string): Promise<void> {
    const signal = this.stop.signal;
    let failures = 0;
    let cursor: number | null = null;
    while (!signal.aborted) {
      try {
        const run = this.o.runner();
        cursor ??= await webhookCursor(run, url, (await this.o.feed(run, 0, 0)).head);
        const page = await this.o.feed(run, cursor, PAGE);
        const missed = cursor < page.prunedThrough ? { after: cursor, through: page.prunedThrough } : undefined;
        if (missed) logger.error({ webhook: url, ...missed }, 'changes expired before they could be delivered');
        if (page.rows.length === 0) {
          if (missed) await advanceWebhookCursor(this.o.runner(), url, (cursor = page.prunedThrough), Date.now());
          await sleep(this.o.pollMs ?? 500, signal);
          continue;
        }
        for (const [i, rows] of batchesOf(page.rows).entries()) {
          if (signal.aborted) return;
          const body = deliveryBody(page.feedId, rows, this.o.globalId, i === 0 ? missed : undefined);
          await this.post(url, body.delivery, JSON.stringify(body));
          await advanceWebhookCursor(this.o.runner(), url, (cursor = body.to), Date.now());
          failures = 0;
        }
      } catch (e) {
        const delay = Math.min((this.o.firstRetryMs ?? 1000) * 2 ** failures, this.o.maxRetryMs ?? 300_000);
        failures++;
        logger.warn({ webhook: url, err: (e as Error).message, retryInMs: delay }, 'webhook delivery failed');
        await sleep(delay, signal);
      }
    }
  }

  private async post(url: string, delivery: string, body: string): Promise<void> {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'newsgraph-webhook',
        [SIGNATURE_HEADER]: sign(body, this.o.secret),
        'x-newsgraph-delivery': delivery,
      },
      body,
      signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status > 299) throw new Error(`${url} answered ${res.status}`);
  }
}
