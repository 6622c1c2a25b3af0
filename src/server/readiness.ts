import type { ReadStore } from '../db/store';

export interface Readiness {
  ready: boolean;
  /** Each check by name: `ok`, or why it is not ready. */
  checks: Record<string, string>;
}

/**
 * What /readyz reports: ready when the database answers, its schema has every migration of this
 * build (a worker or replica started without migrating can be behind its code), and every extra
 * check (e.g. the archive watcher) passes. /healthz stays a liveness check: the process answers.
 */
export async function readiness(store: ReadStore, extra: Record<string, () => Promise<void>> = {}): Promise<Readiness> {
  const checks: Record<string, string> = {};
  const run = async (name: string, check: () => Promise<string | void>) => {
    try {
      checks[name] = (await check()) ?? 'ok';
    } catch (e) {
      checks[name] = `error: ${(e as Error).message}`;
    }
  };
  await run('database', () => store.ping());
  await run('migrations', async () => {
    if (checks.database !== 'ok') return 'unknown: the database does not answer';
    const pending = await store.pendingMigrations();
    return pending.length ? `pending: ${pending.join(', ')}` : 'ok';
  });
  for (const [name, check] of Object.entries(extra)) await run(name, check);
  return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
}
