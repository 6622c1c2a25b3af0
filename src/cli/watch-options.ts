import { Command, InvalidArgumentError } from 'commander';
import { dutyCycle } from './import-priority';

/** How `--watch` follows archives (the flags `import --watch` and `serve --watch` share). */
export interface WatchOptions {
  poll?: boolean;
  pollInterval?: number;
  debounce?: number;
  maxDelay?: number;
  settle?: number;
  /** Each import's duty cycle (`--duty-cycle`, import-pacer.ts); a one-shot import takes it too. */
  dutyCycle?: number;
}

export const WATCH_DEFAULTS = { pollInterval: 1000, debounce: 300, maxDelay: 1000, settle: 2000 };

function ms(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 3_600_000))
    throw new InvalidArgumentError(`'${value}' is not a number of milliseconds (0-3600000)`);
  return n;
}

/** Adds the watch flags to a command. */
export function withWatchFlags(cmd: Command): Command {
  return cmd
    .option('--poll', 'with --watch: poll the files instead of waiting for file-system events')
    .option(
      '--poll-interval <ms>',
      `with --poll: how often each file is looked at (default ${WATCH_DEFAULTS.pollInterval})`,
      ms,
    )
    .option(
      '--debounce <ms>',
      `with --watch: import once the archives have been quiet this long (default ${WATCH_DEFAULTS.debounce})`,
      ms,
    )
    .option(
      '--max-delay <ms>',
      `with --watch: ...or this long after the first change (default ${WATCH_DEFAULTS.maxDelay})`,
      ms,
    )
    .option(
      '--settle <ms>',
      `with --watch: a file changed this recently that does not parse is retried, not reported (default ${WATCH_DEFAULTS.settle})`,
      ms,
    )
    .option(
      '--duty-cycle <fraction>',
      'pace the imports: busy at most this share of the time (above 0, at most 1; 0.5: rest before each transaction as long as it worked); readers of a server on the same cores keep more of their speed, imports take longer',
      dutyCycle,
    );
}

/** The watch flags given, as arguments for a child `newsgraph import --watch`. */
export function watchArgs(o: WatchOptions): string[] {
  const args: string[] = [];
  if (o.poll) args.push('--poll');
  if (o.pollInterval !== undefined) args.push('--poll-interval', String(o.pollInterval));
  if (o.debounce !== undefined) args.push('--debounce', String(o.debounce));
  if (o.maxDelay !== undefined) args.push('--max-delay', String(o.maxDelay));
  if (o.settle !== undefined) args.push('--settle', String(o.settle));
  if (o.dutyCycle !== undefined) args.push('--duty-cycle', String(o.dutyCycle));
  return args;
}

/**
 * The names of the flags given that mean something only with --watch, for "needs --watch" errors
 * (`--duty-cycle` paces a one-shot import too, so `import` takes it alone; `serve` does not).
 */
export function watchFlagsGiven(o: WatchOptions, { importing = false } = {}): string[] {
  return watchArgs(o).filter((a) => a.startsWith('--') && !(importing && a === '--duty-cycle'));
}
