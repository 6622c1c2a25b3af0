// An archive's _config.yml decides its posts' permalinks (time zone, permalink style). A file
// Jekyll would stop on stops the import of that archive, its posts kept where they were; a setting
// read as a default (an unknown time zone) is a warning in the summary. Either database.
import fs from 'node:fs';
import path from 'node:path';
import { ImportError, importArchives } from '../../src/db/importer';
import { formatSummary } from '../../src/cli/import-command';
import { copyTree, SEED, tempDatabase, tempDir, type TempDatabase } from '../helpers/db';

/** Dated 2022-05-26 00:xx in Asia/Shanghai: in UTC it would be the 25th, a different permalink. */
const SHANGHAI_URL = '/emnews/2022/05/26/202205262391921712.html';

let t: TempDatabase;
let archive: string;
let config: string;
let original: string;
beforeAll(async () => {
  t = await tempDatabase();
  archive = copyTree(SEED, path.join(tempDir(), 'finews'));
  config = path.join(archive, '_config.yml');
  original = fs.readFileSync(config, 'utf8');
  await importArchives(t.writeStore, [archive]);
});
afterAll(() => t.close());
afterEach(() => fs.writeFileSync(config, original));

const urls = async () => (await t.query<{ url: string }>('SELECT url FROM post ORDER BY url')).map((r) => r.url);

test('the sample post this test follows has its Shanghai permalink', async () => {
  expect(await urls()).toContain(SHANGHAI_URL);
});

test.each([
  ['not valid YAML (a tab-indented line)', (o: string) => `${o}\n\tbroken: indent\n`, /not valid YAML/],
  ['not a mapping', () => '- just\n- a list\n', /not a mapping/],
])('a _config.yml that is %s stops the import, naming the file; no post moves', async (_what, text, reason) => {
  const before = await urls();
  fs.writeFileSync(config, text(original));
  const run = importArchives(t.writeStore, [archive]);
  await expect(run).rejects.toThrow(ImportError);
  await expect(importArchives(t.writeStore, [archive])).rejects.toThrow(reason);
  await expect(importArchives(t.writeStore, [archive])).rejects.toThrow(`${config}:`);
  expect(await urls()).toEqual(before);
});

test('an unknown time zone is read as UTC, as Jekyll does, and the summary says so', async () => {
  fs.writeFileSync(config, original.replace('timezone: Asia/Shanghai', 'timezone: Asia/Shangai'));
  const sum = await importArchives(t.writeStore, [archive]);
  expect(sum.warnings).toEqual([
    { path: '_config.yml', reason: "unknown timezone 'Asia/Shangai' in _config.yml, using UTC" },
  ]);
  expect(formatSummary([archive], sum)).toMatch(/ {2}warnings:\n {4}_config\.yml: unknown timezone 'Asia\/Shangai'/);
  expect(await urls()).not.toContain(SHANGHAI_URL);
  // Put right, the posts go back to their permalinks and the warning is gone.
  fs.writeFileSync(config, original);
  const fixed = await importArchives(t.writeStore, [archive]);
  expect(fixed.warnings).toEqual([]);
  expect(await urls()).toContain(SHANGHAI_URL);
});
