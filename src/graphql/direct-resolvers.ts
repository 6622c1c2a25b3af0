import {
  getNamedType,
  type GraphQLField,
  type GraphQLFieldResolver,
  GraphQLSchema,
  isLeafType,
  isObjectType,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';

type ParamMetadata = NonNullable<ReturnType<typeof getMetadataStorage>['fieldResolvers'][number]['params']>[number];
type Methods = Record<string, (...params: unknown[]) => unknown>;
type Getter = (root: unknown, args: Record<string, unknown>, ctx: unknown, info: unknown) => unknown;
type AnyClass = new () => object;

/** A list argument's value as type-graphql passes it: a copy (it maps every list it converts). */
const copied = (value: unknown): unknown => (Array.isArray(value) ? value.slice() : value);

/**
 * An instance of `Target` holding the arguments, as type-graphql's convertToType makes it: the
 * class's own fields left undefined by its constructor and absent from `args` are deleted, then
 * the arguments are assigned.
 */
function instanceWith(Target: AnyClass, args: Record<string, unknown>): object {
  const instance = new Target() as Record<string, unknown>;
  for (const key of Object.keys(instance)) if (instance[key] === undefined && !(key in args)) delete instance[key];
  for (const key of Object.keys(args)) instance[key] = copied(args[key]);
  return instance;
}

/**
 * How to read one parameter straight from graphql's (root, args, context, info), or null where
 * type-graphql's own conversion is needed: validation, custom decorators, or arguments holding
 * input objects (which it turns into class instances field by field).
 */
function directGetter(p: ParamMetadata, field: GraphQLField<unknown, unknown>): Getter | null {
  switch (p.kind) {
    case 'context': {
      const prop = p.propertyName;
      return prop ? (_r, _a, ctx) => (ctx as Record<string, unknown>)[prop] : (_r, _a, ctx) => ctx;
    }
    case 'info':
      return (_r, _a, _c, info) => info;
    case 'root':
      // The callers check that the root is already an instance of the type (else they defer).
      return p.propertyName ? null : (root) => root;
    case 'args':
    case 'arg': {
      if (p.validateSettings !== undefined || p.validateFn !== undefined) return null;
      const leaves = field.args.every((a) => isLeafType(getNamedType(a.type)));
      if (!leaves) return null;
      if (p.kind === 'arg') {
        const name = p.name;
        return (_r, args) => copied(args[name]);
      }
      const Target = p.getType() as AnyClass;
      return (_r, args) => instanceWith(Target, args);
    }
    default:
      return null;
  }
}

const directs = new WeakSet<object>();

/** Whether `resolve` is one directFieldResolvers made. */
export const isDirect = (resolve: unknown): boolean => typeof resolve === 'function' && directs.has(resolve);

/** The method called with its parameters read by `g` (no array for up to three). */
function callOf(self: object, method: (...params: unknown[]) => unknown, g: Getter[]): Getter {
  const [a, b, c] = g;
  switch (g.length) {
    case 0:
      return () => method.call(self);
    case 1:
      return (r, x, ctx, i) => method.call(self, a(r, x, ctx, i));
    case 2:
      return (r, x, ctx, i) => method.call(self, a(r, x, ctx, i), b(r, x, ctx, i));
    case 3:
      return (r, x, ctx, i) => method.call(self, a(r, x, ctx, i), b(r, x, ctx, i), c(r, x, ctx, i));
    default:
      return (r, x, ctx, i) =>
        method.apply(
          self,
          g.map((read) => read(r, x, ctx, i)),
        );
  }
}

/**
 * Replaces type-graphql's wrapper around each field resolver with a direct call, where that
 * changes nothing the resolver sees. The wrapper works on every call: a resolver-data object, the
 * parameter list sorted and mapped, @Args converted to a class instance by walking the metadata,
 * and (validation off or not) a promise around every argument, so a field with arguments always
 * resolves asynchronously; even a getter field (`Post.id`) builds the resolver data. A front page
 * calls ~140 resolver-class methods and ~100 getters, and the wrappers cost a fifth of its time in
 * process. Here the parameters are worked out once, per field.
 *
 * For schemas built without global middlewares, auth checker or validation (ours: schema.ts). A
 * field resolver with middlewares, roles, custom parameters, validated or input-object arguments
 * keeps type-graphql's wrapper, as does a call whose root is not an instance of the resolver's
 * type (type-graphql converts it first), and a type whose name two classes claim (the bench's
 * in-memory ceiling reuses ours). `resolvers`: the resolver classes the schema was built with.
 * Returns how many fields were replaced.
 */
export function directFieldResolvers(schema: GraphQLSchema, resolvers: readonly object[]): number {
  const storage = getMetadataStorage();
  const classesByName = new Map<string, object[]>();
  for (const o of storage.objectTypes) classesByName.set(o.name, [...(classesByName.get(o.name) ?? []), o.target]);
  const resolversByClass = new Map<object, FieldResolverMetadata[]>();
  for (const fr of storage.fieldResolvers) {
    const declared = fr.getObjectType?.();
    // As type-graphql builds: a resolver class's field resolvers only when the class is in the build.
    if (declared && (fr.kind === 'internal' || resolvers.includes(fr.target)))
      resolversByClass.set(declared, [...(resolversByClass.get(declared) ?? []), fr]);
  }
  const instances = new Map<object, Methods>();
  const instanceOf = (target: object): Methods => {
    const self = instances.get(target) ?? (new (target as AnyClass)() as Methods);
    instances.set(target, self);
    return self;
  };

  let replaced = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const classes = classesByName.get(type.name);
    if (classes?.length !== 1) continue;
    const fields = type.getFields();
    const done = new Set<string>();
    // The type's own class first: a field resolver declared nearer overrides an inherited one.
    for (let cls = classes[0]; cls && cls !== Function.prototype; cls = Object.getPrototypeOf(cls) as object) {
      for (const fr of resolversByClass.get(cls) ?? []) {
        const field = fields[fr.schemaName];
        if (!field || done.has(fr.schemaName)) continue;
        done.add(fr.schemaName);
        const direct = directResolver(fr, field, cls as AnyClass, instanceOf);
        if (!direct) continue;
        directs.add(direct);
        field.resolve = direct;
        replaced++;
      }
    }
  }
  return replaced;
}

