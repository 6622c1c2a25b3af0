import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { warmServer, warmupBodies } from '../../bench/warm';

const list = (page: string, n: number) => Array.from({ length: n }, (_, i) => `${page}${i}`);

test('the warm-up takes each page from the end of its list, pages in turn, at most a quarter of each', () => {
  const front = list('f', 8000);
  const search = list('s', 40);
  const bodies = warmupBodies([{ bodies: front }, { bodies: search }]);
  expect(bodies.slice(0, 4)).toEqual(['f7999', 's39', 'f7998', 's38']);
  expect(bodies.filter((b) => b.startsWith('f'))).toHaveLength(1500);
  expect(bodies.filter((b) => b.startsWith('s'))).toEqual([
    's39',
    's38',
    's37',
    's36',
    's35',
    's34',
    's33',
    's32',
    's31',
    's30',
  ]);
  // The measurements start at the front of each list: the warm-up never sends those bodies.
  expect(bodies).not.toContain('f0');
  expect(bodies.some((b) => Number(b.slice(1)) < 6500 && b.startsWith('f'))).toBe(false);
  expect(warmupBodies([{ bodies: ['only'] }])).toEqual([]);
});

test('the warm-up loads the server for the seconds asked, with the tail bodies only', async () => {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push(body);
      res.setHeader('content-type', 'application/json');
      res.end('{"data":{}}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const started = Date.now();
    await warmServer(url, [{ bodies: list('f', 400) }], 1, 2, 'the test server');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(seen.length).toBeGreaterThan(10);
    expect(new Set(seen).size).toBeLessThanOrEqual(100);
    expect(seen.every((b) => Number(b.slice(1)) >= 300)).toBe(true);
    seen.length = 0;
    await warmServer(url, [{ bodies: list('f', 400) }], 0, 2, 'the test server');
    expect(seen).toEqual([]);
  } finally {
    await new Promise((r) => server.close(r));
  }
});
