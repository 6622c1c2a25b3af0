import { Client, type Pool } from 'pg';
import { FEED_CHANNEL } from './writes/change-feed';

/** Wait before listening again after the connection dropped. */
const RECONNECT_MS = 1000;

/**
 * Calls `onChange` whenever an import commits changes to the feed on this PostgreSQL database
 * (LISTEN on FEED_CHANNEL, which the writer notifies in the batch's transaction), on a connection
 * of its own (not one of the pool's). After a drop it listens again and calls `onChange` once, for
 * whatever committed meanwhile. Returns a stop function.
 */
export function listenForFeedChanges(pool: Pool, onChange: () => void, onError?: (e: unknown) => void) {
  let stopped = false;
  let client: Client | null = null;
  let retry: NodeJS.Timeout | null = null;

  const later = () => {
    if (stopped) return;
    retry = setTimeout(() => void connect(), RECONNECT_MS);
    retry.unref();
  };
  const drop = (c: Client) => {
    if (client !== c) return;
    client = null;
    void c.end().catch(() => undefined);
    later();
  };
  const connect = async () => {
    const c = new Client(pool.options);
    c.on('notification', (n) => {
      if (n.channel === FEED_CHANNEL) onChange();
    });
    c.on('error', (e) => {
      onError?.(e);
      drop(c);
    });
    client = c;
    try {
      await c.connect();
      await c.query(`LISTEN ${FEED_CHANNEL}`);
      if (stopped) {
        await c.end();
        return;
      }
      onChange();
    } catch (e) {
      onError?.(e);
      drop(c);
    }
  };

  void connect();
  return async (): Promise<void> => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };
}
