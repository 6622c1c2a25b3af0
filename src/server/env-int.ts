/**
 * A whole-number setting from the environment: `fallback` when unset or empty, else at least `min`;
 * anything else stops the server with `NAME=value: expected …`.
 */
export function envInt(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: 0 | 1,
  expected = 'a positive integer',
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${raw}: expected ${expected}`);
  return n;
}
