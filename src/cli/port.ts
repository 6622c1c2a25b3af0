/** A port number, 0-65535, or undefined: digits only (Number() would also take '', ' ', '1e3' and '0x10e1'). */
export function parsePort(value: string): number | undefined {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  return n >= 0 && n <= 65535 ? n : undefined;
}
