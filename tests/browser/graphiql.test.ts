// GraphiQL in a real browser: Debian's Chromium (headless) loads /graphql from the real server,
// runs the default tab's query and must show the API's answer, with every request kept on loopback.
// CI installs the browser (.ci/install-browser); elsewhere the test skips when it is missing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, print } from 'graphql';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { importArchives } from '../../src/db/importer';
import { postChangeSource } from '../../src/graphql/live/feed-source';
import { EXAMPLE_QUERIES } from '../../src/server/example-queries';
import { sha256, type Manifest } from '../../src/server/persisted/manifest';
import { tempDir } from '../helpers/db';
import { waitForSubscriptions } from '../helpers/live';
import { sampleServer } from '../helpers/server';
import { PLAIN, postText } from '../watch/helpers';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const maybe = HAVE_CHROMIUM || process.env.CI ? describe : describe.skip;
if (!HAVE_CHROMIUM && !process.env.CI) {
  console.warn(
    `tests/browser: skipping the GraphiQL browser test, ${CHROMIUM} is missing (install it with: bash .ci/install-browser)`,
  );
}

// Flags for a root user in a container on a closed network. Playwright adds --headless and --no-sandbox
// itself; they are repeated here so the list is complete on its own. Never download a browser.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Selectors for GraphiQL 3 (graphiql 3.8 / @graphiql/react 0.28): class names and aria labels it renders.
const QUERY_EDITOR = 'section.graphiql-query-editor .CodeMirror';
const EXECUTE_BUTTON = 'button.graphiql-execute-button';
const RESULT_EDITOR = 'section.result-window .CodeMirror';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** True for a URL that never leaves the machine: loopback hosts, or data:/blob:/about: URLs. */
function staysLocal(raw: string): boolean {
  const u = new URL(raw);
  if (['data:', 'blob:', 'about:'].includes(u.protocol)) return true;
  return LOOPBACK.has(u.hostname);
}

/**
 * Puts `text` in the query editor and waits until GraphiQL has taken it up: it stores the query
 * after a 100 ms debounce (@graphiql/react), and Execute before then would send the old one.
 */
async function setQuery(page: Page, text: string): Promise<void> {
  await page
    .locator(QUERY_EDITOR)
    .first()
    .evaluate((el: any, q: string) => el.CodeMirror.setValue(q), text);
  await page.waitForFunction((q) => {
    const storage = (globalThis as any).localStorage;
    return Object.keys(storage).some((k) => k.endsWith(':query') && storage.getItem(k) === q);
  }, text);
  await new Promise((r) => setTimeout(r, 200)); // the state update that follows it renders
}

/** The whole text of a CodeMirror 5 editor (its DOM only holds the visible lines). */
function editorText(page: Page, selector: string): Promise<string> {
  return page
    .locator(selector)
    .first()
    .evaluate((el: any) => (el.CodeMirror ? el.CodeMirror.getValue() : '') as string);
}

