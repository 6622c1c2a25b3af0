import { badInput } from '../errors';
import { Interval } from '../types/enums';

const DAY = 86400000;
/** A timeline longer than this is a mistake (a DAY timeline over decades), not a chart. */
export const MAX_BUCKETS = 5000;

/** Start (UTC) of the bucket that holds `ms`; weeks start on Monday. */
export function bucketStart(interval: Interval, ms: number): number {
  const d = new Date(Math.floor(ms / DAY) * DAY);
  if (interval === Interval.DAY) return d.getTime();
  if (interval === Interval.WEEK) return d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function next(interval: Interval, start: number): number {
  if (interval === Interval.DAY) return start + DAY;
  if (interval === Interval.WEEK) return start + 7 * DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Every bucket from `start` through the one holding `end`, with the daily counts summed in. */
export function fillBuckets(
  interval: Interval,
  start: number,
  end: number,
  days: { day: number; n: number }[],
): { start: number; count: number }[] {
  const buckets: { start: number; count: number }[] = [];
  for (let s = start; s <= end; s = next(interval, s)) {
    if (buckets.length >= MAX_BUCKETS)
      throw badInput(
        `the timeline would have more than ${MAX_BUCKETS} buckets: narrow \`from\`/\`to\` or use a larger interval`,
      );
    buckets.push({ start: s, count: 0 });
  }
  let i = 0;
  for (const { day, n } of days) {
    const ms = day * DAY;
    while (i + 1 < buckets.length && buckets[i + 1].start <= ms) i++;
    if (buckets.length && ms >= buckets[i].start && ms <= end) buckets[i].count += n;
  }
  return buckets;
}
