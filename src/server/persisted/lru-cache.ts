/**
 * Bounded LRU store for APQ (hash -> document text). Apollo's default is a 30 MiB LRU shared with
 * its other caches; this one is APQ's own, so registrations (which anyone may send) can only evict
 * each other. Sizes count UTF-8 bytes of key and value.
 */
export class BoundedLruCache {
  private readonly entries = new Map<string, string>();
  private bytes = 0;

  constructor(readonly maxBytes = 8 * 1024 * 1024) {}

  get size(): number {
    return this.entries.size;
  }

  private static cost(key: string, value: string): number {
    return Buffer.byteLength(key) + Buffer.byteLength(value);
  }

  async get(key: string): Promise<string | undefined> {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.delete(key);
    const cost = BoundedLruCache.cost(key, value);
    if (cost > this.maxBytes) return;
    this.entries.set(key, value);
    this.bytes += cost;
    for (const [oldest, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= BoundedLruCache.cost(oldest, v);
    }
  }

  async delete(key: string): Promise<boolean> {
    const value = this.entries.get(key);
    if (value === undefined) return false;
    this.entries.delete(key);
    this.bytes -= BoundedLruCache.cost(key, value);
    return true;
  }
}
