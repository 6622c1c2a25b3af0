import { readFileSync } from 'fs';
import { join } from 'path';

export const SEEDS = join(__dirname, '..', '..', 'seeds', 'finews');

export function readSeed(rel: string): string {
  return readFileSync(join(SEEDS, rel), 'utf8');
}

/** A seed post split simply at the second `---` line into its front-matter tags and the raw body. */
export function readPost(rel: string): { body: string; tags: string[] } {
  const lines = readSeed(rel).split('\n');
  const second = lines.indexOf('---', 1);
  if (lines[0] !== '---' || second === -1) throw new Error(`no front matter in ${rel}`);
  const tagLine = lines.slice(1, second).find((l) => l.startsWith('tags:'));
  const tags = tagLine ? tagLine.slice('tags:'.length).trim().split(/\s+/).filter(Boolean) : [];
  return { body: lines.slice(second + 1).join('\n'), tags };
}

/** Occurrences of `needle` in `haystack` (a grep -o | wc -l). */
export function countOf(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}
