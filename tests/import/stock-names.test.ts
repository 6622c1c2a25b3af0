// Stock names as the archive grows: a stock first linked without a name (a chart embed) takes the
// first name a later post writes beside its code, and keeps it when that post changes or goes.
// Runs on the suite's database (SQLite; PostgreSQL with NEWSGRAPH_TEST_DB=postgres).
import fs from 'node:fs';
import path from 'node:path';
import { importArchives } from '../../src/db/importer';
import { copyTree, SEED, tempDatabase, TempDatabase, tempDir } from '../helpers/db';

/** The real post that links 600050.SH and 00762.HK by chart embeds only. */
const UNICOM = 'old_post/2022-06-16-NW202206162414061171.md';

let t: TempDatabase;
let archive: string;

const names = async (): Promise<Record<string, string | null>> =>
  Object.fromEntries(
    (await t.query('SELECT symbol, name FROM stock ORDER BY symbol')).map((r) => [
      r.symbol as string,
      r.name as string | null,
    ]),
  );

function post(file: string, title: string, body: string): void {
  const full = path.join(archive, '_posts', file);
  fs.writeFileSync(full, `---\nlayout: post\ntitle: "${title}"\ndate: 2022-06-20 10:00:00 +0800\n---\n${body}\n`);
  const when = new Date(Date.now() + 60_000);
  fs.utimesSync(full, when, when);
}

beforeAll(async () => {
  t = await tempDatabase();
  archive = tempDir();
  fs.mkdirSync(path.join(archive, '_posts'));
  fs.mkdirSync(path.join(archive, 'old_post'));
  fs.copyFileSync(path.join(SEED, UNICOM), path.join(archive, UNICOM));
});
afterAll(() => t.close());

test('chart embeds alone name nothing, though the text says 中国联通', async () => {
  await importArchives(t.writeStore, [archive]);
  expect(await names()).toEqual({ '00762.HK': null, '600050.SH': null });
});

test('a later post that writes the name beside the code names the stock; the other stays unnamed', async () => {
  post('2022-06-20-a.md', '甲', '运营商龙头中国联通(600050)午后走强。');
  await importArchives(t.writeStore, [archive]);
  expect(await names()).toEqual({ '00762.HK': null, '600050.SH': '中国联通' });
});

test('a later, different name does not rename it; the naming post rewritten or deleted leaves it', async () => {
  post('2022-06-20-b.md', '乙', '联通(600050)公告。');
  post('2022-06-20-a.md', '甲', '今日无股票。');
  await importArchives(t.writeStore, [archive]);
  expect((await names())['600050.SH']).toBe('中国联通');
  fs.rmSync(path.join(archive, '_posts', '2022-06-20-a.md'));
  fs.rmSync(path.join(archive, '_posts', '2022-06-20-b.md'));
  await importArchives(t.writeStore, [archive]);
  expect((await names())['600050.SH']).toBe('中国联通');
});

test('every stock of the real sample is named but the two only chart embeds link', async () => {
  const full = await tempDatabase();
  try {
    await importArchives(full.writeStore, [copyTree(SEED, path.join(tempDir(), 'finews'))]);
    const unnamed = await full.query('SELECT symbol FROM stock WHERE name IS NULL ORDER BY symbol');
    expect(unnamed.map((r) => r.symbol)).toEqual(['00762.HK', '600050.SH']);
    const named = await full.query(
      `SELECT symbol, name FROM stock WHERE symbol IN ('600519.SH', '600206.SH') ORDER BY symbol`,
    );
    expect(named).toEqual([
      { symbol: '600206.SH', name: '有研新材' },
      { symbol: '600519.SH', name: '贵州茅台' },
    ]);
  } finally {
    await full.close();
  }
});
