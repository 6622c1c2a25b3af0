/**
 * One subscriber's events: pushed by the hub as they come, pulled by graphql-js one at a time.
 * Bounded: a subscriber that falls `max` events behind is ended with an error (it can catch up
 * through `changes(after:)`), so one slow socket cannot hold the server's memory.
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | null = null;
  private failing: ((e: Error) => void) | null = null;
  private ended = false;
  private error: Error | null = null;

  constructor(
    private readonly max: number,
    private readonly onEnd: () => void,
  ) {}

  /** False once the queue has ended (returned, failed or overflowed). */
  push(item: T): boolean {
    if (this.ended) return false;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failing = null;
      resolve({ value: item, done: false });
      return true;
    }
    if (this.items.length >= this.max) {
      this.fail(
        new Error(`this subscriber fell ${this.max} events behind and was dropped; catch up with changes(after:)`),
      );
      return false;
    }
    this.items.push(item);
    return true;
  }

  /** Ends the subscription with an error delivered after the events already queued. */
  fail(error: Error): void {
    if (this.ended) return;
    this.error = error;
    this.finish();
    if (this.failing && this.items.length === 0) {
      const reject = this.failing;
      this.waiting = this.failing = null;
      reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.error) {
      const e = this.error;
      this.error = null;
      return Promise.reject(e);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failing = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.error = null;
    this.finish();
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failing = null;
      resolve({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }
}
