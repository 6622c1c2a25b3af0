import type { ChangeRow } from '../../db/queries/changes';

/** The JSON body of one delivery. */
export interface DeliveryBody {
  /** The feed's id and the first and last seq: the same on every retry (receivers may dedupe on it). */
  delivery: string;
  from: number;
  to: number;
  changes: { seq: number; kind: string; id: string; url: string; at: string }[];
  /** Changes that expired before they could be delivered (retention), when any did. */
  missed?: { after: number; through: number };
}

/** Changes a delivery carries at most. */
export const MAX_CHANGES_PER_DELIVERY = 1000;

/**
 * Cuts the feed's rows into deliveries, one per import batch: a batch's changes share their
 * commit time (`atMs`), so a delivery is a run of rows with one `atMs`, cut at
 * MAX_CHANGES_PER_DELIVERY. Rows must be in seq order.
 */
export function batchesOf(rows: readonly ChangeRow[], max = MAX_CHANGES_PER_DELIVERY): ChangeRow[][] {
  const out: ChangeRow[][] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && last[0].atMs === r.atMs && last.length < max) last.push(r);
    else out.push([r]);
  }
  return out;
}

export function deliveryBody(
  feedId: number,
  rows: readonly ChangeRow[],
  globalId: (postId: number) => string,
  missed?: DeliveryBody['missed'],
): DeliveryBody {
  const from = rows[0].seq;
  const to = rows[rows.length - 1].seq;
  return {
    delivery: `${feedId}:${from}-${to}`,
    from,
    to,
    changes: rows.map((r) => ({
      seq: r.seq,
      kind: r.kind,
      id: globalId(r.postId),
      url: r.url,
      at: new Date(r.atMs).toISOString(),
    })),
    ...(missed ? { missed } : {}),
  };
}
