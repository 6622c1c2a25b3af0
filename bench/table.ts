/** The result file's shape, the issue's targets, and the printed table. */
import type { BenchOptions } from './args';
import type { ImportChildResult } from './import-child';
import type { Preload } from './children';
import type { LoadResult } from './load';
import { medianLoad, type FrontRound, type RoundLoad, type RoundsSummary } from './rounds';
import type { PageSizeCount } from './statements';
import type { WorkersPoint } from './workers';

export interface Machine {
  nproc: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  sqlite: string;
  os: string;
  /** The code measured: HEAD and whether the work tree had uncommitted changes. */
  git: { commit: string; dirty: boolean } | null;
}

export interface ImportResult {
  posts: number;
  parse: ImportChildResult;
  import: ImportChildResult;
  reimport: ImportChildResult;
  postsPerSec: number;
  parsePostsPerSec: number;
  /** import posts/s over parse-floor posts/s (the floor runs parseFile on one thread). */
  ratioToParse: number;
  /** The same ratio per CPU-second (both sides' CPU of all threads): independent of cores and noise. */
  ratioToParseCpu: number;
  peakRssMiB: number;
  reimportSeconds: number;
  dbBytesPerPost: number;
}

export interface QueryResult {
  name: string;
  label: string;
  detail: string;
  /** SQL statements of one request (the first body) with the names it shows in the server's memory. */
  statements: number;
  /** The same right after an import commit (the names read too); absent in results of older builds. */
  coldStatements?: number;
  /** The same at page sizes 5, 20 and 50 (BenchRequest.sizes): the count should not depend on the page size. */
  statementsByPageSize?: PageSizeCount[];
  /** At the sizes that may compute live (BenchRequest.liveSizes): equal to one another. */
  statementsLive?: PageSizeCount[];
  /** The server as shipped: a body sent again is answered from the whole-response cache. */
  load: LoadResult;
  /** The same load with the response cache off (GRAPHQL_RESPONSE_CACHE_MB=0), measured first: every request executes. */
  uncached: LoadResult | null;
  /** With `--rounds` > 1: every round's load with the response cache off (the first is `uncached`); the targets read the medians. */
  uncachedRounds?: RoundLoad[];
}

/** Statements per request, and after an import commit where that reads more (the names). */
const statementCell = (q: QueryResult) =>
  q.coldStatements !== undefined && q.coldStatements !== q.statements
    ? `${q.statements} (${q.coldStatements} after an import)`
    : String(q.statements);

export interface FloorResult {
  statements: number;
  /** The floor's JSON equals the GraphQL response's data, deeply. */
  identical: boolean;
  load: LoadResult;
  /** Our front-page req/s with the response cache off over the floor's (both compute every response). */
  ratio: number;
  /** The same with the response cache on. */
  cachedRatio?: number;
}

/** The in-memory Apollo + type-graphql front page (ceiling-server.ts), loaded right after ours. */
export interface CeilingResult {
  /** Its JSON equals our server's (response cache off), deeply, for each of `checked` bodies. */
  identical: boolean;
  checked: number;
  preload: Preload;
  load: LoadResult;
  /** Our front-page req/s with the response cache off over the ceiling's (both execute every request). */
  ratio: number;
  /** Our front page as shipped over the ceiling's. */
  cachedRatio: number;
  /** The ceiling's server CPU per request over ours (cache off): the same ratio, less exposed to other load. */
  cpuRatio: number | null;
  /** Our front page (cache off) and the ceiling, round by round (the first: the rows above); absent before 2026-12-06. */
  rounds?: FrontRound[];
  /** Their medians, where there was more than one round: the ceiling ratio's target reads `ratio` (the pages' targets, QueryResult.uncachedRounds). */
  summary?: RoundsSummary;
}

