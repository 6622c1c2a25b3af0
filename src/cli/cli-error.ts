/**
 * An expected failure that is not the user's argument (a port in use, a worker that could not
 * start): main() prints the message alone and exits with code 1.
 */
export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}

/**
 * Bad input: a bad archive (ImportError), manifest (ManifestError), argument (UsageError) or
 * environment variable (EnvSettingError). The commands' code loads lazily, so they are told by name.
 */
const USAGE = ['ImportError', 'ManifestError', 'UsageError', 'EnvSettingError'];
/** Failures of the surroundings, whose message says what and why: no stack. */
const FAILURE = ['CliFailure', 'DatabaseOpenError'];

/** The exit code for usage errors; a `serve --watch` watcher exiting with it is not restarted. */
export const USAGE_EXIT_CODE = 2;

/**
 * What the CLI prints for an error, and its exit code: the message alone for bad input (exit 2) or
 * a known failure (exit 1); the stack for anything else (a bug), or always with NEWSGRAPH_DEBUG=1.
 */
export function describeError(err: unknown): { text: string; exitCode: number } {
  const e = err as Error | undefined;
  const name = e?.name;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const usage = USAGE.includes(name!);
  const known = usage || FAILURE.includes(name!);
  const debug = ['1', 'true', 'yes', 'on'].includes((process.env.NEWSGRAPH_DEBUG ?? '').trim().toLowerCase());
  const text = known && !debug ? message : (e?.stack ?? String(err));
  return { text, exitCode: usage ? USAGE_EXIT_CODE : 1 };
}
