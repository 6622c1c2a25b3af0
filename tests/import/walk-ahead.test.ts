import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as WalkAheadModule from '../../src/ingest/walk-ahead';
import { walkArchive, type ArchiveFile } from '../../src/ingest/walk';

// The compiled module (npm test builds first): its thread runs dist/src/ingest/walk-worker.js,
// which ts-jest's sources do not have.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { WalkAhead, WalksAhead } = require('../../dist/src/ingest/walk-ahead') as typeof WalkAheadModule;

const SEED = path.resolve(__dirname, '../../seeds/finews');

/** Files and warnings in the order a walk gave them. */
async function events(walk: (warn: (rel: string, reason: string) => void) => AsyncIterable<ArchiveFile>) {
  const out: string[] = [];
  for await (const f of walk((rel, reason) => out.push(`warn ${rel}: ${reason}`)))
    out.push(`file ${f.rel} ${f.abs} ${f.size} ${f.mtimeMs}`);
  return out;
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'walk-ahead-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('the thread walks the sample archive as walkArchive does: same files, sizes and times, same order', async () => {
  const expected = await events((warn) => walkArchive(SEED, warn));
  expect(expected.length).toBeGreaterThan(100);
  const ahead = new WalkAhead(SEED);
  expect(await events((warn) => ahead.files(warn))).toEqual(expected);
});

test('warnings come where walkArchive gives them, between the files around them', async () => {
  const posts = path.join(tmp, '_posts');
  fs.mkdirSync(posts);
  fs.writeFileSync(path.join(posts, '2022-01-01-a.md'), '---\ntitle: a\n---\nA');
  fs.writeFileSync(path.join(tmp, 'elsewhere.md'), 'x');
  fs.symlinkSync(path.join(tmp, 'elsewhere.md'), path.join(posts, '2022-01-02-link.md'));
  execFileSync('mkfifo', [path.join(posts, '2022-01-03-pipe.md')]);
  fs.writeFileSync(path.join(posts, '2022-01-04-d.md'), '---\ntitle: d\n---\nD');
  fs.mkdirSync(path.join(tmp, '_drafts'));
  fs.writeFileSync(path.join(tmp, '_drafts', '2022-01-05-draft.md'), 'never walked');

  const expected = await events((warn) => walkArchive(tmp, warn));
  expect(expected.map((e) => e.split(':')[0].split(' ').slice(0, 2).join(' '))).toEqual([
    'file _posts/2022-01-01-a.md',
    'warn _posts/2022-01-02-link.md',
    'warn _posts/2022-01-03-pipe.md',
    'file _posts/2022-01-04-d.md',
    'file elsewhere.md',
  ]);
  expect(await events((warn) => new WalkAhead(tmp).files(warn))).toEqual(expected);
});

test('a folder that cannot be read is the same warning, and a root that is a file too', async () => {
  const file = path.join(tmp, 'not-a-folder.md');
  fs.writeFileSync(file, 'x');
  const expected = await events((warn) => walkArchive(file, warn));
  expect(expected).toEqual([expect.stringMatching(/^warn \.: cannot read folder: ENOTDIR/)]);
  expect(await events((warn) => new WalkAhead(file).files(warn))).toEqual(expected);
});

test('a large archive: the thread stays a bounded number of chunks ahead, and the whole walk is the same', async () => {
  // More files than the thread may hold ahead of its reader (16 chunks of 512).
  for (let d = 0; d < 10; d++) {
    const dir = path.join(tmp, '_posts', String(2010 + d));
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 1000; i++) fs.writeFileSync(path.join(dir, `2020-01-01-${i}.md`), '');
  }
  const ahead = new WalkAhead(tmp);
  const it = ahead.files()[Symbol.asyncIterator]();
  const first = await it.next();
  expect(first.value?.rel).toBe('_posts/2010/2020-01-01-0.md');
  // Time enough for an unbounded walk of 10,000 files to finish.
  await new Promise((r) => setTimeout(r, 500));
  expect(ahead.buffered).toBeLessThanOrEqual(16);
  const rest: string[] = [first.value!.rel];
  for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value.rel);
  expect(rest).toEqual((await events((warn) => walkArchive(tmp, warn))).map((e) => e.split(' ')[1]));
  expect(rest).toHaveLength(10000);
});

test('a walk is read once: a second reader, and a root not walked ahead, walk the archive themselves', async () => {
  const expected = await events((warn) => walkArchive(SEED, warn));
  const walks = new WalksAhead([SEED, path.join(SEED, '.')]);
  try {
    expect(await events((warn) => walks.walk(SEED, warn))).toEqual(expected);
    expect(await events((warn) => walks.walk(SEED, warn))).toEqual(expected);
    const other = path.join(SEED, '_posts');
    expect(await events((warn) => walks.walk(other, warn))).toEqual(await events((warn) => walkArchive(other, warn)));
  } finally {
    walks.close();
  }
});

test('a walk left unread or cut short is closed without waiting for the rest', async () => {
  const ahead = new WalkAhead(SEED);
  for await (const _ of ahead.files()) break;
  await expect(ahead.closed).resolves.toBeUndefined();
  const unread = new WalkAhead(SEED);
  unread.close();
  await expect(unread.closed).resolves.toBeUndefined();
});
