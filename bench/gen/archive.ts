/**
 * Writes a synthetic finews-shaped Jekyll archive, one file at a time (memory stays bounded: nothing
 * but the universe and the set of created month folders is kept).
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildUniverse } from './universe';
import { MAX_POSTS, buildPost } from './post';

export interface GenerateOptions {
  /** Number of posts, 1..10,000,000. */
  posts: number;
  /** Output folder (created if missing). */
  out: string;
  /** Unsigned 32-bit integer; default 1. */
  seed?: number;
  /** Replace what an earlier run generated in `out` (`_posts/`, `category/`, `_config.yml`). */
  force?: boolean;
}

export interface GenerateResult {
  posts: number;
  /** Bytes written, all files included. */
  bytes: number;
}

export class GenerateError extends Error {}

export const DEFAULT_SEED = 1;

function checkOptions(o: GenerateOptions): Required<GenerateOptions> {
  const posts = o.posts;
  if (!Number.isSafeInteger(posts) || posts < 1 || posts > MAX_POSTS) {
    throw new GenerateError(`posts must be an integer from 1 to ${MAX_POSTS} (got ${String(posts)})`);
  }
  const seed = o.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new GenerateError(`seed must be an integer from 0 to 4294967295 (got ${String(seed)})`);
  }
  if (typeof o.out !== 'string' || o.out.trim() === '') throw new GenerateError('out must be a folder path');
  return { posts, seed, out: o.out, force: o.force ?? false };
}

function prepareOut(out: string, force: boolean): void {
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) {
    throw new GenerateError(`out ${out} exists and is not a folder`);
  }
  const generated = ['_posts', 'category', '_config.yml'].map((p) => path.join(out, p));
  const existing = generated.filter((p) => fs.existsSync(p));
  if (existing.length > 0) {
    if (!force) {
      throw new GenerateError(
        `out ${out} already holds a generated archive (${existing.map((p) => path.basename(p)).join(', ')}); pass --force to replace it`,
      );
    }
    // Only what this generator writes is removed, never the rest of the folder.
    for (const p of existing) fs.rmSync(p, { recursive: true, force: true });
  }
  fs.mkdirSync(path.join(out, '_posts'), { recursive: true });
}

function configYml(posts: number, seed: number): string {
  return [
    `# Synthetic finews-shaped archive from bench/gen (posts: ${posts}, seed: ${seed}). Not real news.`,
    'theme: jekyll-theme-minimal',
    '',
    'lang: zh-CN',
    'title: 金融消息',
    'url: https://finews.example.invalid',
    'timezone: Asia/Shanghai',
    '',
  ].join('\n');
}

export async function generateArchive(options: GenerateOptions): Promise<GenerateResult> {
  const { posts, seed, out, force } = checkOptions(options);
  prepareOut(out, force);
  const universe = buildUniverse(seed);
  let bytes = 0;
  const write = (file: string, text: string): void => {
    const buf = Buffer.from(text, 'utf8');
    fs.writeFileSync(file, buf);
    bytes += buf.length;
  };

  write(path.join(out, '_config.yml'), configYml(posts, seed));
  fs.mkdirSync(path.join(out, 'category'), { recursive: true });
  for (const c of universe.categories) {
    if (c.pageTitle === null) continue;
    write(
      path.join(out, 'category', `${c.slug}.html`),
      `---\nlayout: category\ntitle: ${c.pageTitle}\ncategory: ${c.slug}\n---`,
    );
  }

  const postsDir = path.join(out, '_posts');
  const made = new Set<string>();
  for (let i = 0; i < posts; i++) {
    const p = buildPost(universe, seed, i, posts);
    if (!made.has(p.folder)) {
      fs.mkdirSync(path.join(postsDir, p.folder), { recursive: true });
      made.add(p.folder);
    }
    write(path.join(postsDir, p.folder, p.fileName), p.content);
    // Let other work (timers, a benchmark's server) breathe during long runs.
    if ((i & 4095) === 4095) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { posts, bytes };
}
