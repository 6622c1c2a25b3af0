/** A malformed setting in the environment: the CLI prints `NAME=value: expected …` alone, as a usage error. */
export class EnvSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvSettingError';
  }
}

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
  if (!Number.isInteger(n) || n < min) throw new EnvSettingError(`${name}=${raw}: expected ${expected}`);
  return n;
}

/** A switch from the environment: `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off` (any case), unset or empty = off. */
export function envFlag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return false;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new EnvSettingError(`${name}=${raw}: expected 1/true/yes/on or 0/false/no/off`);
}
