import type { ApolloServerPlugin } from '@apollo/server';
import {
  ArgumentNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
  getNamedType,
  getOperationAST,
  isObjectType,
  visit,
} from 'graphql';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE } from '../graphql/relay/page-args';
import { nestedFilterCount, scansTitles, TITLE_SCAN_COST } from '../graphql/resolvers/filter-spec';
import type { PostFilter } from '../graphql/types/filters';
import { envInt, EnvSettingError } from '../config/env-int';

/** Limits a public API ships with; each can be changed by environment (see docs/security.md). */
export interface QueryLimits {
  /** Deepest field nesting in one operation. */
  maxDepth: number;
  /** Estimated cost: one per field, a connection's subtree multiplied by its page size. */
  maxCost: number;
  /** Aliased fields in one document. */
  maxAliases: number;
  /** Lexical tokens in one document (parse stops there). */
  maxTokens: number;
  /** Operations in one batched HTTP request. */
  maxBatch: number;
  /** Request body size (express `limit` syntax). */
  bodyLimit: string;
}

export const DEFAULT_LIMITS: QueryLimits = {
  maxDepth: 15,
  maxCost: 25000,
  maxAliases: 30,
  maxTokens: 3000,
  maxBatch: 10,
  bodyLimit: '100kb',
};

const ENV: Record<keyof QueryLimits, string> = {
  maxDepth: 'GRAPHQL_MAX_DEPTH',
  maxCost: 'GRAPHQL_MAX_COST',
  maxAliases: 'GRAPHQL_MAX_ALIASES',
  maxTokens: 'GRAPHQL_MAX_TOKENS',
  maxBatch: 'GRAPHQL_MAX_BATCH',
  bodyLimit: 'GRAPHQL_BODY_LIMIT',
};

const BODY_LIMIT = /^(\d+)(b|kb|mb)?$/i;

/** `bodyLimit` in bytes, as express reads it (1kb = 1,024 bytes): WebSocket messages get the same bound. */
export function bodyLimitBytes(limit: string): number {
  const m = BODY_LIMIT.exec(limit);
  if (!m) throw new Error(`body limit ${limit}: expected a size such as 100kb`);
  return Number(m[1]) * { b: 1, kb: 1024, mb: 1024 ** 2 }[(m[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
}

/**
 * Variables nesting objects and arrays deeper than this are refused before anything walks them:
 * coercion and the cost's cache key recurse, and 780 `or` filters in a 7 KB body overflowed the
 * stack (a 500). The schema's own rules refuse a filter nested more than 4 deep; no input it
 * answers comes near this.
 */
export const MAX_VARIABLE_DEPTH = 128;

/** Whether `value` nests objects or arrays more than `limit` deep (a loop: it has no stack to overflow). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Defaults overridden by GRAPHQL_* variables; a malformed value is an error naming the variable. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): QueryLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(ENV) as (keyof QueryLimits)[]) {
    const raw = env[ENV[key]];
    if (raw === undefined || raw === '') continue;
    if (key === 'bodyLimit') {
      if (!BODY_LIMIT.test(raw)) throw new EnvSettingError(`${ENV[key]}=${raw}: expected a size such as 100kb`);
      limits.bodyLimit = raw;
      continue;
    }
    limits[key] = envInt(env, ENV[key], limits[key], 1);
  }
  return limits;
}

// 400: the client's document is at fault (a cost refusal, thrown after validation, would otherwise be a 500).
const limitError = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });

function fragmentsOf(ctx: ValidationContext): Map<string, FragmentDefinitionNode> {
  return new Map(
    ctx
      .getDocument()
      .definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}

/** Deepest field nesting, following fragments (a fragment cycle is already a validation error). */
function depth(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  let max = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith('__')) continue;
      max = Math.max(max, 1 + (sel.selectionSet ? depth(sel.selectionSet, fragments, seen) : 0));
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depth(sel.selectionSet, fragments, seen));
    } else {
      const f = fragments.get(sel.name.value);
      if (f && !seen.has(f.name.value))
        max = Math.max(max, depth(f.selectionSet, fragments, new Set([...seen, f.name.value])));
    }
  }
  return max;
}

export function depthLimitRule(maxDepth: number): ValidationRule {
  return (ctx) => ({
    OperationDefinition(op: OperationDefinitionNode) {
      const d = depth(op.selectionSet, fragmentsOf(ctx), new Set());
      if (d > maxDepth) ctx.reportError(limitError(`query depth ${d} exceeds the limit of ${maxDepth}`));
    },
  });
}

export function aliasLimitRule(maxAliases: number): ValidationRule {
  return (ctx) => {
    let aliases = 0;
    return {
      Field(node: FieldNode) {
        if (node.alias && ++aliases === maxAliases + 1)
          ctx.reportError(limitError(`more than ${maxAliases} aliases in one document`));
      },
    };
  };
}

/**
 * Refuses an operation over `maxCost` (QUERY_TOO_COMPLEX), checked once variables are known: every
 * field costs 1 (or the weight its decorator gives: `postFacets`; a filter with `titleContains` adds
 * TITLE_SCAN_COST), and the subtree under a field with a page size (`first`/`last`, or a connection's
 * default) counts that many times. Over HTTP through costLimitPlugin, over WebSocket in subscriptions.ts.
 */
