// walkPaths (src/ingest/walk.ts): a watcher's changed paths are read under the rules of the whole
// walk, on the real sample archive and on paths a whole walk would never yield.
import fs from 'node:fs';
import path from 'node:path';
import { walkArchive, walkPaths, type ArchiveFile } from '../../src/ingest/walk';
import { copyTree, SEED, tempDir } from '../helpers/db';

async function all(files: AsyncGenerator<ArchiveFile>): Promise<string[]> {
  const out: string[] = [];
  for await (const f of files) out.push(f.rel);
  return out;
}

test('listing every top-level entry of the sample yields exactly what the whole walk yields', async () => {
  const whole = await all(walkArchive(SEED));
  expect(whole.length).toBeGreaterThan(100);
  expect((await all(walkPaths(SEED, fs.readdirSync(SEED)))).sort()).toEqual([...whole].sort());
});

test('listed files and folders yield their own files, each once', async () => {
  const rels = ['old_post/2021-12-08-202112082206672930.md', '_posts', '_posts/2021-12-01-init.md', 'category'];
  const got = await all(walkPaths(SEED, rels));
  const expected = (await all(walkArchive(SEED))).filter(
    (r) => r === rels[0] || r.startsWith('_posts/') || r.startsWith('category/'),
  );
  expect(got.sort()).toEqual(expected.sort());
  expect(new Set(got).size).toBe(got.length);
});

test('paths the walk would not read yield nothing: gone, ignored folders, hidden, non-posts, outside the root', async () => {
  const root = copyTree(SEED, path.join(tempDir(), 'archive'));
  for (const dir of ['_drafts', '_site', '.git', 'node_modules/x'])
    fs.mkdirSync(path.join(root, dir), { recursive: true });
  const post = fs.readFileSync(path.join(SEED, 'old_post/2021-12-08-202112082206672930.md'));
  for (const rel of [
    '_drafts/2021-12-08-a.md',
    '_site/2021-12-08-a.md',
    '.git/2021-12-08-a.md',
    'node_modules/x/2021-12-08-a.md',
    'old_post/.2021-12-08-hidden.md',
  ])
    fs.writeFileSync(path.join(root, rel), post);
  fs.writeFileSync(path.join(root, 'old_post/notes.txt'), 'not a post');
  fs.writeFileSync(path.join(path.dirname(root), '2021-12-08-outside.md'), post);
  const listed = [
    'old_post/2099-01-01-gone.md',
    '_drafts',
    '_drafts/2021-12-08-a.md',
    '_site/2021-12-08-a.md',
    '.git',
    'node_modules/x/2021-12-08-a.md',
    'old_post/.2021-12-08-hidden.md',
    'old_post/notes.txt',
    '../2021-12-08-outside.md',
    './old_post/notes.txt',
  ];
  const warnings: string[] = [];
  expect(await all(walkPaths(root, listed, (rel, reason) => warnings.push(`${rel}: ${reason}`)))).toEqual([]);
  expect(warnings).toEqual([]);
});

test('a symbolic link is reported, not followed, whether listed itself or on the way', async () => {
  const root = copyTree(SEED, path.join(tempDir(), 'archive'));
  const elsewhere = tempDir();
  fs.copyFileSync(
    path.join(SEED, 'old_post/2021-12-08-202112082206672930.md'),
    path.join(elsewhere, '2021-12-08-x.md'),
  );
  fs.symlinkSync(path.join(elsewhere, '2021-12-08-x.md'), path.join(root, 'old_post/2021-12-08-link.md'));
  fs.symlinkSync(elsewhere, path.join(root, 'linked'));
  const warnings: string[] = [];
  const got = await all(
    walkPaths(root, ['old_post/2021-12-08-link.md', 'linked/2021-12-08-x.md', 'linked'], (rel, reason) =>
      warnings.push(`${rel}: ${reason}`),
    ),
  );
  expect(got).toEqual([]);
  expect(warnings).toEqual(['old_post/2021-12-08-link.md: symbolic link (not followed)']);
});
