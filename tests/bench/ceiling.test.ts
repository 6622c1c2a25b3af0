// The bench's in-memory ceiling must answer the front page exactly as our server does (the whole
// HTTP response), on the first page and on pages by cursor, or the ratio it reports compares
// different work.
import type { AddressInfo } from 'node:net';
import { loadCeilingData } from '../../bench/ceiling-data';
import { createCeilingApp } from '../../bench/ceiling-server';
import { FRONT_PAGE, PAGE_SIZE } from '../../bench/queries';
import { sampleServer } from '../helpers/server';

type Ceiling = Awaited<ReturnType<typeof createCeilingApp>> & { url: string };

async function listen(app: Awaited<ReturnType<typeof createCeilingApp>>): Promise<Ceiling> {
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  return { ...app, url: `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}` };
}

async function ask(url: string, after: string | null) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: FRONT_PAGE, variables: after === null ? undefined : { after } }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('bench: the in-memory Apollo + type-graphql front page on the sample', () => {
  let ours: Awaited<ReturnType<typeof sampleServer>>;
  let ceiling: Ceiling;
  /** Every front page of the sample, by the cursor before it (null: the first). */
  const pages: (string | null)[] = [null];

  beforeAll(async () => {
    ours = await sampleServer({ responseCacheMb: 0 });
    for (;;) {
      const info = (await ask(ours.url, pages[pages.length - 1])).body.data.posts.pageInfo;
      if (!info.hasNextPage) break;
      pages.push(info.endCursor);
    }
    ceiling = await listen(await createCeilingApp(await loadCeilingData(ours.store.runner, pages, PAGE_SIZE)));
  });
  afterAll(async () => {
    await ceiling?.apollo.stop();
    await ours?.close();
  });

  test('answers every page as our server does', async () => {
    expect(pages.length).toBeGreaterThan(3);
    for (const after of pages) expect(await ask(ceiling.url, after)).toEqual(await ask(ours.url, after));
  });

  test('the comparison covers stocks, publishers and related coverage', async () => {
    const nodes = (await ask(ceiling.url, null)).body.data.posts.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(PAGE_SIZE);
    expect(nodes.some((n: any) => n.stocks.length > 0)).toBe(true);
    expect(nodes.some((n: any) => n.publisher !== null)).toBe(true);
    expect(nodes.some((n: any) => n.relatedCoverage.edges.length === 3)).toBe(true);
  });

  test('a cursor in the middle of a page resolves from memory as ours does', async () => {
    const cursor = (await ours.gql('{ posts(first: 8) { edges { cursor } } }')).body.data.posts.edges[7].cursor;
    expect(await ask(ceiling.url, cursor)).toEqual(await ask(ours.url, cursor));
  });

  test('refuses a page it did not load rather than answering it wrong', async () => {
    const firstOnly = await listen(await createCeilingApp(await loadCeilingData(ours.store.runner, [null], PAGE_SIZE)));
    try {
      expect((await ask(firstOnly.url, null)).body.data.posts.edges).toHaveLength(PAGE_SIZE);
      const r = await ask(firstOnly.url, pages[2]);
      expect(r.body.errors[0].message).toMatch(/did not preload/);
    } finally {
      await firstOnly.apollo.stop();
    }
  });
});
