import { getMetadataArgsStorage } from 'typeorm';

/** The column types the entities use; each database writer maps them to its own parameter types. */
export type ColumnType = 'integer' | 'bigint' | 'text';

/** One column of an entity: its property (the row's field) and its name in SQL. */
export interface ColumnSpec<P extends string = string> {
  property: P;
  column: string;
  type: ColumnType;
  generated: boolean;
}

export type EntityClass = abstract new (...args: never[]) => object;

const specs = new Map<EntityClass, ColumnSpec[]>();

/**
 * The columns of an entity, read from its TypeORM decorators (inherited ones included), in
 * declaration order: the entity class is the one description of a row, and every column list
 * the SQL writes or selects is derived from it here.
 */
export function columnsOf<E extends object>(entity: abstract new (...args: never[]) => E): ColumnSpec<keyof E & string>[] {
  let found = specs.get(entity);
  if (!found) {
    const storage = getMetadataArgsStorage();
    const chain: unknown[] = [];
    for (let c: unknown = entity; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      chain.unshift(c);
    }
    const generated = new Set(storage.generations.filter((g) => g.target === entity).map((g) => g.propertyName));
    found = storage.columns
      .filter((c) => chain.includes(c.target))
      .sort((a, b) => chain.indexOf(a.target) - chain.indexOf(b.target))
      .map((c) => {
        const type = c.options.type;
        if (type !== 'integer' && type !== 'bigint' && type !== 'text') {
          throw new Error(`${entity.name}.${c.propertyName}: column type ${String(type)} has no writer mapping`);
        }
        return {
          property: c.propertyName,
          column: c.options.name ?? c.propertyName,
          type,
          generated: generated.has(c.propertyName) || storage.generations.some((g) => chain.includes(g.target) && g.propertyName === c.propertyName),
        };
      });
    specs.set(entity, found);
  }
  return found as ColumnSpec<keyof E & string>[];
}

/** The columns a new row is written with: all but a generated id. */
export function writtenColumns(entity: EntityClass): ColumnSpec[] {
  return columnsOf(entity).filter((c) => !c.generated);
}

/** The SQL name of one property's column. */
export function columnName(entity: EntityClass, property: string): string {
  const c = columnsOf(entity).find((x) => x.property === property);
  if (!c) throw new Error(`${entity.name} has no column ${property}`);
  return c.column;
}

/** The table an entity maps to. */
export function tableOf(entity: EntityClass): string {
  const t = getMetadataArgsStorage().tables.find((x) => x.target === entity);
  if (!t?.name) throw new Error(`${entity.name}: no @Entity name`);
  return t.name;
}

/** `a.col AS "prop", …` for the named properties, in the order given: a read query's select list. */
export function selectList<E extends object>(
  entity: abstract new (...args: never[]) => E,
  alias: string,
  properties: readonly (keyof E & string)[],
): string {
  const byProperty = new Map(columnsOf(entity).map((c) => [c.property, c]));
  return properties
    .map((p) => {
      const c = byProperty.get(p);
      if (!c) throw new Error(`${entity.name} has no column ${p}`);
      return c.column === p ? `${alias}.${c.column}` : `${alias}.${c.column} AS "${p}"`;
    })
    .join(', ');
}
