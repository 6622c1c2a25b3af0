// DataLoader contract: results in key order, one per key. Rows come back from SQL in any order.

/** One row (or null) per key. */
export function oneEach<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map<K, V>();
  for (const row of rows) if (!map.has(keyOf(row))) map.set(keyOf(row), row);
  return keys.map((k) => map.get(k) ?? null);
}

/** All rows per key (possibly none), keeping the rows' order. */
export function manyEach<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const k = keyOf(row);
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push(row);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/**
 * Runs one batch per distinct `groupOf(key)` (keys that share arguments), all at once, then puts
 * every result back at its key's position.
 */
export async function byGroup<K, R>(
  keys: readonly K[],
  groupOf: (key: K) => string,
  run: (keys: K[]) => Promise<R[]>,
): Promise<R[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const g = groupOf(k);
    let idx = groups.get(g);
    if (!idx) groups.set(g, (idx = []));
    idx.push(i);
  });
  const out = new Array<R>(keys.length);
  await Promise.all(
    [...groups.values()].map(async (idx) => {
      const results = await run(idx.map((i) => keys[i]));
      idx.forEach((i, j) => (out[i] = results[j]));
    }),
  );
  return out;
}
