/** One load test with autocannon (in this process) against a server in a child process. */
import autocannon from 'autocannon';
import { cpuWindow } from './cpu';

export interface LoadOptions {
  url: string;
  /** JSON bodies POSTed round-robin. */
  bodies: string[];
  connections: number;
  /** Seconds measured. */
  duration: number;
  /** Seconds of load first, not measured (JIT, statement cache, SQLite page cache). */
  warmup: number;
  /** The server's pid (or its processes' pids), for its CPU time per request. */
  serverPid?: number | number[];
}

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  /** 2xx responses whose body carried GraphQL `errors` or no `data`. */
  badBodies: number;
  bytesPerReq: number;
  /** Server process CPU (user + system) per request: independent of other load on the machine. */
  serverCpuMsPerReq: number | null;
  /** Cores the server process kept busy on average (1.0 = one core saturated). */
  serverCores: number | null;
  /** Cores used by the load generator (this process). */
  loadGenCores: number;
  /** Cores used by every other process on the machine during the measurement (noise). */
  otherCores: number | null;
  /** One connection, 15 requests one at a time: latency without queueing (the cost of one request). */
  serial: { requests: number; p50Ms: number; p99Ms: number; meanMs: number };
  /**
   * Bodies: how many distinct ones there were, and how many requests took one (warm-up, measured
   * run and serial requests go on through the list, never starting over). More sent than distinct:
   * some body went twice, and the response cache (as shipped) could answer it.
   */
  bodies: { distinct: number; sent: number };
}

/** Where the next request's body comes from: shared by a load test's runs so none starts over. */
export interface BodyCursor {
  next: number;
}

/** Waits until the server has worked off requests left in flight by a finished run. */
async function drain(o: LoadOptions): Promise<void> {
  await postJson(o.url, o.bodies[0]);
}

/** A successful GraphQL response body: data, no `errors`. */
export const goodBody = (body: unknown) =>
  typeof body === 'string' && body.startsWith('{"data":') && !body.includes('"errors":[');

/** autocannon's options for POSTing `bodies` round-robin from `cursor`, each response checked. */
function postOptions(url: string, bodies: string[], connections: number, cursor: BodyCursor): autocannon.Options {
  return {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: bodies[0],
    connections,
    timeout: 30,
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[cursor.next++ % bodies.length] }) }],
    verifyBody: goodBody,
  };
}

export function run(
  o: LoadOptions,
  seconds: number,
  connections = o.connections,
  amount?: number,
  cursor: BodyCursor = { next: 0 },
): Promise<autocannon.Result> {
  return autocannon({
    ...postOptions(o.url, o.bodies, connections, cursor),
    duration: seconds,
    ...(amount ? { amount } : {}),
  });
}

/** One response of an open-ended load: when it ended (performance.now()), how long it took, its status. */
export interface Timed {
  atMs: number;
  latencyMs: number;
  status: number;
}

/**
 * Load that runs until `stop` (for phases whose length is not known ahead, such as an import
 * running beside it), timing every response; `done` resolves with autocannon's own summary.
 */
export function openLoad(
  url: string,
  bodies: string[],
  connections: number,
  onResponse: (t: Timed) => void,
): { stop: () => void; done: Promise<autocannon.Result> } {
  let finish: (r: autocannon.Result) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve) => (finish = resolve));
  const instance = autocannon(
    // Far longer than any phase: `stop` ends it.
    { ...postOptions(url, bodies, connections, { next: 0 }), duration: 24 * 3600 },
    (_err, result) => finish(result),
  );
  instance.on('response', (_client, status, _bytes, latencyMs) =>
    onResponse({ atMs: performance.now(), latencyMs, status }),
  );
  return { stop: () => instance.stop(), done };
}

const SERIAL_REQUESTS = 15;

export async function loadTest(o: LoadOptions): Promise<LoadResult> {
  // The measured run goes on after the warm-up's bodies: with the response cache on, a body the
  // warm-up sent would be answered from the cache.
  const cursor: BodyCursor = { next: 0 };
  if (o.warmup > 0) await run(o, o.warmup, o.connections, undefined, cursor);
  await drain(o);
  const cpu = cpuWindow(o.serverPid);
  const r = await run(o, o.duration, o.connections, undefined, cursor);
  const c = cpu.stop();
  const requests = r.requests.total;
  const wallMs = r.duration * 1000;
  // After the loaded run has drained: a few requests one at a time, for the unqueued latency.
  await drain(o);
  const s = await run(o, 60, 1, SERIAL_REQUESTS, cursor);
  return {
    reqPerSec: requests / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests,
    errors: r.errors, // autocannon counts a timeout in both errors and timeouts
    non2xx: r.non2xx,
    badBodies: r.mismatches,
    bytesPerReq: requests ? r.throughput.total / requests : 0,
    serverCpuMsPerReq: c.processMs !== null && requests ? c.processMs / requests : null,
    serverCores: c.processMs !== null ? c.processMs / wallMs : null,
    loadGenCores: c.selfMs / wallMs,
    otherCores: c.otherCores,
    serial: { requests: s.requests.total, p50Ms: s.latency.p50, p99Ms: s.latency.p99, meanMs: s.latency.mean },
    bodies: { distinct: new Set(o.bodies).size, sent: cursor.next },
  };
}

/** One request, for checking a response before loading the server with it. */
export async function postJson(url: string, body: string): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) };
  } catch {
    return { status: res.status, json: { raw: text.slice(0, 300) } };
  }
}
