// Shared by the watch tests: a writable copy of the sample archive, new posts made from its real
// ones, and waiting for a condition with a deadline (never a fixed sleep as the assertion).
import fs from 'node:fs';
import path from 'node:path';
import { copyTree, SEED, tempDir } from '../helpers/db';

/** A real post with stock embeds, an organization and a publisher (links to check after a delete). */
export const LINKED = 'old_post/2022-06-16-NW202206162414061171.md';
/** A plain real post. */
export const PLAIN = 'old_post/2021-12-08-202112082206703990.md';

/** A fresh copy of seeds/finews. */
export function archiveCopy(): string {
  return copyTree(SEED, path.join(tempDir('newsgraph-watch-'), 'archive'));
}

/** The text of a sample post with another title: a new post when written under a new dated name. */
export function postText(from: string, title: string): string {
  return fs.readFileSync(path.join(SEED, from), 'utf8').replace(/^title: .*$/m, `title: "${title}"`);
}

/** The text of a sample post with another title and dated `ms` (whole seconds, written in UTC). */
export function datedPostText(from: string, title: string, ms: number): string {
  const utc = new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' +0000');
  return postText(from, title).replace(/^date: .*$/m, `date: ${utc}`);
}

/** The default permalink of a post copied from LINKED or PLAIN (their category and date) to `rel`. */
export function urlOf(from: string, rel: string): string {
  const [cat, date] = from === LINKED ? ['xiningwanbao', '2022/06/16'] : ['emnews', '2021/12/08'];
  return `/${cat}/${date}/${path
    .basename(rel)
    .replace(/^\d{4}-\d{2}-\d{2}-/, '')
    .replace(/\.md$/, '')}.html`;
}

/** Polls until `find` returns something truthy, or fails naming what it waited for. */
export async function waitFor<T>(
  what: string,
  find: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms = 60_000, // a deadline for a loaded CI machine: only a failure waits for it
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
