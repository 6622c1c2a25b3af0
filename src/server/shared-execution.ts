import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';

type Results = Map<string, Promise<ExecutionResult>>;

/**
 * graphql-js's `subscribe`, except that subscriptions with the same `key` share one execution of
 * their selection per event: an event of the hub is one object pushed to every subscriber it
 * matches, so the first subscriber to take it executes, the others of its key await that result.
 * With 1,000 subscribers of a few operations, an event costs a few executions (and their SQL)
 * instead of 1,000 (docs/performance.md, "Fan-out to 1,000 subscriptions"). The key must name
 * everything a result depends on (the document, the operation, the variables): the contexts of
 * WebSocket operations carry no client's identity, so any subscriber's context may run it.
 */
export class SharedExecution {
  /** Per event object, the result of each key: gone with the event once every subscriber took it. */
  private readonly byEvent = new WeakMap<object, Results>();

  async subscribe(args: ExecutionArgs, key: string): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const events = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in events)) return events;
    return mapEvents(events, (event) => this.resultOf(event, key, () => execute({ ...args, rootValue: event })));
  }

  private resultOf(event: unknown, key: string, run: () => ReturnType<typeof execute>): Promise<ExecutionResult> {
    if (typeof event !== 'object' || event === null) return Promise.resolve(run());
    let results = this.byEvent.get(event);
    if (!results) this.byEvent.set(event, (results = new Map<string, Promise<ExecutionResult>>()));
    let result = results.get(key);
    if (!result) results.set(key, (result = Promise.resolve(run())));
    return result;
  }
}

/**
 * `source` with each value mapped. Like graphql-js's own mapping, `return()` reaches the source at
 * once, even while a consumer waits for its next event: a client that ends its subscription frees
 * its place in the hub (and under its caps) then, not at the next event.
 */
function mapEvents<T, R>(source: AsyncIterable<T>, map: (value: T) => Promise<R>): AsyncIterableIterator<R> {
  const it = source[Symbol.asyncIterator]();
  const close = async () => {
    await it.return?.();
  };
  const mapped = async (r: IteratorResult<T>): Promise<IteratorResult<R>> => {
    if (r.done) return { value: undefined, done: true };
    try {
      return { value: await map(r.value), done: false };
    } catch (e) {
      await close().catch(() => undefined);
      throw e;
    }
  };
  const iterator: AsyncIterableIterator<R> = {
    next: async () => mapped(await it.next()),
    return: async () => {
      await close();
      return { value: undefined, done: true };
    },
    throw: async (e: unknown) => {
      if (it.throw) return mapped(await it.throw(e));
      await close();
      throw e;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator;
}
