/** `npm run bench -- [flags]`: the options of a benchmark run. */

export interface BenchOptions {
  /** Posts in the main run (import + queries + floor). */
  posts: number;
  /** --posts was given (the soak picks its own default otherwise). */
  postsGiven: boolean;
  /** Post counts for the growth series (front page only); empty: no growth series. */
  growth: number[];
  seed: number;
  /** Seconds of measured load per query. */
  duration: number;
  /** Seconds of unmeasured load before each measurement. */
  warmup: number;
  /** Seconds of unmeasured load a server gets once, after its start, before its first measurement (warm.ts). */
  serverWarmup: number;
  /** Rounds of every page with the cache off, the ceiling after our front page in each; the targets read the medians (rounds.ts). */
  rounds: number;
  connections: number;
  /** Result name: bench/results/<out>.json. */
  out: string;
  /** --out was given (the soak and the PostgreSQL comparison name their results otherwise). */
  outGiven: boolean;
  /** Where generated archives and imported databases are kept between runs. */
  cache: string;
  /** Skip the import measurement and reuse the cached database (query-only rerun). */
  noImport: boolean;
  quick: boolean;
  /** Run only the soak (bench/soak.ts). */
  soak: boolean;
  soakSeconds: number;
  soakConnections: number;
  /** Run only the PostGraphile comparison (pg-compare.ts) over this PostgreSQL URL. */
  postgres?: string;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [--posts N] [--growth N,N,...|none] [--duration S] [--warmup S]
                       [--server-warmup S] [--rounds N] [--connections C] [--seed S] [--out NAME]
                       [--cache DIR]
                       [--no-import] [--quick]
       npm run bench -- --soak [--posts N] [--soak-seconds S] [--soak-connections C]
       npm run bench -- --postgres URL [--duration S] [--warmup S] [--connections C]
  --posts N        posts in the main run (default 100000)
  --growth LIST    post counts for the front-page growth series (default 10000,100000; 1M is opt-in:
                   --growth 10000,100000,1000000 imports ~1M posts once, then reuses the cached database)
  --duration S     seconds of measured load per query (default 10)
  --warmup S       seconds of unmeasured load first (default 2)
  --server-warmup S
                   seconds of unmeasured load a server gets after it starts, before its first page
                   is measured, over bodies the measurements do not send (default 10)
  --rounds N       rounds of every page with the response cache off (the in-memory ceiling right
                   after our front page, on the same bodies); the targets read the medians (default 3)
  --connections C  concurrent connections (default 20)
  --seed S         archive seed (default 1)
  --out NAME       write bench/results/NAME.json (default: posts-<N>, or quick; with --soak
                   soak-<N>, with --postgres pg-compare-<N>)
  --cache DIR      generated archives and databases (default bench/.cache)
  --no-import      reuse the cached database of --posts; do not measure the import
  --quick          smoke run: 2,000 posts, growth 1000,2000, 3 s per load test, 1 s warm-up,
                   2 s server warm-up, 1 round
  --soak           only a soak: mixed front/stock/search/post queries for --soak-seconds (default 60)
                   at --soak-connections (default 50), sampling the server's RSS every second;
                   database: --posts N, else the cached 100k one, else 10k. Writes
                   bench/results/soak-<posts>.json (or --out); exits 1 on any error, non-2xx or bad body
  --postgres URL   only newsgraph vs PostGraphile 4 (front and stock pages) over a PostgreSQL database
                   already imported with \`newsgraph import DIR --db URL\`; needs
                   \`npm --prefix bench/postgraphile ci\` once. Writes bench/results/pg-compare-<posts>.json (or --out)`;

export class ArgError extends Error {}

function int(name: string, raw: string, min: number): number {
  const n = Number(raw.replace(/_/g, ''));
  if (!/^\d[\d_]*$/.test(raw) || !Number.isSafeInteger(n) || n < min)
    throw new ArgError(`${name} must be an integer >= ${min} (got "${raw}")`);
  return n;
}

function num(name: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new ArgError(`${name} must be a number >= ${min} (got "${raw}")`);
  return n;
}

const VALUED = new Set([
  '--posts',
  '--growth',
  '--duration',
  '--warmup',
  '--server-warmup',
  '--rounds',
  '--connections',
  '--seed',
  '--out',
  '--cache',
  '--soak-seconds',
  '--soak-connections',
  '--postgres',
]);

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const v = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^(--[a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new ArgError(`unexpected argument "${argv[i]}"`);
    const name = m[1];
    if (name === '--help' || name === '-h' || name === '--quick' || name === '--no-import' || name === '--soak') {
      flags.add(name);
      continue;
    }
    if (!VALUED.has(name)) throw new ArgError(`unknown flag ${name}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new ArgError(`${name} needs a value`);
    v.set(name, value);
  }
  const quick = flags.has('--quick');
  const posts = v.has('--posts') ? int('--posts', v.get('--posts')!, 100) : quick ? 2000 : 100000;
  const growthRaw = v.get('--growth') ?? (quick ? '1000,2000' : '10000,100000');
  const growth =
    growthRaw === 'none' || growthRaw === '' ? [] : growthRaw.split(',').map((s) => int('--growth', s.trim(), 100));
  const soak = flags.has('--soak');
  if (soak && v.has('--postgres')) throw new ArgError('--postgres and --soak are separate runs');
  if (!soak && (v.has('--soak-seconds') || v.has('--soak-connections')))
    throw new ArgError('--soak-seconds and --soak-connections need --soak');
  return {
    posts,
    postsGiven: v.has('--posts'),
    growth: [...new Set(growth)].sort((a, b) => a - b),
    seed: v.has('--seed') ? int('--seed', v.get('--seed')!, 0) : 1,
    duration: v.has('--duration') ? num('--duration', v.get('--duration')!, 1) : quick ? 3 : 10,
    warmup: v.has('--warmup') ? num('--warmup', v.get('--warmup')!, 0) : quick ? 1 : 2,
    serverWarmup: v.has('--server-warmup') ? num('--server-warmup', v.get('--server-warmup')!, 0) : quick ? 2 : 10,
    rounds: v.has('--rounds') ? int('--rounds', v.get('--rounds')!, 1) : quick ? 1 : 3,
    connections: v.has('--connections') ? int('--connections', v.get('--connections')!, 1) : 20,
    out: sanitizeName(v.get('--out') ?? (quick ? 'quick' : `posts-${posts}`)),
    outGiven: v.has('--out'),
    cache: v.get('--cache') ?? 'bench/.cache',
    noImport: flags.has('--no-import'),
    quick,
    soak,
    soakSeconds: v.has('--soak-seconds') ? num('--soak-seconds', v.get('--soak-seconds')!, 1) : 60,
    soakConnections: v.has('--soak-connections') ? int('--soak-connections', v.get('--soak-connections')!, 1) : 50,
    postgres: v.get('--postgres'),
    help: flags.has('--help') || flags.has('-h'),
  };
}

function sanitizeName(name: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.'))
    throw new ArgError(`--out must be a plain file name (got "${name}")`);
  return name.replace(/\.json$/, '');
}

/** A run's result name: --out when given, else the run's own (`soak-<N>`, `pg-compare-<N>`). */
export function resultName(o: Pick<BenchOptions, 'out' | 'outGiven'>, fallback: string): string {
  return o.outGiven ? o.out : fallback;
}
