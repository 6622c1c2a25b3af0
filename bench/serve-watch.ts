import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

// What the live benches (live.ts, fanout.ts) share: the compiled `newsgraph serve --watch` started
// on an archive, waited for until it listens and its watcher's first import ended, and polling.

const ROOT = path.join(__dirname, '..', '..');

/** Polls `find` every 20 ms until it gives something, or fails naming `what` after `ms`. */
export async function waitFor<T>(
  what: string,
  find: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await find();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface WatchingServer {
  child: ChildProcess;
  port: string;
  /** Everything it printed so far (JSON log lines). */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * `newsgraph serve --db DB --port 0 [flags] --watch DIR` (node flags first, e.g. --cpu-prof), once
 * it serves and its watcher's first import (of the whole archive) logged its batch.
 */
export async function startWatchingServer(o: {
  db: string;
  dir: string;
  flags?: string[];
  nodeFlags?: string[];
}): Promise<WatchingServer> {
  let out = '';
  const child = spawn(
    process.execPath,
    [
      ...(o.nodeFlags ?? []),
      path.join(ROOT, 'bin', 'newsgraph.js'),
      'serve',
      '--db',
      o.db,
      '--port',
      '0',
      ...(o.flags ?? []),
      '--watch',
      o.dir,
    ],
    { env: { ...process.env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const port = await waitFor(
      'the server',
      () => /"port":(\d+)[^\n]*GraphQL and GraphiQL at/.exec(out)?.[1] ?? (child.exitCode !== null && 'exited'),
      120_000,
    );
    if (port === 'exited') throw new Error(`serve exited: ${out}`);
    await waitFor('the initial import', () => /"batch":/.test(out), 600_000);
    return { child, port, output: () => out, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
