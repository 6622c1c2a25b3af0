/** Starting and stopping the benchmark's child processes (compiled scripts beside this file). */
import { ChildProcess, fork, spawn } from 'node:child_process';
import path from 'node:path';

const script = (name: string) => path.join(__dirname, `${name}.js`);

export interface ChildOptions {
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=...']. */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Runs `node <name>.js args…` to completion and parses the last stdout line as JSON. */
export function runJsonChild<T>(name: string, args: string[], opts: ChildOptions = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), script(name), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'silent', ...opts.env },
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${name} exited with ${code}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${name}: no JSON result (stdout: ${out.slice(-300)})`));
      }
    });
  });
}

/** What the ceiling loaded into memory before listening, and how long that took. */
export interface Preload {
  pages: number;
  posts: number;
  ms: number;
}

export interface ServerChild {
  url: string;
  pid: number;
  /** The ceiling's preload. */
  preload?: Preload;
  stop(): Promise<void>;
}

/** Forks serve-child (GraphQL, the floor or the ceiling) and resolves once it listens on 127.0.0.1. */
export function startServer(
  mode: 'graphql' | 'floor' | 'ceiling',
  db: string,
  opts: ChildOptions = {},
): Promise<ServerChild> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(script('serve-child'), ['--db', db, '--mode', mode], {
      execArgv: opts.nodeArgs ?? [],
      env: { ...process.env, LOG_LEVEL: 'silent', ...opts.env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const onExit = (code: number | null) =>
      reject(new Error(`serve-child (${mode}) exited with ${code} before listening`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (m: { port: number; pid: number; preload?: Preload }) => {
      child.off('exit', onExit);
      resolve({
        url: `http://127.0.0.1:${m.port}`,
        pid: child.pid!,
        preload: m.preload,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) {
            child.send('stop');
            const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
            await exited;
            clearTimeout(timer);
          }
        },
      });
    });
  });
}
