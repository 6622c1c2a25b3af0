/**
 * `count` strings of up to `maxPieces` pieces drawn from `pool`, the same for a given seed (a
 * linear congruential generator): hostile text for comparing a fast scan with a reference.
 */
export function randomStrings(pool: readonly string[], seed: number, count: number, maxPieces: number): string[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let x = '';
    for (let n = Math.floor(next() * maxPieces); n > 0; n--) x += pool[Math.floor(next() * pool.length)];
    out.push(x);
  }
  return out;
}
