/**
 * Rounds of every page with the response cache off, and of the in-memory ceiling right after our
 * front page on the same bodies. One 10 s row moves by a quarter to a third between runs on a
 * 2-core VM (docs/performance.md, eighteenth and nineteenth sessions), more than the gaps #12's
 * targets are judged by: the targets read each page's median over rounds, and the ceiling ratio's
 * median over ratios taken within each round.
 */
import type { LoadResult } from './load';

/** What a round keeps of one load test. */
export interface RoundLoad {
  reqPerSec: number;
  p99Ms: number;
  serverCpuMsPerReq: number | null;
}

export interface FrontRound {
  ours: RoundLoad;
  ceiling: RoundLoad;
}

/** The medians over rounds, and each round's ratio (ours over the ceiling's req/s). */
export interface RoundsSummary {
  rounds: number;
  ours: RoundLoad;
  ceiling: RoundLoad;
  /** Median of the rounds' ratios, ours over the ceiling's req/s. */
  ratio: number;
  /** Median of the rounds' ceiling CPU per request over ours (null if a round had none). */
  cpuRatio: number | null;
  /** Each round's req/s ratio, in order. */
  ratios: number[];
}

export const roundLoad = (l: LoadResult): RoundLoad => ({
  reqPerSec: l.reqPerSec,
  p99Ms: l.p99Ms,
  serverCpuMsPerReq: l.serverCpuMsPerReq,
});

/** The median (the mean of the middle two for an even count); NaN for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Round `k`'s bodies (of `n`): the list turned to start `k/n` of the way along it, so each round
 * goes on through bodies the earlier rounds have not sent (while the list is long enough).
 */
export function roundBodies<T>(list: readonly T[], k: number, n: number): T[] {
  const at = Math.floor((list.length * k) / n);
  return [...list.slice(at), ...list.slice(0, at)];
}

/** Each figure's median over the rounds (CPU only where every round has it). */
export const medianLoad = (loads: readonly RoundLoad[]): RoundLoad => {
  const cpu = loads.map((l) => l.serverCpuMsPerReq);
  return {
    reqPerSec: median(loads.map((l) => l.reqPerSec)),
    p99Ms: median(loads.map((l) => l.p99Ms)),
    serverCpuMsPerReq: cpu.every((c) => c !== null) ? median(cpu) : null,
  };
};

export function summarizeRounds(rounds: readonly FrontRound[]): RoundsSummary {
  if (rounds.length === 0) throw new Error('no rounds to summarize');
  const ratios = rounds.map((r) => r.ours.reqPerSec / r.ceiling.reqPerSec);
  const cpu = rounds.map((r) =>
    r.ours.serverCpuMsPerReq && r.ceiling.serverCpuMsPerReq !== null
      ? r.ceiling.serverCpuMsPerReq / r.ours.serverCpuMsPerReq
      : null,
  );
  return {
    rounds: rounds.length,
    ours: medianLoad(rounds.map((r) => r.ours)),
    ceiling: medianLoad(rounds.map((r) => r.ceiling)),
    ratio: median(ratios),
    cpuRatio: cpu.every((c) => c !== null) ? median(cpu) : null,
    ratios,
  };
}
