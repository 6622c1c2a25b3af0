/**
 * A server's warm-up before its first measurement. A server just started is still compiling its hot
 * paths: over the first seconds of load the front page's CPU a request falls by about a third
 * (docs/performance.md, eighteenth session), so a page measured two seconds after the start showed
 * the start, not the server. The in-memory ceiling goes the other way (its large heap's first
 * major collections come later), so both are warmed alike before either is measured.
 */
import type { BenchRequest } from './queries';
import { run } from './load';

/** Bodies per page in the warm-up: from the end of each list, which the measurements do not reach. */
const TAIL = 1500;

/**
 * The pages' bodies interleaved (one of each page in turn), each page's taken from the end of its
 * list, newest last, at most a quarter of a list: the measurements start at its beginning.
 */
export function warmupBodies(requests: readonly Pick<BenchRequest, 'bodies'>[]): string[] {
  const tails = requests.map((r) =>
    r.bodies.slice(r.bodies.length - Math.min(TAIL, Math.floor(r.bodies.length / 4))).reverse(),
  );
  const out: string[] = [];
  const longest = Math.max(0, ...tails.map((t) => t.length));
  for (let i = 0; i < longest; i++) for (const t of tails) if (i < t.length) out.push(t[i]);
  return out;
}

/**
 * `seconds` of unmeasured load over `requests`' tail bodies (a mix of pages where several are
 * given), logged as the warm-up of `what`, then nothing: the first measurement's own `--warmup`
 * follows as before.
 */
export async function warmServer(
  url: string,
  requests: readonly Pick<BenchRequest, 'bodies'>[],
  seconds: number,
  connections: number,
  what: string,
): Promise<void> {
  const bodies = warmupBodies(requests);
  if (seconds <= 0 || bodies.length === 0) return;
  process.stderr.write(`bench: ${what}: ${seconds} s of warm-up over bodies not measured …\n`);
  await run({ url, bodies, connections, duration: seconds, warmup: 0 }, seconds);
}
