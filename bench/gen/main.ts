/**
 * `npm run gen -- --posts N --out DIR [--seed S] [--force]`
 *
 * Writes a deterministic, finews-shaped Jekyll archive: DIR/_posts/<year>/<month>/YYYY-MM-DD-<id>.md,
 * DIR/_config.yml (timezone: Asia/Shanghai) and a few DIR/category/<slug>.html pages.
 * Same --posts and --seed give byte-identical output.
 */
import { DEFAULT_SEED, GenerateError, generateArchive } from './archive';
import { MAX_POSTS } from './post';

export { generateArchive, GenerateError } from './archive';
export type { GenerateOptions, GenerateResult } from './archive';

export const USAGE = `usage: npm run gen -- --posts N --out DIR [--seed S] [--force]
  --posts N   number of posts to write (1..${MAX_POSTS})
  --out DIR   output folder (created if missing)
  --seed S    integer seed, 0..4294967295 (default ${DEFAULT_SEED}); same posts + seed => same bytes
  --force     replace an archive generated earlier in DIR (_posts/, category/, _config.yml only)`;

export class ArgError extends Error {}

export interface CliOptions {
  posts: number;
  out: string;
  seed: number;
  force: boolean;
  help: boolean;
}

function parseInteger(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim())) {
    throw new ArgError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  const n = Number(raw.trim());
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ArgError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}

/** Parse CLI arguments (without node and script). Throws ArgError naming the offending argument. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const values = new Map<string, string>();
  let force = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--force') {
      force = true;
      continue;
    }
    const m = /^(--(?:posts|out|seed))(?:=(.*))?$/.exec(arg);
    if (!m) throw new ArgError(`unknown argument "${arg}"`);
    const name = m[1];
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new ArgError(`${name} needs a value`);
      }
      value = next;
      i++;
    }
    if (values.has(name)) throw new ArgError(`${name} given more than once`);
    values.set(name, value);
  }
  if (help) return { posts: 0, out: '', seed: DEFAULT_SEED, force, help };

  const postsRaw = values.get('--posts');
  if (postsRaw === undefined) throw new ArgError('--posts N is required');
  const posts = parseInteger('--posts', postsRaw, 1, MAX_POSTS);
  const out = values.get('--out');
  if (out === undefined) throw new ArgError('--out DIR is required');
  if (out.trim() === '') throw new ArgError('--out must not be empty');
  const seedRaw = values.get('--seed');
  const seed = seedRaw === undefined ? DEFAULT_SEED : parseInteger('--seed', seedRaw, 0, 0xffffffff);
  return { posts, out, seed, force, help: false };
}

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIo: Io = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** Run the CLI; resolves to the exit code (0 ok, 2 bad arguments, 1 generation failed). */
export async function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof ArgError) {
      io.err(`gen: ${e.message}`);
      io.err(USAGE);
      return 2;
    }
    throw e;
  }
  if (opts.help) {
    io.out(USAGE);
    return 0;
  }
  const started = process.hrtime.bigint();
  try {
    const r = await generateArchive({ posts: opts.posts, out: opts.out, seed: opts.seed, force: opts.force });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    io.out(
      `gen: ${r.posts} posts, ${r.bytes} bytes (${(r.bytes / 1048576).toFixed(1)} MiB) in ${seconds.toFixed(2)} s -> ${opts.out} (seed ${opts.seed})`,
    );
    return 0;
  } catch (e) {
    if (e instanceof GenerateError) {
      io.err(`gen: ${e.message}`);
      return 1;
    }
    io.err(`gen: failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`gen: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
