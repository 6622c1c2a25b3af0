// A long-tail measurement must not send a body twice while it has unsent ones: the measured run
// goes on after the warm-up's bodies (which the response cache as shipped would answer), and the
// serial requests after the measured run's. When the list runs out, the result says so.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadTest } from '../../bench/load';

describe('bench load test over a long tail of bodies', () => {
  const received: string[] = [];
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data":{}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
  });

  const bodies = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ i }));

  test('warm-up, measured run and serial requests never send a body twice', async () => {
    const pool = bodies(1_000_000);
    const r = await loadTest({ url, bodies: pool, connections: 4, duration: 1, warmup: 1 });
    // The two drains (before the measured run and before the serial requests) ask with the first body.
    const first = received.filter((b) => b === pool[0]).length;
    const others = received.filter((b) => b !== pool[0]);
    expect(first).toBe(3);
    expect(new Set(others).size).toBe(others.length);
    expect(received.length - 2).toBeGreaterThan(r.requests);
    expect(r.bodies.distinct).toBe(pool.length);
    expect(r.bodies.sent).toBeGreaterThanOrEqual(received.length - 2);
    expect(r.bodies.sent).toBeLessThan(pool.length);
  });

  test('says when the bodies ran out and some went again', async () => {
    const r = await loadTest({ url, bodies: bodies(5), connections: 2, duration: 1, warmup: 0 });
    expect(r.bodies.distinct).toBe(5);
    expect(r.bodies.sent).toBeGreaterThan(5);
  });
});
