import type { AddressInfo } from 'node:net';
import { importArchives } from '../../src/db/importer';
import { AppOptions, createApp } from '../../src/server/app';
import { SEED, tempDatabase } from './db';

/** The real HTTP server on a free loopback port, over a fresh import of the sample. */
export async function sampleServer(opts: Omit<AppOptions, 'store'> = {}) {
  const t = await tempDatabase();
  await importArchives(t.writeStore, [SEED]);
  const { httpServer, apollo, compiled, responseCache, facets } = await createApp({ store: t.store, ...opts });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const post = async (body: unknown) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const gql = (query: string, variables?: Record<string, unknown>) => post({ query, variables });
  const close = async () => {
    await apollo.stop();
    await t.close();
  };
  return {
    url,
    compiled,
    responseCache,
    facets,
    gql,
    post,
    close,
    store: t.store,
    writeStore: t.writeStore,
    file: t.file,
    query: t.query,
    exec: t.exec,
    get db() {
      return t.db;
    },
  };
}
