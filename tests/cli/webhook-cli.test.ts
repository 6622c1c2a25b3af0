import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { webhookSettings } from '../../src/cli/webhooks';
import { openDatabase } from '../../src/db/data-source';
import { importArchives } from '../../src/db/importer';
import { writeStoreOf } from '../../src/db/store';
import { verify } from '../../src/server/webhooks/signature';
import { sqliteOnly, tempDir } from '../helpers/db';
import { archiveCopy, PLAIN, postText, waitFor } from '../watch/helpers';

// `newsgraph serve --webhook URL`: the flag's checks, and a delivery from the compiled CLI when
// another process imports.

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'newsgraph.js');
jest.setTimeout(60_000);

test('--webhook takes http(s) URLs only and needs NEWSGRAPH_WEBHOOK_SECRET; none: no webhooks', () => {
  expect(webhookSettings(undefined, {})).toBeNull();
  expect(webhookSettings([], {})).toBeNull();
  expect(() => webhookSettings(['ftp://x/'], { NEWSGRAPH_WEBHOOK_SECRET: 's' })).toThrow(
    '--webhook ftp://x/: expected an http:// or https:// URL',
  );
  expect(() => webhookSettings(['not a url'], { NEWSGRAPH_WEBHOOK_SECRET: 's' })).toThrow('--webhook not a url');
  expect(() => webhookSettings(['https://x/'], {})).toThrow('--webhook needs NEWSGRAPH_WEBHOOK_SECRET');
  expect(webhookSettings(['https://x/', 'https://x/', 'http://y/'], { NEWSGRAPH_WEBHOOK_SECRET: 's' })).toEqual({
    urls: ['https://x/', 'http://y/'],
    secret: 's',
  });
});

sqliteOnly.it('serve --webhook delivers, signed, what another process imports', async () => {
  const got: { body: any; signed: boolean }[] = [];
  const receiver = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      got.push({
        body: JSON.parse(raw),
        signed: verify(raw, 'hush', req.headers['x-newsgraph-signature-256'] as string),
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`;
  const archive = archiveCopy();
  const db = path.join(tempDir(), 'hooks.db');
  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0', '--webhook', url], {
    env: { ...process.env, LOG_LEVEL: 'info', NEWSGRAPH_WEBHOOK_SECRET: 'hush' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    await waitFor('the server', () => /GraphQL and GraphiQL at/.test(out) || child.exitCode !== null);
    expect(child.exitCode).toBeNull();
    await new Promise((r) => setTimeout(r, 700)); // the webhook's cursor is set at the (empty) feed's head
    const ds = await openDatabase(db);
    fs.writeFileSync(path.join(archive, '_posts', '2021-12-09-hooked.md'), postText(PLAIN, 'Hooked'));
    await importArchives(writeStoreOf(ds), [archive]);
    await ds.destroy();
    const delivered = await waitFor('the deliveries', () => {
      const n = got.reduce((sum, g) => sum + g.body.changes.length, 0);
      return n >= 105 && got;
    });
    expect(delivered.every((g) => g.signed)).toBe(true);
    expect(delivered.flatMap((g) => g.body.changes).filter((c: any) => c.kind === 'ADDED')).toHaveLength(105);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});
