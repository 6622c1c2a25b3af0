import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response, Router } from 'express';
import express from 'express';
import { introspectionFromSchema, parse, print, type GraphQLSchema } from 'graphql';
import { EXAMPLE_QUERIES } from './example-queries';
import type { Manifest } from './persisted/manifest';

/** What GraphiQL offers: the examples, or (persisted-only) the trusted documents, run by hash. */
export interface GraphiQLOptions {
  /** The server runs only this manifest's operations. */
  manifest?: Manifest;
  /** Given to GraphiQL with the page, since the introspection query is no trusted document. */
  schema?: GraphQLSchema;
}

/** `<` escaped: the JSON goes inside a <script>. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** Files GraphiQL needs, served from installed packages: the machines are offline, no CDN. */
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
  'graphql-ws.js': { pkg: 'graphql-ws', file: 'umd/graphql-ws.min.js', type: 'text/javascript' },
};

/** A file inside an installed package (its `exports` map hides the UMD builds from require.resolve). */
function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

export const ASSET_PREFIX = '/graphiql-assets';

/**
 * Each trusted document's text as a tab shows it, and what it runs by. Tabs show it printed, as
 * GraphiQL's prettify would (codegen writes documents on one line); the text as stored and as
 * printed both map to the document, so a prettified tab still runs.
 */
function trustedTexts(manifest: Manifest | undefined) {
  const ops = manifest?.operations ?? [];
  const printed = ops.map((op) => print(parse(op.body)));
  const byText = ops.flatMap((op, i): [string, { id: string; body: string }][] => [
    [op.body, { id: op.id, body: op.body }],
    [printed[i], { id: op.id, body: op.body }],
  ]);
  return { tabs: printed, byText };
}

function page(endpoint: string, opts: GraphiQLOptions): string {
  const trusted = opts.manifest?.operations;
  const texts = trustedTexts(opts.manifest);
  const tabs = trusted
    ? texts.tabs.map((query) => ({ query }))
    : EXAMPLE_QUERIES.map(({ query, variables }) => ({ query, variables }));
  const banner = trusted
    ? `<div id="persisted-only">This server runs only its ${trusted.length} trusted document${trusted.length === 1 ? '' : 's'} (persisted-only mode): the tabs hold them, and each runs by its sha256 hash. A document edited or written here is refused.</div>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newsgraph · GraphiQL</title>
<link rel="stylesheet" href="${ASSET_PREFIX}/graphiql.css">
<style>html, body { height: 100%; margin: 0; } body { display: flex; flex-direction: column; } #graphiql { flex: 1; min-height: 0; }
#persisted-only { padding: 8px 12px; font: 14px system-ui, sans-serif; background: #fff4d6; border-bottom: 1px solid #e0c878; }</style>
</head>
<body>
${banner}
<div id="graphiql">Loading GraphiQL…</div>
<script src="${ASSET_PREFIX}/react.js"></script>
<script src="${ASSET_PREFIX}/react-dom.js"></script>
<script src="${ASSET_PREFIX}/graphiql.js"></script>
<script src="${ASSET_PREFIX}/graphql-ws.js"></script>
<script>
  const tabs = ${scriptJson(tabs)};
  const endpoint = ${JSON.stringify(endpoint)};
  // Persisted-only: the trusted documents by their text, to send their hash instead.
  const trusted = new Map(${scriptJson(texts.byText)});
  const schema = ${opts.manifest && opts.schema ? scriptJson(introspectionFromSchema(opts.schema)) : 'undefined'};
  // Subscriptions go over WebSocket (graphql-ws) to the same URL; the socket opens on the first one.
  const wsClient = graphqlWs.createClient({
    url: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + endpoint,
    lazy: true,
  });
  const http = GraphiQL.createFetcher({ url: endpoint, wsClient });
  const isSubscription = (ast) => !!ast && ast.definitions.some((d) => d.operation === 'subscription');
  const fetcher = (params, opts) => {
    const doc = trusted.get(params.query);
    if (doc === undefined) return http(params, opts);
    // Subscriptions go as text over WebSocket: the text as stored, which the server checks by its hash.
    if (isSubscription(opts && opts.documentAST)) return http(Object.assign({}, params, { query: doc.body }), opts);
    const extensions = Object.assign({}, params.extensions, { persistedQuery: { version: 1, sha256Hash: doc.id } });
    return http(Object.assign({}, params, { query: '', extensions }), opts);
  };
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher, schema, defaultTabs: tabs, defaultQuery: tabs[0] ? tabs[0].query : '', defaultEditorToolsVisibility: true })
  );
</script>
</body>
</html>`;
}

/** True for a browser navigating to the endpoint (not a GraphQL GET request). */
export function wantsGraphiQL(req: Request): boolean {
  return (
    req.method === 'GET' &&
    req.query.query === undefined &&
    req.query.extensions === undefined &&
    req.query.documentId === undefined &&
    req.query.id === undefined &&
    req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html'
  );
}

export function graphiqlRouter(endpoint: string, opts: GraphiQLOptions = {}): Router {
  const router = express.Router();
  const html = page(endpoint, opts);
  const files = new Map(
    Object.entries(ASSETS).map(([name, a]) => [
      name,
      { body: fs.readFileSync(packageFile(a.pkg, a.file)), type: a.type },
    ]),
  );
  router.get(`${ASSET_PREFIX}/:file`, (req: Request, res: Response) => {
    const f = files.get(String(req.params.file));
    if (!f) return void res.status(404).end();
    res.type(f.type).set('Cache-Control', 'public, max-age=86400').send(f.body);
  });
  router.get(endpoint, (req, res, next) => {
    if (!wantsGraphiQL(req)) return next();
    res.type('html').set('Cache-Control', 'no-cache').send(html);
  });
  return router;
}