maybe('GraphiQL in headless Chromium', () => {
  let server: Awaited<ReturnType<typeof sampleServer>> | undefined;
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  let page: Page;
  const requests: string[] = [];
  const offHost: string[] = [];
  const failed: string[] = [];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) {
      throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium first (bash .ci/install-browser)`);
    }
    profile = tempDir('newsgraph-chromium-');
    // Import the sample and start the browser side by side (each takes a few seconds).
    const launching = chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1400, height: 900 },
      timeout: 20_000,
    });
    const [started, launched] = await Promise.allSettled([
      sampleServer({ live: { source: postChangeSource, pollMs: 50 }, metrics: true }),
      launching,
    ]);
    if (started.status === 'fulfilled') server = started.value;
    if (launched.status === 'fulfilled') context = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    const ctx = launched.value;
    ctx.setDefaultTimeout(15_000);
    // Anything bound off the machine is recorded and aborted, so the test never waits on a network.
    await ctx.route(
      (url) => !staysLocal(url.href),
      (route) => route.abort('blockedbyclient'),
    );
    ctx.on('request', (r) => {
      requests.push(`${r.method()} ${r.url()}`);
      if (!staysLocal(r.url())) offHost.push(r.url());
    });
    ctx.on('requestfailed', (r) => failed.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
    ctx.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.request().method()} ${r.url()}: HTTP ${r.status()}`);
    });
    page = ctx.pages()[0] ?? (await ctx.newPage());
    page.on('pageerror', (e) => pageErrors.push(String(e.stack ?? e)));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
  }, 30_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
    await server?.close();
  }, 30_000);

  test('loads from loopback only, runs the default FrontPage query and shows the API answer', async () => {
    const s = server!;
    const shot = process.env.GRAPHIQL_SCREENSHOT || path.join(os.tmpdir(), `newsgraph-graphiql-${process.pid}.png`);
    try {
      const res = await page.goto(`${s.url}/graphql`, { waitUntil: 'load' });
      expect(res?.status()).toBe(200);
      expect(res?.headers()['content-type']).toMatch(/text\/html/);

      // The editor rendered with the default tab's query.
      await page.locator(QUERY_EDITOR).first().waitFor({ state: 'visible' });
      await page.waitForFunction(
        (sel) =>
          ((globalThis as any).document.querySelector(sel)?.CodeMirror?.getValue() ?? '').includes('query FrontPage'),
        QUERY_EDITOR,
      );

      // Run it; wait for the POST to come back and the result pane to fill.
      const answered = page.waitForResponse(
        (r) =>
          r.url() === `${s.url}/graphql` &&
          r.request().method() === 'POST' &&
          (r.request().postData() ?? '').includes('FrontPage'),
      );
      await page.locator(EXECUTE_BUTTON).click();
      expect((await answered).status()).toBe(200);
      await page.waitForFunction(
        (sel) => ((globalThis as any).document.querySelector(sel)?.CodeMirror?.getValue() ?? '').includes('"posts"'),
        RESULT_EDITOR,
      );

      const shown = JSON.parse(await editorText(page, RESULT_EDITOR));
      expect(shown.errors).toBeUndefined();
      const edges = shown.data.posts.edges as { node: { title: string } }[];
      expect(edges.length).toBeGreaterThan(0);
      for (const { node } of edges) expect(node.title).toMatch(/\S/);
      // The pane shows exactly what the API answers for the same query.
      const direct = await s.gql(EXAMPLE_QUERIES[0].query);
      expect(direct.body.errors).toBeUndefined();
      expect(shown).toEqual(direct.body);
      // …and it is visible on screen, not just in the editor's model.
      await expect(page.locator(RESULT_EDITOR).first().innerText()).resolves.toContain(edges[0].node.title);

      await page.screenshot({ path: shot });
    } catch (e) {
      await page.screenshot({ path: shot }).catch(() => undefined);
      console.error(`GraphiQL browser test failed; screenshot: ${shot}\nrequests:\n  ${requests.join('\n  ')}`);
      throw e;
    }
    if (!process.env.GRAPHIQL_SCREENSHOT) fs.rmSync(shot, { force: true });

    expect(requests.length).toBeGreaterThan(0);
    expect({ offHost }).toEqual({ offHost: [] });
    expect({ pageErrors }).toEqual({ pageErrors: [] });
    expect({ failed }).toEqual({ failed: [] });
    expect({ consoleErrors }).toEqual({ consoleErrors: [] });
  }, 30_000);
  test('runs a subscription over WebSocket and shows the post an import adds', async () => {
    const s = server!;
    await page.goto(`${s.url}/graphql`, { waitUntil: 'load' });
    await page.locator(QUERY_EDITOR).first().waitFor({ state: 'visible' });
    await setQuery(page, 'subscription NewPosts { postAdded { title } }');
    const socket = page.waitForEvent('websocket');
    await page.locator(EXECUTE_BUTTON).click();
    expect((await socket).url()).toBe(`${s.url.replace('http', 'ws')}/graphql`);
    await waitForSubscriptions(s.url, 1);

    const archive = tempDir('newsgraph-browser-archive-');
    fs.mkdirSync(path.join(archive, '_posts'));
    fs.writeFileSync(path.join(archive, '_posts', '2021-12-09-browser-live.md'), postText(PLAIN, 'Live in GraphiQL'));
    await importArchives(s.writeStore, [archive]);

    await page.waitForFunction(
      (sel) =>
        ((globalThis as any).document.querySelector(sel)?.CodeMirror?.getValue() ?? '').includes('Live in GraphiQL'),
      RESULT_EDITOR,
    );
    expect(JSON.parse(await editorText(page, RESULT_EDITOR))).toEqual({
      data: { postAdded: { title: 'Live in GraphiQL' } },
    });
    expect({ offHost }).toEqual({ offHost: [] });
    expect({ pageErrors }).toEqual({ pageErrors: [] });
  }, 30_000);
});

