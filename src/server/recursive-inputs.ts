import {
  getNamedType,
  getOperationAST,
  isInputObjectType,
  typeFromAST,
  type DocumentNode,
  type GraphQLInputObjectType,
  type GraphQLSchema,
} from 'graphql';

/** Per schema: whether an input object type reaches itself through its fields. */
const recursive = new WeakMap<GraphQLSchema, Map<string, boolean>>();

function reachesItself(type: GraphQLInputObjectType): boolean {
  const seen = new Set<string>();
  const walk = (t: GraphQLInputObjectType): boolean => {
    for (const field of Object.values(t.getFields())) {
      const named = getNamedType(field.type);
      if (!isInputObjectType(named)) continue;
      if (named.name === type.name) return true;
      if (seen.has(named.name)) continue;
      seen.add(named.name);
      if (walk(named)) return true;
    }
    return false;
  };
  return walk(type);
}

/**
 * Whether an operation takes a variable of a recursive input type (`PostFilter`, through its
 * and/or/not), directly or inside another input. graphql-jit generates the coercion of such a
 * variable by inlining the type into itself without end (graphql-jit#81: the server ran out of
 * memory), so such operations are not compiled. Literal values of the type are fine.
 */
export function takesRecursiveInput(schema: GraphQLSchema, document: DocumentNode, operationName?: string): boolean {
  const op = getOperationAST(document, operationName);
  if (!op) return false;
  let bySchema = recursive.get(schema);
  if (!bySchema) recursive.set(schema, (bySchema = new Map<string, boolean>()));
  const memo = bySchema;
  const isRecursive = (t: GraphQLInputObjectType): boolean => {
    let r = memo.get(t.name);
    if (r === undefined) memo.set(t.name, (r = reachesItself(t)));
    return r;
  };
  const inputs = new Set<string>();
  const anyRecursive = (t: GraphQLInputObjectType): boolean => {
    if (inputs.has(t.name)) return false;
    inputs.add(t.name);
    if (isRecursive(t)) return true;
    return Object.values(t.getFields()).some((f) => {
      const named = getNamedType(f.type);
      return isInputObjectType(named) && anyRecursive(named);
    });
  };
  return (op.variableDefinitions ?? []).some((v) => {
    const type = typeFromAST(schema, v.type);
    const named = type && getNamedType(type);
    return !!named && isInputObjectType(named) && anyRecursive(named);
  });
}
