// Array parameters in PostgreSQL's binary format, for the writer's multi-row statements.

export type PgType = 'int' | 'bigint' | 'text' | 'tsvector';
const OID: Record<PgType, number> = { int: 23, bigint: 20, text: 25, tsvector: 3614 };

/**
 * A one-dimensional array parameter in PostgreSQL's binary format (pg sends a Buffer as binary).
 * The text format costs twice: pg escapes every element in JS, and the server's array_in scans
 * every character back (a third of a post insert's server time went to parsing the bodies).
 */
export function pgArray(type: PgType, values: readonly unknown[]): Buffer {
  let size = 20 + 4 * values.length;
  let nulls = 0;
  for (const v of values) {
    if (v === null || v === undefined) nulls = 1;
    else
      size +=
        type === 'text'
          ? Buffer.byteLength(v as string)
          : type === 'int'
            ? 4
            : type === 'bigint'
              ? 8
              : (v as Uint8Array).length;
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.writeInt32BE(1, 0); // dimensions
  at = out.writeInt32BE(nulls, at);
  at = out.writeInt32BE(OID[type], at);
  at = out.writeInt32BE(values.length, at);
  at = out.writeInt32BE(1, at); // lower bound
  for (const v of values) {
    if (v === null || v === undefined) {
      at = out.writeInt32BE(-1, at);
    } else if (type === 'text') {
      const n = out.write(v as string, at + 4);
      at = out.writeInt32BE(n, at) + n;
    } else if (type === 'int') {
      at = out.writeInt32BE(4, at);
      at = out.writeInt32BE(v as number, at);
    } else if (type === 'bigint') {
      const hi = Math.floor((v as number) / 2 ** 32);
      at = out.writeInt32BE(8, at);
      at = out.writeInt32BE(hi, at);
      at = out.writeUInt32BE((v as number) - hi * 2 ** 32, at);
    } else {
      // A tsvector in its binary form: a Buffer, or a Uint8Array from a parser's thread.
      at = out.writeInt32BE((v as Uint8Array).length, at);
      out.set(v as Uint8Array, at);
      at += (v as Uint8Array).length;
    }
  }
  return out;
}

/** Typed columns -> `unnest($1::int[], $2::text[], …) AS v(a, b, …)` and its parameters. */
export function unnest(
  cols: [string, PgType, readonly unknown[]][],
  ordinality = false,
): { from: string; args: Buffer[] } {
  const params = cols.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ');
  const names = cols.map(([n]) => n).join(', ');
  return {
    from: `unnest(${params})${ordinality ? ' WITH ORDINALITY' : ''} AS v(${names}${ordinality ? ', ord' : ''})`,
    args: cols.map(([, t, values]) => pgArray(t, values)),
  };
}
