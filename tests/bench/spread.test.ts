// The long tail's bodies come in spread order, so a measurement that gets through only the first
// few still samples the whole archive.
import { spreadOrder } from '../../bench/spread';

test('spread order is a permutation that starts at 0', () => {
  for (const n of [0, 1, 2, 3, 7, 8, 1000, 2000]) {
    const order = spreadOrder(n);
    expect(order).toHaveLength(n);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    if (n) expect(order[0]).toBe(0);
  }
  expect(spreadOrder(8)).toEqual([0, 4, 2, 6, 1, 5, 3, 7]);
});

test('every prefix is spread over the whole range', () => {
  const n = 2000;
  const order = spreadOrder(n);
  for (const k of [4, 10, 50, 333]) {
    const prefix = [...order.slice(0, k)].sort((a, b) => a - b);
    const gaps = prefix.map((v, i) => (i ? v - prefix[i - 1] : v)).concat(n - prefix[k - 1]);
    // No gap more than twice the even spacing n/k (a plain prefix would leave one gap of n - k).
    expect(Math.max(...gaps)).toBeLessThanOrEqual((2 * n) / k);
  }
});