export interface GrowthPoint {
  posts: number;
  dbBytes: number;
  dbBytesPerPost: number;
  /** The front page. */
  load: LoadResult;
  /** Every page (the front page too), response cache off; absent in results before 2026-12-04. */
  pages?: { name: string; label: string; load: LoadResult }[];
  /** Seconds spent reading the database file once before measuring (absent: not read first). */
  warmedSeconds?: number;
}

/** p50 at the largest growth size over p50 at the smallest, of one page. */
export interface GrowthRatio {
  page: string;
  from: number;
  to: number;
  /** Under the full load (20 connections). */
  ratio: number;
  /** With one connection (no queueing: the cost of one request). */
  serialRatio: number;
}

/** Each page's GrowthRatio between the first and the last growth point (pages measured at both). */
export function growthRatios(growth: readonly GrowthPoint[]): GrowthRatio[] {
  if (growth.length < 2) return [];
  const first = growth[0];
  const last = growth[growth.length - 1];
  const pagesOf = (g: GrowthPoint) => g.pages ?? [{ name: 'front', label: 'front page', load: g.load }];
  return pagesOf(first).flatMap((a) => {
    const b = pagesOf(last).find((x) => x.name === a.name);
    if (!b) return [];
    return [
      {
        page: a.label,
        from: first.posts,
        to: last.posts,
        ratio: b.load.p50Ms / Math.max(a.load.p50Ms, 0.001),
        // The mean: one connection's p50 is often under autocannon's 1 ms resolution at 10k (a 0).
        serialRatio: b.load.serial.meanMs / Math.max(a.load.serial.meanMs, 0.001),
      },
    ];
  });
}

export interface Target {
  what: string;
  target: string;
  actual: string;
  met: boolean | null;
}

export interface BenchResult {
  name: string;
  date: string;
  /** The run's options that shape its figures (as given or defaulted). */
  options: Pick<
    BenchOptions,
    'posts' | 'growth' | 'seed' | 'duration' | 'warmup' | 'connections' | 'quick' | 'noImport'
  > & {
    /** Absent in results written before the server warm-up (bench/warm.ts) existed: none. */
    serverWarmup?: number;
  };
  machine: Machine;
  import: ImportResult | null;
  /** Set when the import figures were carried over from an earlier run (--no-import). */
  importMeasuredAt?: string;
  queries: QueryResult[];
  floor: FloorResult | null;
  ceiling?: CeilingResult | null;
  /** `serve --workers N` for N = 1, 2 (front and stock pages, response cache off). */
  workers?: WorkersPoint[];
  /** Every page with the response cache off at each --growth size (the work that grows with the archive). */
  growth: GrowthPoint[];
  /**
   * p50 at the largest growth size over p50 at the smallest: `ratio` under the full load (20
   * connections), `serialRatio` with one connection (no queueing: the cost of one request).
   */
  growthP50Ratio: { from: number; to: number; ratio: number; serialRatio: number } | null;
  targets: Target[];
}

/**
 * Statements of the largest page against the smallest: the same, fewer (the larger page already
 * holds posts the smaller one fetches, e.g. its related posts), more (they grow with the page), or
 * a size failed.
 */
export function pageSizeVerdict(counts: readonly PageSizeCount[]): 'same' | 'fewer' | 'more' | 'failed' {
  if (counts.some((c) => c.statements === null)) return 'failed';
  const first = counts[0].statements!;
  const last = counts[counts.length - 1].statements!;
  if (counts.every((c) => c.statements === first)) return 'same';
  return last > first ? 'more' : 'fewer';
}

const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

/** Each page's throughput and p99 targets (issue #12), by query name. */
const PAGE_TARGETS: Record<string, { rps: number; p99: number | null }> = {
  front: { rps: 500, p99: 80 },
  stock: { rps: 500, p99: 80 },
  search: { rps: 300, p99: 100 },
  post: { rps: 800, p99: null },
};

