import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response, Router } from 'express';
import express from 'express';
import { EXAMPLE_QUERIES } from './example-queries';

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

function page(endpoint: string): string {
  const tabs = JSON.stringify(EXAMPLE_QUERIES.map(({ query, variables }) => ({ query, variables }))).replace(
    /</g,
    '\\u003c',
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newsgraph · GraphiQL</title>
<link rel="stylesheet" href="${ASSET_PREFIX}/graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="${ASSET_PREFIX}/react.js"></script>
<script src="${ASSET_PREFIX}/react-dom.js"></script>
<script src="${ASSET_PREFIX}/graphiql.js"></script>
<script src="${ASSET_PREFIX}/graphql-ws.js"></script>
<script>
  const tabs = ${tabs};
  const endpoint = ${JSON.stringify(endpoint)};
  // Subscriptions go over WebSocket (graphql-ws) to the same URL; the socket opens on the first one.
  const wsClient = graphqlWs.createClient({
    url: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + endpoint,
    lazy: true,
  });
  const fetcher = GraphiQL.createFetcher({ url: endpoint, wsClient });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher, defaultTabs: tabs, defaultQuery: tabs[0].query, defaultEditorToolsVisibility: true })
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

export function graphiqlRouter(endpoint: string): Router {
  const router = express.Router();
  const html = page(endpoint);
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
