import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { takesRecursiveInput } from './recursive-inputs';
import { envInt } from '../config/env-int';

export interface CompileOptions {
  /**
   * Executions of a document (and operation) by graphql-js before it is compiled: compiling costs
   * several executions, so a document run once (an explorer's one-off query) never pays for it.
   * `null`: never compile.
   */
  after: number | null;
  /** Compiled operations kept, least recently used out first (a compiled front page is ~100 KB of code). */
  maxCompiled: number;
}

export const DEFAULT_COMPILE: CompileOptions = { after: 1, maxCompiled: 300 };

/** `GRAPHQL_COMPILE_AFTER`: executions before compiling (default 1), `never` to switch compiling off. */
export function compileOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): CompileOptions {
  if (env.GRAPHQL_COMPILE_AFTER?.trim().toLowerCase() === 'never') return { ...DEFAULT_COMPILE, after: null };
  return {
    ...DEFAULT_COMPILE,
    after: envInt(env, 'GRAPHQL_COMPILE_AFTER', DEFAULT_COMPILE.after!, 0, 'a whole number or "never"'),
  };
}

/** An operation's state: uses so far, then its compiled form (null where graphql-jit declined it). */
type Entry = { uses: number } | { compiled: CompiledQuery | null };

/**
 * Queries and mutations executed by graphql-jit once an operation has run `after` times, else by
 * graphql-js. graphql-jit turns an operation into JavaScript that walks the selection without
 * graphql-js's per-field bookkeeping; on this schema's pages it executes the same resolvers,
 * returns the same JSON, and costs 25-30% less CPU (docs/performance.md, "Compiled execution").
 *
 * What graphql-jit refuses before running any resolver (variables that do not coerce) is run again
 * by graphql-js, whose messages and error locations Apollo's status codes rely on.
 */
export class CompiledExecution {
  /** Keyed by document object and operation name: Apollo hands the same parsed document for the same text. */
  private readonly entries = new Map<DocumentNode, Map<string, Entry>>();
  private compiledCount = 0;
  /** What happened so far, for tests and the performance notes. */
  readonly stats = { compiled: 0, declined: 0, compiledRuns: 0, interpretedRuns: 0, rerun: 0 };

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly options: CompileOptions = DEFAULT_COMPILE,
  ) {}

  async execute(args: {
    document: DocumentNode;
    operationName?: string | null;
    variables?: Record<string, unknown> | null;
    contextValue: unknown;
  }): Promise<ExecutionResult> {
    const compiled = this.compiledFor(args.document, args.operationName ?? null);
    const interpret = () =>
      execute({
        schema: this.schema,
        document: args.document,
        operationName: args.operationName,
        variableValues: args.variables,
        contextValue: args.contextValue,
      });
    if (!compiled) {
      this.stats.interpretedRuns++;
      return interpret();
    }
    this.stats.compiledRuns++;
    const result = await compiled.query(undefined, args.contextValue, args.variables ?? {});
    // Errors without a path came before any resolver ran; a resolver's error is answered as it is.
    if (result.errors?.length && result.data == null && result.errors.every((e) => !e.path)) {
      this.stats.rerun++;
      return interpret();
    }
    return result.errors?.length ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  }

  /** Documents followed (counting their uses or compiled) and operations compiled. */
  get size(): { documents: number; compiled: number } {
    return { documents: this.entries.size, compiled: this.compiledCount };
  }

  /** An Apollo executor (the gateway interface's), running every query and mutation through `execute`. */
  executor(): GatewayExecutor {
    return (rc: GatewayGraphQLRequestContext) =>
      this.execute({
        document: rc.document,
        operationName: rc.request.operationName,
        variables: rc.request.variables,
        contextValue: rc.context,
      });
  }

  private compiledFor(document: DocumentNode, operationName: string | null): CompiledQuery | null {
    const { after } = this.options;
    if (after === null) return null;
    let ops = this.entries.get(document);
    if (ops) {
      // Most recently used last.
      this.entries.delete(document);
      this.entries.set(document, ops);
    } else {
      this.entries.set(document, (ops = new Map<string, Entry>()));
      this.evict();
    }
    const key = operationName ?? '';
    const entry = ops.get(key) ?? { uses: 0 };
    if ('compiled' in entry) return entry.compiled;
    if (entry.uses < after) {
      ops.set(key, { uses: entry.uses + 1 });
      return null;
    }
    const compiled = this.compile(document, operationName);
    ops.set(key, { compiled });
    if (compiled) this.compiledCount++;
    this.evict();
    return compiled;
  }

  private compile(document: DocumentNode, operationName: string | null): CompiledQuery | null {
    if (takesRecursiveInput(this.schema, document, operationName ?? undefined)) {
      this.stats.declined++;
      return null;
    }
    try {
      const c = compileQuery(this.schema, document, operationName ?? undefined);
      if (isCompiledQuery(c)) {
        this.stats.compiled++;
        return c;
      }
    } catch {
      // graphql-js runs what graphql-jit cannot compile.
    }
    this.stats.declined++;
    return null;
  }

  /**
   * Past `maxCompiled` compiled operations, or ten times as many documents followed, the least
   * recently used documents go (one-off documents are followed too, to count their uses).
   */
  private evict(): void {
    const limit = this.options.maxCompiled;
    for (const [doc, ops] of this.entries) {
      if (this.compiledCount <= limit && this.entries.size <= limit * 10) break;
      for (const e of ops.values()) if ('compiled' in e && e.compiled) this.compiledCount--;
      this.entries.delete(doc);
    }
  }
}

/**
 * graphql-jit's error as graphql-js's own class makes it: graphql-jit leaves `extensions` undefined
 * when the thrown error has none, and Apollo, reading `extensions.code`, then failed the whole
 * request (500, "Internal server error") instead of answering the partial data with the error.
 */
function asGraphQLError(e: GraphQLError): GraphQLError {
  const error = new GraphQLError(e.message, {
    path: e.path,
    originalError: e.originalError ?? undefined,
    extensions: e.extensions ?? undefined,
  });
  // Where in the document: graphql-jit gives locations, not the nodes graphql-js would derive them from.
  if (e.locations) (error as { locations?: GraphQLError['locations'] }).locations = e.locations;
  return error;
}

/**
 * Apollo's gateway interface used as what it is underneath, the hook for a server's own executor:
 * a fixed schema, loaded once, never updated.
 */
export function executorGateway(schema: GraphQLSchema, executor: GatewayExecutor): GatewayInterface {
  return {
    load: async () => ({ executor }),
    onSchemaLoadOrUpdate: (callback) => {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    stop: async () => {},
  };
}