export function targets(r: BenchResult): Target[] {
  const t: Target[] = [];
  const add = (what: string, target: string, actual: string, met: boolean | null) =>
    t.push({ what, target, actual, met });
  const im = r.import;
  if (im) {
    // Issue #14's targets.
    add('import throughput', '>= 5,000 posts/s', `${f0(im.postsPerSec)} posts/s`, im.postsPerSec >= 5000);
    add('import / parse floor', '>= 0.8', f2(im.ratioToParse), im.ratioToParse >= 0.8);
    add('import peak RSS', '<= 300 MB', `${f0(im.peakRssMiB)} MiB`, im.peakRssMiB * 1.048576 <= 300);
    add('unchanged re-import', '<= 2 s', `${f2(im.reimportSeconds)} s`, im.reimportSeconds <= 2);
  }
  // Issue #12's targets, for the response cache off (a long tail misses it anyway).
  for (const q of r.queries) {
    const want = PAGE_TARGETS[q.name];
    if (!want) continue;
    // The median of the rounds where there were several (rounds.ts): one row moves by a third here.
    const rounds = q.uncachedRounds && q.uncachedRounds.length > 1 ? q.uncachedRounds : undefined;
    const measured = rounds ? medianLoad(rounds) : (q.uncached ?? q.load);
    const okRps = measured.reqPerSec >= want.rps;
    const okP99 = want.p99 === null || measured.p99Ms <= want.p99;
    add(
      `${q.label} (${r.options.connections} conn.)`,
      `>= ${want.rps} req/s${want.p99 === null ? '' : `, p99 <= ${want.p99} ms`}, cache off`,
      `${rounds ? `median of ${rounds.length} rounds ` : ''}${f0(measured.reqPerSec)} req/s, p99 ${ms(measured.p99Ms)}${rounds ? ` (rounds: ${rounds.map((x) => f0(x.reqPerSec)).join(', ')})` : ''}${q.uncached ? ` (as shipped: ${f0(q.load.reqPerSec)} req/s, p99 ${ms(q.load.p99Ms)})` : ''}`,
      okRps && okP99,
    );
  }
  if (r.floor)
    add('front page / hand-written floor', '>= 0.33', `${f2(r.floor.ratio)} (cache off)`, r.floor.ratio >= 0.33);
  if (r.ceiling?.summary) {
    const c = r.ceiling;
    const m = r.ceiling.summary;
    add(
      'front page / in-memory Apollo + type-graphql',
      '>= 0.45 (goal 0.8)',
      `median of ${m.rounds} rounds ${f2(m.ratio)} cache off (rounds: ${m.ratios.map(f2).join(', ')}; median ceiling ${f0(m.ceiling.reqPerSec)} req/s${m.cpuRatio === null ? '' : `; by CPU/req ${f2(m.cpuRatio)}`})${c.identical ? '' : '; ceiling JSON DIFFERS'}`,
      m.ratio >= 0.45,
    );
  } else if (r.ceiling) {
    const c = r.ceiling;
    add(
      'front page / in-memory Apollo + type-graphql',
      '>= 0.45 (goal 0.8)',
      `${f2(c.ratio)} cache off, ${f2(c.cachedRatio)} as shipped (ceiling ${f0(c.load.reqPerSec)} req/s${c.cpuRatio === null ? '' : `; by CPU/req ${f2(c.cpuRatio)}`})${c.identical ? '' : '; ceiling JSON DIFFERS'}`,
      c.ratio >= 0.45,
    );
  }
  const counted = r.queries.filter((q) => q.statementsByPageSize?.length);
  if (counted.length) {
    const counts = (c: readonly PageSizeCount[]) =>
      `${c.map((x) => (x.statements === null ? 'failed' : String(x.statements))).join(' / ')} at ${c.map((x) => x.pageSize).join(' / ')}`;
    const differ = counted.filter((q) => pageSizeVerdict(q.statementsByPageSize!) !== 'same');
    const live = counted.filter((q) => q.statementsLive?.length);
    const liveDiffer = live.filter((q) => pageSizeVerdict(q.statementsLive!) !== 'same');
    add(
      'SQL statements per request by page size',
      'the same at every size (past stored lists: the same among themselves)',
      [
        differ.length
          ? `DIFFER: ${differ.map((q) => `${q.label} ${counts(q.statementsByPageSize!)}, ${pageSizeVerdict(q.statementsByPageSize!)}`).join('; ')}`
          : 'the same for every page',
        ...live.map((q) => `${q.label} past the stored lists ${counts(q.statementsLive!)}`),
      ].join('; '),
      differ.every((q) => pageSizeVerdict(q.statementsByPageSize!) === 'fewer') && liveDiffer.length === 0,
    );
  }
  for (const g of growthRatios(r.growth)) {
    const full = g.from <= 10000 && g.to >= 1000000;
    add(
      `${g.page} p50 ${short(g.to)} / ${short(g.from)}`,
      '<= 1.5 (1M / 10k)',
      `${f2(g.ratio)} (1 conn., mean: ${f2(g.serialRatio)})`,
      full ? g.ratio <= 1.5 : null,
    );
  }
  return t;
}

