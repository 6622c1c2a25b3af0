import * as fs from 'fs';
import * as path from 'path';
import { generateArchive } from '../../bench/gen/main';
import { cleanup, hashTree, listFiles, tempDir } from './util';

describe('generator determinism', () => {
  const dirs: string[] = [];
  const fresh = (label: string): string => {
    const d = tempDir(label);
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach(cleanup));

  test('same posts and seed give byte-identical archives; another seed differs', async () => {
    const a = fresh('a');
    const b = fresh('b');
    const c = fresh('c');
    const ra = await generateArchive({ posts: 200, out: a, seed: 42 });
    const rb = await generateArchive({ posts: 200, out: b, seed: 42 });
    const rc = await generateArchive({ posts: 200, out: c, seed: 43 });
    expect(ra).toEqual({ posts: 200, bytes: rb.bytes });
    expect(hashTree(a)).toBe(hashTree(b));
    expect(listFiles(a)).toEqual(listFiles(b));
    expect(hashTree(c)).not.toBe(hashTree(a));
    expect(rc.posts).toBe(200);
  });

  test('reported bytes are the bytes on disk and the post count is the file count', async () => {
    const d = fresh('bytes');
    const r = await generateArchive({ posts: 150, out: d, seed: 5 });
    const files = listFiles(d);
    const onDisk = files.reduce((sum, rel) => sum + fs.statSync(path.join(d, rel)).size, 0);
    expect(r.bytes).toBe(onDisk);
    expect(files.filter((f) => f.startsWith('_posts/'))).toHaveLength(150);
  });

  test('the default seed is stable (seed omitted = seed 1)', async () => {
    const a = fresh('d1');
    const b = fresh('d2');
    await generateArchive({ posts: 50, out: a });
    await generateArchive({ posts: 50, out: b, seed: 1 });
    expect(hashTree(a)).toBe(hashTree(b));
  });

  test('an existing archive is only replaced with force, and then identically', async () => {
    const d = fresh('force');
    await generateArchive({ posts: 30, out: d, seed: 9 });
    const first = hashTree(d);
    fs.writeFileSync(path.join(d, 'keep.txt'), 'not ours');
    await expect(generateArchive({ posts: 30, out: d, seed: 9 })).rejects.toThrow(
      /already holds a generated archive.*--force/,
    );
    await generateArchive({ posts: 20, out: d, seed: 9, force: true });
    await generateArchive({ posts: 30, out: d, seed: 9, force: true });
    expect(fs.readFileSync(path.join(d, 'keep.txt'), 'utf8')).toBe('not ours');
    fs.rmSync(path.join(d, 'keep.txt'));
    expect(hashTree(d)).toBe(first);
  });
});
