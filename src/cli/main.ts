import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import type { ServeOptions } from './serve-settings';
import { UsageError } from '../config/usage-error';
import { describeError } from './cli-error';
import { parsePort } from './port';
import { withWatchFlags, watchFlagsGiven, type WatchOptions } from './watch-options';
import { lowerPriority, niceIncrement } from './import-priority';

function port(value: string): number {
  const n = parsePort(value);
  if (n === undefined) throw new InvalidArgumentError(`'${value}' is not a port number (0-65535)`);
  return n;
}

/** pino's levels: any other LOG_LEVEL (or an empty one) would stop the logger's module from loading, with a stack. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function checkLogLevel(env: NodeJS.ProcessEnv = process.env): void {
  const level = env.LOG_LEVEL;
  if (level !== undefined && !LOG_LEVELS.includes(level))
    throw new UsageError(`LOG_LEVEL=${level === '' ? "''" : level}: expected one of ${LOG_LEVELS.join(', ')}`);
}

export function buildProgram(): Command {
  const program = new Command('newsgraph')
    .description('GraphQL content hub for Jekyll post archives')
    .showHelpAfterError();

  const importCommand = program
    .command('import')
    .description('import Jekyll archives (folders) into the database')
    .argument('<dir...>', 'archive folders (a Jekyll site, or a copy of its posts)')
    .option('--db <file|postgres-url>', 'database (default: $DATABASE_URL, else ./data/newsgraph.db)')
    .option('--json', 'print the summary as one JSON object')
    .option('--prune', 'delete posts whose files are gone')
    .option('--no-progress', 'no progress bar')
    .option('--nice <n>', 'run at a lower CPU priority (Unix nice increment 0-19), e.g. beside a server on few cores')
    .option(
      '--watch',
      'then follow the archives until SIGTERM/SIGINT: import what changes, one JSON log line per batch (implies --prune)',
    );
  withWatchFlags(importCommand).action(
    async (
      dirs: string[],
      {
        watch,
        nice,
        ...o
      }: {
        db?: string;
        json?: boolean;
        prune?: boolean;
        progress?: boolean;
        watch?: boolean;
        nice?: string;
      } & WatchOptions,
    ) => {
      // Before the import's modules load: their loading is a busy half second of CPU.
      lowerPriority(niceIncrement(nice));
      if (watch) {
        const { runImportWatch } = await import('./import-watch');
        await runImportWatch(dirs, o);
        return;
      }
      const stray = watchFlagsGiven(o, { importing: true });
      if (stray.length) throw new UsageError(`${stray.join(', ')}: only with --watch`);
      // The heap settings before any thread starts; the walk before the import's modules load, beside them.
      const { useImportHeapSettings } = await import('../ingest/import-heap');
      useImportHeapSettings();
      const { WalksAhead } = await import('../ingest/walk-ahead');
      const walks = new WalksAhead(dirs);
      const { runImport } = await import('./import-command');
      await runImport(dirs, {
        db: o.db,
        json: o.json,
        prune: o.prune,
        progress: o.progress === false ? false : undefined,
        dutyCycle: o.dutyCycle,
        walks,
      });
    },
  );

  program
    .command('reindex')
    .description('rebuild the read model (co-mention pairs, coverage per day) from the stored posts')
    .option('--db <file|postgres-url>', 'database (default: $DATABASE_URL, else ./data/newsgraph.db)')
    .option('--no-progress', 'no progress bar')
    .action(async (o: { db?: string; progress?: boolean }) => {
      const { runReindex } = await import('./reindex-command');
      await runReindex({ db: o.db, progress: o.progress === false ? false : undefined });
    });

  program
    .command('compact')
    .description(
      'pack the post HTML and text a database written by an older build stores as text or packed apart, merge the search index into one segment, then VACUUM, moving a file made with 4 KB pages to 8 KB ones (SQLite)',
    )
    .option('--db <file|postgres-url>', 'database (default: $DATABASE_URL, else ./data/newsgraph.db)')
    .option('--no-vacuum', 'pack only; the freed pages stay in the file for later writes')
    .option('--no-progress', 'no progress bar')
    .action(async (o: { db?: string; vacuum?: boolean; progress?: boolean }) => {
      const { runCompact } = await import('./compact-command');
      await runCompact({ db: o.db, vacuum: o.vacuum !== false, progress: o.progress === false ? false : undefined });
    });

  const serveCommand = program
    .command('serve')
    .description('serve GraphQL at /graphql (GraphiQL in a browser), /healthz, /readyz and, when asked, /metrics')
    .option('--db <file|postgres-url>', 'database (default: $DATABASE_URL, else ./data/newsgraph.db)')
    .option('--port <n>', 'port (default: $PORT, else 4000)', port)
    .option(
      '--persisted-only <manifest.json>',
      'run only these trusted documents, refusing any other: an Apollo persisted query manifest, or the persisted-documents.json ({ "sha256:<hex>": "<document>" }) of GraphQL Code Generator\'s client preset',
    )
    .option(
      '--workers <n>',
      'worker processes sharing the port, 1-64 (default: $NEWSGRAPH_WORKERS, else 1: one process)',
    )
    .option('--metrics', 'Prometheus metrics at /metrics (default: $NEWSGRAPH_METRICS, else off)')
    .option(
      '--site-url <url>',
      "the site the posts' permalinks belong to, for the feeds' and sitemap's absolute links (default: $NEWSGRAPH_SITE_URL, else the request's host)",
    )
    .option(
      '--webhook <url>',
      'POST each import batch of the change feed to this URL, signed with $NEWSGRAPH_WEBHOOK_SECRET (repeatable)',
      (url: string, urls: string[]) => [...urls, url],
      [] as string[],
    )
    .option(
      '--watch <dir>',
      'import this archive and follow it, in one child process beside the server (repeatable)',
      (dir: string, dirs: string[]) => [...dirs, dir],
      [] as string[],
    );
  withWatchFlags(serveCommand).action(async ({ workers, ...o }: ServeOptions & { workers?: string }) => {
    const stray = o.watch?.length ? [] : watchFlagsGiven(o);
    if (stray.length) throw new UsageError(`${stray.join(', ')}: only with --watch`);
    const { workerCount, runServeWorkers } = await import('./serve-workers');
    const n = workerCount(workers);
    if (n > 1) {
      await runServeWorkers(o, n);
      return;
    }
    const { runServe } = await import('./serve-command');
    await runServe(o);
  });
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    checkLogLevel();
    await buildProgram().parseAsync(argv);
  } catch (err) {
    // Bad input and known failures print their message alone; a bug, its stack (see cli-error.ts).
    const { text, exitCode } = describeError(err);
    process.stderr.write(`newsgraph: ${text}\n`);
    process.exitCode = exitCode;
  }
}
