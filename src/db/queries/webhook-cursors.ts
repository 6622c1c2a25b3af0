import type { SqlRunner } from '../sql-runner';

/** A webhook's cursor: the last seq its receiver acknowledged; created at `head` when first seen. */
export async function webhookCursor(run: SqlRunner, url: string, head: number): Promise<number> {
  const [row] = await run.all<{ seq: number | string }>(
    `INSERT INTO webhook_cursor (url, seq) VALUES (?, ?)
     ON CONFLICT (url) DO UPDATE SET url = excluded.url RETURNING seq`,
    [url, head],
  );
  return Number(row.seq);
}

/** Moves a webhook's cursor to `seq` once its receiver acknowledged the changes up to it. */
export async function advanceWebhookCursor(run: SqlRunner, url: string, seq: number, atMs: number): Promise<void> {
  await run.all(`UPDATE webhook_cursor SET seq = ?, delivered_ms = ? WHERE url = ? RETURNING url`, [seq, atMs, url]);
}