type FieldResolverMetadata = ReturnType<typeof getMetadataStorage>['fieldResolvers'][number];

function directResolver(
  fr: FieldResolverMetadata,
  field: GraphQLField<unknown, unknown>,
  declaredOn: AnyClass,
  instanceOf: (target: object) => Methods,
): GraphQLFieldResolver<unknown, unknown, Record<string, unknown>> | null {
  const typed = field.resolve;
  if (!typed || fr.middlewares?.length || fr.roles) return null;
  const params = [...(fr.params ?? [])].sort((a, b) => a.index - b.index);
  // @Args beside other argument parameters gets only its class's fields: type-graphql picks them.
  const argParams = params.filter((p) => p.kind === 'args' || p.kind === 'arg');
  if (argParams.length > 1 && argParams.some((p) => p.kind === 'args')) return null;
  const getters = params.map((p) => directGetter(p, field));
  if (getters.some((g) => g === null)) return null;
  const read = getters as Getter[];
  const name = fr.methodName;
  if (fr.kind === 'external') {
    // A method of a resolver class, called on the class's one instance.
    const self = instanceOf(fr.target);
    const method = self[name];
    if (typeof method !== 'function') return null;
    const call = callOf(self, method, read);
    return (root, args, ctx, info) =>
      root instanceof declaredOn ? call(root, args, ctx, info) : typed(root, args, ctx, info);
  }
  // A getter or method of the object type itself, read on the root.
  return (root, args, ctx, info) => {
    if (!(root instanceof declaredOn)) return typed(root, args, ctx, info);
    const value = (root as Methods)[name];
    if (typeof value !== 'function') return value;
    return read.length === 0
      ? value.call(root)
      : value.apply(
          root,
          read.map((g) => g(root, args, ctx, info)),
        );
  };
}
