// A string built from UTF-16 code units written into one reusable buffer, then decoded once: the
// import's text passes (search tokens, story text) emit thousands of short pieces a post, and a
// slice per piece plus a join cost them most of their time and the collector most of its work.

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Buffers up to this many units are kept for the next text; a larger one is dropped after use. */
const KEPT_UNITS = 1 << 20;

export class UnitWriter {
  private units = new Uint16Array(4096);
  /** Units written so far. */
  length = 0;

  /** Starts a new string of at most `capacity` units. */
  reset(capacity: number): void {
    if (capacity > this.units.length)
      this.units = new Uint16Array(Math.max(capacity, Math.min(2 * this.units.length, KEPT_UNITS)));
    else if (this.units.length > KEPT_UNITS && capacity <= KEPT_UNITS)
      this.units = new Uint16Array(Math.max(capacity, 4096));
    this.length = 0;
  }

  push(unit: number): void {
    this.units[this.length++] = unit;
  }

  /** The units of `s` from `start` to `end` (end excluded). */
  copy(s: string, start: number, end: number): void {
    const u = this.units;
    let n = this.length;
    for (let i = start; i < end; i++) u[n++] = s.charCodeAt(i);
    this.length = n;
  }

  toString(): string {
    if (this.length === 0) return '';
    if (LITTLE_ENDIAN) return Buffer.from(this.units.buffer, 0, this.length * 2).toString('utf16le');
    let out = '';
    for (let i = 0; i < this.length; i += 8192)
      out += String.fromCharCode(...this.units.subarray(i, Math.min(this.length, i + 8192)));
    return out;
  }
}
