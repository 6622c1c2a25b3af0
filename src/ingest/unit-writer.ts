// A string built from UTF-16 code units written into one reusable buffer, then decoded once: the
// import's text passes (search tokens, story text) emit thousands of short pieces a post, and a
// slice per piece plus a join cost them most of their time and the collector most of its work.

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/**
 * Units decoded at a time (128 KB; a post's tokens take ~3 units a character, so a post fits).
 * A longer string is decoded chunk by chunk and joined: the buffer never grows, so a hostile
 * post's text leaves no large buffer behind for the collector to sweep later.
 */
export const CHUNK_UNITS = 1 << 16;

export class UnitWriter {
  private readonly units = new Uint16Array(CHUNK_UNITS);
  /** Units in the buffer, not yet decoded. */
  private used = 0;
  /** What earlier chunks of this string decoded to. */
  private pieces: string[] = [];
  /** Units written since the last reset. */
  length = 0;

  /** Starts a new string. */
  reset(): void {
    this.used = 0;
    this.pieces = [];
    this.length = 0;
  }

  push(unit: number): void {
    if (this.used === CHUNK_UNITS) this.flush();
    this.units[this.used++] = unit;
    this.length++;
  }

  /** The units of `s` from `start` to `end` (end excluded). */
  copy(s: string, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      if (this.used === CHUNK_UNITS) this.flush();
      this.units[this.used++] = s.charCodeAt(i);
    }
    this.length += end - start;
  }

  toString(): string {
    this.flush();
    const out = this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('');
    this.pieces = [];
    return out;
  }

  /** Decodes the buffer's units (a surrogate pair cut between two chunks is whole again once joined). */
  private flush(): void {
    if (this.used === 0) return;
    if (LITTLE_ENDIAN) this.pieces.push(Buffer.from(this.units.buffer, 0, this.used * 2).toString('utf16le'));
    else
      for (let i = 0; i < this.used; i += 8192)
        this.pieces.push(String.fromCharCode(...this.units.subarray(i, Math.min(this.used, i + 8192))));
    this.used = 0;
  }
}
