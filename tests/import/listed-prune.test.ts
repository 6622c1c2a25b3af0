import fs from 'node:fs';
import path from 'node:path';
import { importArchives } from '../../src/db/importer';
import { pruneRanges } from '../../src/db/writes/prune-scan';
import { copyTree, SEED, tempDatabase, tempDir, type TempDatabase } from '../helpers/db';

// A watcher's batch names the paths that changed; files gone among them are pruned, and only those:
// the prune reads the rows at and under the listed paths, not the whole archive's.

let t: TempDatabase;
let archive: string;
beforeEach(async () => {
  t = await tempDatabase();
  archive = copyTree(SEED, path.join(tempDir(), 'finews'));
});
afterEach(async () => t.close());

const post = (title: string) =>
  `---\nlayout: post\ntitle: ${title}\ndate: 2021-12-08 12:00:00 +0800\n---\n\n正文 ${title}\n`;
const paths = async () =>
  (await t.query<{ path: string }>('SELECT path FROM source_file ORDER BY path')).map((r) => r.path);

test('a listed folder: files gone inside it are pruned, gone files elsewhere and beside it are not', async () => {
  fs.mkdirSync(path.join(archive, 'moved', 'sub'), { recursive: true });
  const inside = ['moved/2021-12-08-a.md', 'moved/sub/2021-12-08-b.md', 'moved/2021-12-08-c.md'];
  // Beside the folder, inside its path range ('moved' <= 'moved-x' < 'moved0'): never listed.
  const beside = ['moved-x/2021-12-08-d.md', 'moved.d/2021-12-08-e.md'];
  fs.mkdirSync(path.join(archive, 'moved-x'));
  fs.mkdirSync(path.join(archive, 'moved.d'));
  for (const rel of [...inside, ...beside]) fs.writeFileSync(path.join(archive, rel), post(rel));
  const outside = '_posts/2021-12-08-202112082206704122.md';
  expect((await importArchives(t.writeStore, [archive])).new).toBeGreaterThan(100);
  expect(await paths()).toEqual(expect.arrayContaining([...inside, ...beside, outside]));

  for (const rel of ['moved/sub/2021-12-08-b.md', 'moved/2021-12-08-c.md', ...beside, outside])
    fs.rmSync(path.join(archive, rel));
  const sum = await importArchives(t.writeStore, [archive], { paths: new Map([[archive, ['moved']]]) });
  expect(sum).toMatchObject({ pruned: 2, removed: 2, new: 0 });
  const left = await paths();
  expect(left).toContain('moved/2021-12-08-a.md');
  expect(left).not.toContain('moved/sub/2021-12-08-b.md');
  expect(left).not.toContain('moved/2021-12-08-c.md');
  expect(left).toEqual(expect.arrayContaining([...beside, outside]));

  // A whole prune takes the rest.
  expect(await importArchives(t.writeStore, [archive], { prune: true })).toMatchObject({ pruned: 3, removed: 3 });
  expect(await paths()).not.toEqual(expect.arrayContaining([outside]));
});

test('a listed file turned into a folder: its record is pruned, the folder’s posts come', async () => {
  const rel = 'old_post/2021-12-08-202112082206703990.md';
  expect((await importArchives(t.writeStore, [archive])).new).toBeGreaterThan(100);
  fs.rmSync(path.join(archive, rel));
  fs.mkdirSync(path.join(archive, rel));
  fs.writeFileSync(path.join(archive, rel, '2021-12-08-inner.md'), post('inner'));
  const sum = await importArchives(t.writeStore, [archive], { paths: new Map([[archive, [rel]]]) });
  expect(sum).toMatchObject({ pruned: 1, new: 1 });
  expect(await paths()).toEqual(expect.arrayContaining([`${rel}/2021-12-08-inner.md`]));
  expect(await paths()).not.toContain(rel);
});

test('the ranges: each listed path once, in code-point order, up to the character after "/"', () => {
  expect(pruneRanges()).toEqual([['', null]]);
  expect(pruneRanges(['b', 'a/x.md', 'b', '𠀀', '\uffff'])).toEqual([
    ['a/x.md', 'a/x.md0'],
    ['b', 'b0'],
    ['\uffff', '\uffff0'],
    ['𠀀', '𠀀0'],
  ]);
});
