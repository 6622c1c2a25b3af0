import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { graphql, GraphQLError } from 'graphql';
import { importArchives } from '../../src/db/importer';
import { FacetIndex } from '../../src/db/queries/facet-index';
import { createContext } from '../../src/graphql/context';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import { copyTree, SEED, tempDatabase, TempDatabase, tempDir } from './db';

export interface Result {
  data: any;
  errors: readonly GraphQLError[] | undefined;
  statements: number;
}

/**
 * The finews sample (or the archive at `root`) imported into a fresh database, and a function
 * that runs GraphQL against it.
 */
export async function sampleApi(root: string = SEED, opts: { facetColumns?: boolean } = {}) {
  const t = await tempDatabase();
  await importArchives(t.writeStore, [root]);
  const schema = buildNewsgraphSchema();
  const newRunner = t.store.runner;
  // As the server has them (built on its first postFacets), built before the first query here.
  const facets = opts.facetColumns ? new FacetIndex(newRunner, { maxBytes: 64 << 20 }) : undefined;
  await facets?.build();
  const run = async (source: string, variableValues?: Record<string, unknown>): Promise<Result> => {
    const ctx = createContext(newRunner(), undefined, facets);
    const res = await graphql({ schema, source, variableValues, contextValue: ctx });
    return { data: res.data, errors: res.errors, statements: ctx.run.statements };
  };
  /** Runs and fails loudly on errors. */
  const ok = async (source: string, variables?: Record<string, unknown>) => {
    const r = await run(source, variables);
    if (r.errors?.length) throw new Error(r.errors.map((e) => e.message).join('\n'));
    return r.data;
  };
  return {
    ...withoutDb(t),
    get db() {
      return t.db;
    },
    run,
    ok,
    facets,
  };
}

/** A spread would read `db`, which throws on PostgreSQL: copy the rest and pass `db` lazily. */
function withoutDb(t: TempDatabase): Omit<TempDatabase, 'db'> {
  return {
    ds: t.ds,
    store: t.store,
    writeStore: t.writeStore,
    file: t.file,
    query: t.query,
    exec: t.exec,
    writeStamp: t.writeStamp,
    close: t.close,
  };
}

/** The sample archive plus one post (`name` in `_posts/`, its whole source), served in process. */
export async function sampleApiWith(name: string, source: string) {
  const archive = tempDir();
  copyTree(SEED, archive);
  fs.writeFileSync(path.join(archive, '_posts', name), source);
  return sampleApi(archive);
}

/** The titles a search answers with, in its order (at most 100). */
export async function searchTitles(api: Awaited<ReturnType<typeof sampleApi>>, query: string): Promise<string[]> {
  const data = (await api.ok(`query($q: String!) { search(query: $q, first: 100) { edges { node { title } } } }`, {
    q: query,
  })) as { search: { edges: { node: { title: string } }[] } };
  return data.search.edges.map((e) => e.node.title);
}
