/**
 * Indexes 0..n-1 in bit-reversed (van der Corput) order: every prefix is spread evenly over the
 * range, so a measurement that only gets through the first k bodies of a list still samples all
 * of it (the whole archive, not its newest pages). 0 stays first.
 */
export function spreadOrder(n: number): number[] {
  let bits = 0;
  while (2 ** bits < n) bits++;
  const order: number[] = [];
  for (let i = 0; i < 2 ** bits; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
    if (r < n) order.push(r);
  }
  return order;
}

export const spread = <T>(items: readonly T[]): T[] => spreadOrder(items.length).map((i) => items[i]);