export function checkCost(
  schema: GraphQLSchema,
  maxCost: number,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): void {
  if (variables && nestsDeeperThan(variables, MAX_VARIABLE_DEPTH))
    throw new GraphQLError(`variables nest objects and lists more than ${MAX_VARIABLE_DEPTH} deep`, {
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
  // No such operation: nothing runs, and Apollo answers that itself (the cost library would crash).
  if (!getOperationAST(document, operationName ?? undefined)) return;
  let cost: number;
  try {
    cost = rememberedCost(schema, document, operationName, variables);
  } catch (err) {
    // Variables that do not coerce: execution refuses them with graphql-js's own error, which Apollo
    // answers as 400 BAD_USER_INPUT (thrown from here, it was a 500).
    if (err instanceof GraphQLError && err.nodes?.[0]?.kind === Kind.VARIABLE_DEFINITION) return;
    // Any other value the cost cannot read (`@include(if: $v)` with $v null) fails execution only
    // where it stands, after what comes before it has run: refused here, as the client's fault.
    if (err instanceof GraphQLError)
      throw new GraphQLError(err.message, {
        nodes: err.nodes,
        extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
      });
    throw err;
  }
  if (cost > maxCost)
    throw limitError(
      `query cost ${cost} exceeds the limit of ${maxCost} (a connection's fields count once per item of its page)`,
    );
}

/** Costs by schema, document, operation and the values of the variables a cost depends on. */
const costs = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, { inputs: string[]; byKey: Map<string, number> }>>();
/** Distinct keys kept per document: a page size per request at most, in practice a few. */
const MAX_COSTS_PER_DOCUMENT = 64;

/**
 * The cost, computed once per document and values of the variables it depends on: a front page
 * reached by cursor sends a new `$after` each time, which changes nothing the cost counts, and the
 * analysis walked the whole document on every request (2-3% of a front page's CPU).
 */
function rememberedCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number {
  let bySchema = costs.get(schema);
  if (!bySchema) costs.set(schema, (bySchema = new WeakMap()));
  let memo = bySchema.get(document);
  if (!memo) bySchema.set(document, (memo = { inputs: costInputs(document), byKey: new Map() }));
  // [value] when given, [] when not (a default applies): null and absent can cost differently.
  const given = memo.inputs.map((name) => (variables && Object.hasOwn(variables, name) ? [variables[name]] : []));
  const key = JSON.stringify([operationName ?? null, given]);
  let cost = memo.byKey.get(key);
  if (cost === undefined) {
    cost = costOf(schema, document, operationName, variables);
    if (memo.byKey.size >= MAX_COSTS_PER_DOCUMENT) memo.byKey.clear();
    memo.byKey.set(key, cost);
  }
  return cost;
}

/**
 * The variables a cost can depend on: those inside a `first` or `last` argument (page sizes),
 * `ids` (one item each), a `filter` (its nested filters count) and directives (`@include`/`@skip` decide what is counted).
 * Any other variable (a cursor, a slug) changes what a query reads, never what it costs.
 */
function costInputs(document: DocumentNode): string[] {
  const names = new Set<string>();
  // Depth inside directives and the arguments a cost reads: a variable counts when above 0.
  let inside = 0;
  const costsBy = (node: ArgumentNode) => ['first', 'last', 'filter', 'ids'].includes(node.name.value);
  visit(document, {
    Directive: { enter: () => void inside++, leave: () => void inside-- },
    Argument: {
      enter: (node) => void (costsBy(node) && inside++),
      leave: (node) => void (costsBy(node) && inside--),
    },
    Variable: (node) => {
      if (inside > 0) names.add(node.name.value);
    },
  });
  return [...names].sort();
}

function costOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number {
  return getComplexity({
    schema,
    query: document,
    operationName: operationName ?? undefined,
    variables: variables ?? {},
    estimators: [
      ({ args, field, childComplexity }) => {
        // A field that aggregates a set (`complexity` in its decorator) weighs what it says, not 1.
        const own = typeof field.extensions?.complexity === 'number' ? field.extensions.complexity : 1;
        // `nodes(ids:)` returns an item per id, as a page does.
        const page: unknown = args.first ?? args.last ?? (Array.isArray(args.ids) ? args.ids.length : undefined);
        const named = getNamedType(field.type);
        const isConnection = isObjectType(named) && named.name.endsWith('Connection');
        const multiplier = typeof page === 'number' ? Math.max(page, 1) : isConnection ? DEFAULT_PAGE : 1;
        // Each filter nested in and/or/not is a condition more on every row the field reads.
        const filter = args.filter as PostFilter | undefined;
        const scan = scansTitles(filter) ? TITLE_SCAN_COST : 0;
        return own + scan + nestedFilterCount(filter) + childComplexity * multiplier;
      },
      simpleEstimator({ defaultComplexity: 1 }),
    ],
  });
}

export function costLimitPlugin(schema: GraphQLSchema, maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          checkCost(schema, maxCost, document, request.operationName, request.variables);
        },
      };
    },
  };
}