// Persisted-only mode: GraphiQL offers the trusted documents, runs them by hash, never sends the
// introspection query (the schema comes with the page), and shows why an edited document is refused.
maybe('GraphiQL in persisted-only mode', () => {
  const TAGS = 'query Tags { tags(first: 2) { totalCount edges { node { name } } } }';
  const POSTS = 'query Posts { posts(first: 3) { totalCount edges { node { title } } } }';
  const manifest: Manifest = {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: [TAGS, POSTS].map((body) => ({
      id: sha256(body),
      name: /query (\w+)/.exec(body)![1],
      type: 'query' as const,
      body,
    })),
  };
  let server: Awaited<ReturnType<typeof sampleServer>> | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const posted: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      sampleServer({ persistedOnly: manifest }),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 20_000 }),
    ]);
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    ctx.setDefaultTimeout(15_000);
    await ctx.route(
      (url) => !staysLocal(url.href),
      (route) => route.abort('blockedbyclient'),
    );
    page = await ctx.newPage();
    page.on('request', (r) => {
      if (r.method() === 'POST') posted.push(r.postData() ?? '');
    });
    page.on('pageerror', (e) => pageErrors.push(String(e.stack ?? e)));
  }, 30_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
  }, 30_000);

  test('offers the trusted documents, runs one by its hash, refuses an edited one and says why', async () => {
    const s = server!;
    await page.goto(`${s.url}/graphql`, { waitUntil: 'load' });
    await expect(page.locator('#persisted-only').innerText()).resolves.toContain('runs only its 2 trusted documents');
    await page.locator(QUERY_EDITOR).first().waitFor({ state: 'visible' });
    await page.waitForFunction(
      ([sel, text]) => ((globalThis as any).document.querySelector(sel)?.CodeMirror?.getValue() ?? '') === text,
      [QUERY_EDITOR, print(parse(TAGS))] as const,
    );

    const answered = page.waitForResponse((r) => r.url() === `${s.url}/graphql` && r.request().method() === 'POST');
    await page.locator(EXECUTE_BUTTON).click();
    expect((await answered).status()).toBe(200);
    await page.waitForFunction(
      (sel) => ((globalThis as any).document.querySelector(sel)?.CodeMirror?.getValue() ?? '').includes('"tags"'),
      RESULT_EDITOR,
    );
    expect(JSON.parse(await editorText(page, RESULT_EDITOR))).toEqual((await s.gql(TAGS)).body);
    // By hash: the document's text never went to the server, nor did an introspection query.
    const sent = posted.map((p) => JSON.parse(p));
    expect(sent).toHaveLength(1);
    expect(sent[0].query).toBe('');
    expect(sent[0].extensions.persistedQuery.sha256Hash).toBe(sha256(TAGS));

    // An edited document goes as text, and the answer says why it is refused.
    await setQuery(page, print(parse(TAGS)).replace('first: 2', 'first: 3'));
    await page.locator(EXECUTE_BUTTON).click();
    await page.waitForFunction(
      (sel) =>
        ((globalThis as any).document.querySelector(sel)?.CodeMirror?.getValue() ?? '').includes(
          'runs only the operations of its persisted query manifest',
        ),
      RESULT_EDITOR,
    );
    expect({ pageErrors }).toEqual({ pageErrors: [] });
  }, 30_000);
});

maybe("GraphiQL in persisted-only mode on the examples' persisted-documents.json", () => {
  // The client preset's file as is: its documents are the tabs, printed, and each runs by its hash.
  const documents = JSON.parse(
    fs.readFileSync(path.join(__dirname, '../../examples/src/gql/persisted-documents.json'), 'utf8'),
  ) as Record<string, string>;
  const [firstKey, firstBody] = Object.entries(documents)[0];
  let server: Awaited<ReturnType<typeof sampleServer>> | undefined;
  let browser: Browser | undefined;
  const posted: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      sampleServer({ persistedOnly: documents }),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 20_000 }),
    ]);
  }, 30_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
  }, 30_000);

  test('lists every generated document and runs the first by its hash', async () => {
    const s = server!;
    const ctx = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
    ctx.setDefaultTimeout(15_000);
    await ctx.route(
      (url) => !staysLocal(url.href),
      (route) => route.abort('blockedbyclient'),
    );
    const page = await ctx.newPage();
    page.on('request', (r) => {
      if (r.method() === 'POST') posted.push(r.postData() ?? '');
    });
    await page.goto(`${s.url}/graphql`, { waitUntil: 'load' });
    await expect(page.locator('#persisted-only').innerText()).resolves.toContain(
      `runs only its ${Object.keys(documents).length} trusted documents`,
    );
    await page.waitForFunction(
      ([sel, text]) => ((globalThis as any).document.querySelector(sel)?.CodeMirror?.getValue() ?? '') === text,
      [QUERY_EDITOR, print(parse(firstBody))] as const,
    );
    // One tab per document (GraphiQL's tab bar shows one button each).
    await expect(page.locator('.graphiql-tab').count()).resolves.toBe(Object.keys(documents).length);
    const answered = page.waitForResponse((r) => r.url() === `${s.url}/graphql` && r.request().method() === 'POST');
    await page.locator(EXECUTE_BUTTON).click();
    expect((await answered).status()).toBe(200);
    await page.waitForFunction(
      (sel) => ((globalThis as any).document.querySelector(sel)?.CodeMirror?.getValue() ?? '').includes('"data"'),
      RESULT_EDITOR,
    );
    const result = JSON.parse(await editorText(page, RESULT_EDITOR));
    expect(result.errors).toBeUndefined();
    const sent = posted.map((p) => JSON.parse(p));
    expect(sent).toHaveLength(1);
    expect(sent[0].query).toBe('');
    expect(`sha256:${sent[0].extensions.persistedQuery.sha256Hash}`).toBe(firstKey);
  }, 30_000);
});
