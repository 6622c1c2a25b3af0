import type { LoadResult } from '../../bench/load';
import type { BenchResult, QueryResult } from '../../bench/table';

/** A load test's result with the given figures and quiet defaults for the rest. */
export const loadResult = (
  reqPerSec: number,
  p50Ms: number,
  p99Ms: number,
  more: { serialP50?: number; serverCpuMsPerReq?: number } = {},
): LoadResult => {
  const serialP50 = more.serialP50 ?? 2;
  return {
    reqPerSec,
    p50Ms,
    p99Ms,
    requests: 1000,
    errors: 0,
    non2xx: 0,
    badBodies: 0,
    bytesPerReq: 1000,
    serverCpuMsPerReq: more.serverCpuMsPerReq ?? 2,
    serverCores: 1,
    loadGenCores: 0.1,
    otherCores: 0,
    serial: { requests: 15, p50Ms: serialP50, p99Ms: serialP50, meanMs: serialP50 },
    bodies: { distinct: 2000, sent: 1000 },
  };
};

/** A bench result of these query rows (no import, floor or growth unless given). */
export const benchResult = (queries: QueryResult[], more: Partial<BenchResult> = {}): BenchResult => ({
  name: 't',
  date: '',
  options: { posts: 0, growth: [], seed: 1, duration: 1, warmup: 1, connections: 20, quick: false, noImport: true },
  machine: {} as BenchResult['machine'],
  import: null,
  queries,
  floor: null,
  growth: [],
  growthP50Ratio: null,
  targets: [],
  ...more,
});