export function short(n: number): string {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

export function grid(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  return [line(head), `| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

const opt = (n: number | null, f: (n: number) => string) => (n === null ? '-' : f(n));
/** Requests that took a body over distinct bodies; "again" when some body went twice. */
const bodiesCell = (l: LoadResult) =>
  l.bodies
    ? `${f0(l.bodies.sent)} / ${f0(l.bodies.distinct)}${l.bodies.sent > l.bodies.distinct ? ' again' : ''}`
    : '-';
const loadCells = (l: LoadResult) => [
  f0(l.reqPerSec),
  ms(l.p50Ms),
  ms(l.p99Ms),
  `${l.errors} / ${l.non2xx} / ${l.badBodies}`,
  ms(l.serial.p50Ms),
  opt(l.serverCpuMsPerReq, (n) => n.toFixed(1)),
  opt(l.otherCores, f2),
  bodiesCell(l),
];
const LOAD_HEAD = [
  'req/s',
  'p50',
  'p99',
  'errors / non-2xx / bad body',
  'p50, 1 conn.',
  'server CPU ms/req',
  'other cores',
  'bodies sent / distinct',
];

/** Markdown tables (they print fine on a terminal too). */
export function formatTables(r: BenchResult): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `newsgraph bench "${r.name}" ${r.date}: ${m.nproc} CPUs (${m.cpu}), ${f1(m.memoryGiB)} GiB, Node ${m.node}, SQLite ${m.sqlite}`,
  );
  if (m.git) out.push(`code: ${m.git.commit.slice(0, 10)}${m.git.dirty ? ' + uncommitted changes' : ''}`);
  out.push(
    `load: autocannon, ${r.options.connections} connections, ${r.options.duration} s measured after ${r.options.warmup} s warm-up, server in a child process` +
      `, each server warmed ${r.options.serverWarmup ?? 0} s after its start (other bodies)`,
  );
  const im = r.import;
  if (im) {
    out.push(
      '',
      `### Import (${f0(im.posts)} posts)${r.importMeasuredAt ? `, measured ${r.importMeasuredAt} (carried over by --no-import)` : ''}`,
      '',
    );
    out.push(
      grid(
        ['measure', 'value'],
        [
          [
            'import',
            `${f0(im.postsPerSec)} posts/s (${f1(im.import.elapsedMs / 1000)} s; ${f0(im.posts / (im.import.cpuMs / 1000))} posts per CPU-second)`,
          ],
          [
            'parse floor (read + sha256 + parseFile, no DB)',
            `${f0(im.parsePostsPerSec)} posts/s (${f1(im.parse.elapsedMs / 1000)} s; ${f0(im.parse.posts / (im.parse.cpuMs / 1000))} posts per CPU-second)`,
          ],
          ['import / parse floor', `${f2(im.ratioToParse)} (per CPU-second: ${f2(im.ratioToParseCpu)})`],
          [
            'import peak RSS (child maxRSS)',
            `${f0(im.peakRssMiB)} MiB (parse floor: ${f0(im.parse.maxRssBytes / 1048576)} MiB)`,
          ],
          ['unchanged re-import', `${f2(im.reimportSeconds)} s (process wall ${f2(im.reimport.wallMs / 1000)} s)`],
          ['database', `${f0(im.dbBytesPerPost)} bytes/post`],
        ],
      ),
    );
  }
  if (r.queries.length) {
    out.push('', '### Queries over HTTP', '');
    const rows = r.queries.flatMap((q) => [
      ...(q.uncached
        ? [[`${q.label}, response cache off`, ...loadCells(q.uncached), statementCell(q), f0(q.uncached.bytesPerReq)]]
        : []),
      [q.label, ...loadCells(q.load), statementCell(q), f0(q.load.bytesPerReq)],
    ]);
    if (r.floor)
      rows.push([
        'front page, hand-written floor',
        ...loadCells(r.floor.load),
        String(r.floor.statements),
        f0(r.floor.load.bytesPerReq),
      ]);
    if (r.ceiling)
      rows.push([
        'front page, in-memory Apollo + type-graphql',
        ...loadCells(r.ceiling.load),
        '0',
        f0(r.ceiling.load.bytesPerReq),
      ]);
    out.push(grid(['query', ...LOAD_HEAD, 'SQL stmts', 'bytes/resp'], rows));
    if (r.floor) {
      out.push(
        '',
        `front page / floor: ${f2(r.floor.ratio)} with the response cache off${r.floor.cachedRatio !== undefined ? `, ${f2(r.floor.cachedRatio)} with it on` : ''}` +
          ` (floor JSON ${r.floor.identical ? 'identical to' : 'DIFFERS from'} the GraphQL data)`,
      );
    }
    if (r.ceiling) {
      const c = r.ceiling;
      out.push(
        `front page / in-memory Apollo + type-graphql: ${f2(c.ratio)} with the response cache off, ${f2(c.cachedRatio)} as shipped` +
          ` (ceiling ${f0(c.load.reqPerSec)} req/s, p99 ${ms(c.load.p99Ms)}; its JSON ${c.identical ? 'identical to' : 'DIFFERS from'} ours on ${c.checked} requests;` +
          ` ${f0(c.preload.posts)} posts of ${f0(c.preload.pages)} pages loaded in ${f1(c.preload.ms / 1000)} s)` +
          (c.cpuRatio === null ? '' : `; by server CPU per request ${f2(c.cpuRatio)}`),
      );
      if (c.summary && c.rounds) {
        const cpu = (l: RoundLoad) => (l.serverCpuMsPerReq === null ? '' : `, ${f2(l.serverCpuMsPerReq)} ms`);
        out.push(
          `alternated rounds (ours with the response cache off, then the ceiling, on the same bodies): ` +
            c.rounds
              .map(
                (x, i) =>
                  `${i + 1}: ${f0(x.ours.reqPerSec)}${cpu(x.ours)} / ${f0(x.ceiling.reqPerSec)}${cpu(x.ceiling)} = ${f2(c.summary!.ratios[i])}`,
              )
              .join('; ') +
            `; median ratio ${f2(c.summary.ratio)}${c.summary.cpuRatio === null ? '' : `, by CPU ${f2(c.summary.cpuRatio)}`}`,
        );
      }
    }
    const rounded = r.queries.filter((q) => q.uncachedRounds && q.uncachedRounds.length > 1);
    if (rounded.length)
      out.push(
        '',
        `rounds with the response cache off, every page in turn (req/s, median): ` +
          rounded
            .map(
              (q) =>
                `${q.label} ${q.uncachedRounds!.map((x) => f0(x.reqPerSec)).join(', ')} (${f0(medianLoad(q.uncachedRounds!).reqPerSec)})`,
            )
            .join('; '),
      );
    out.push(
      '',
      'Every row loads the same long tail of distinct bodies, warm-up, measured run and serial requests going on through the list. "Response cache off" rows run first: every request executes. The rows without are the server as shipped, a fresh process whose whole-response cache (invalidated by any import) answers only a body sent again ("again" under bodies). The in-memory front page stores no response, so a body sent again costs it as much as a new one.',
    );
    out.push('', ...r.queries.map((q) => `- ${q.label}: ${q.detail}`));
    const counted = r.queries.filter((q) => q.statementsByPageSize?.length);
    if (counted.length) {
      out.push('', '### SQL statements per request by page size', '');
      const verdict = (c: readonly PageSizeCount[]) =>
        ({ same: 'yes', fewer: 'NO: fewer at the largest', more: 'NO: MORE at the largest', failed: 'NO: failed' })[
          pageSizeVerdict(c)
        ];
      const row = (label: string, c: readonly PageSizeCount[]) => [
        label,
        c.map((x) => x.pageSize).join(' / '),
        c.map((x) => (x.statements === null ? `failed: ${x.error}` : String(x.statements))).join(' / '),
        verdict(c),
      ];
      out.push(
        grid(
          ['page', 'page sizes', 'statements', 'same'],
          counted.flatMap((q) => [
            row(q.label, q.statementsByPageSize!),
            ...(q.statementsLive?.length ? [row(`${q.label}, past the stored lists (live)`, q.statementsLive)] : []),
          ]),
        ),
      );
      out.push(
        '',
        "Each page's first body, run once in process; the page size is the posts per page (a post page's: its related posts, of which the first 21 are stored and the rest ranked live, as #12 allows).",
      );
    }
  }
  if (r.workers?.length) {
    out.push('', '### `newsgraph serve --workers N` (response cache off)', '');
    out.push(
      grid(
        ['page', 'workers', ...LOAD_HEAD],
        r.workers.map((w) => [w.page, String(w.workers), ...loadCells(w.load)]),
      ),
    );
    const ratios = [...new Set(r.workers.map((w) => w.page))].flatMap((page) => {
      const one = r.workers!.find((w) => w.page === page && w.workers === 1);
      const two = r.workers!.find((w) => w.page === page && w.workers === 2);
      return one && two ? [`${page} ${f2(two.load.reqPerSec / one.load.reqPerSec)}`] : [];
    });
    if (ratios.length) out.push('', `2 workers / 1 by req/s: ${ratios.join(', ')}`);
  }
  if (r.growth.length) {
    out.push('', '### Growth (response cache off)', '');
    out.push(
      grid(
        ['posts', 'page', ...LOAD_HEAD, 'DB bytes/post', 'DB size'],
        r.growth.flatMap((g) =>
          (g.pages ?? [{ name: 'front', label: 'front page', load: g.load }]).map((p) => [
            f0(g.posts),
            p.label,
            ...loadCells(p.load),
            f0(g.dbBytesPerPost),
            `${f0(g.dbBytes / 1048576)} MiB`,
          ]),
        ),
      ),
    );
    const ratios = growthRatios(r.growth);
    if (ratios.length)
      out.push(
        '',
        ...ratios.map(
          (g) =>
            `${g.page}: p50 ${short(g.to)} / ${short(g.from)} ${f2(g.ratio)} at ${r.options.connections} connections, ${f2(g.serialRatio)} with 1 connection (mean)`,
        ),
        '',
        r.growth.some((g) => g.warmedSeconds !== undefined)
          ? 'Each database was read once before its measurement (the page cache warm: the steady state, not a cold start).'
          : 'The databases were not read first: a size larger than the page cache holds is partly measured cold.',
      );
  }
  out.push('', '### Targets', '');
  out.push(
    grid(
      ['target', 'wanted', 'measured', 'met'],
      r.targets.map((t) => [t.what, t.target, t.actual, t.met === null ? 'n/a' : t.met ? 'yes' : 'NO']),
    ),
  );
  return out.join('\n');
}
