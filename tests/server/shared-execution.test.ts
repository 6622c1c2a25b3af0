import { buildSchema, GraphQLError, parse, type ExecutionResult } from 'graphql';
import { EventQueue } from '../../src/graphql/live/event-queue';
import { SharedExecution } from '../../src/server/shared-execution';

// SharedExecution over a bare schema: each subscriber's events come from its own queue, as from the
// hub, which pushes one event object to every subscriber it matches.

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Tick { value: Int! }
  type Subscription { tick(times: Int): Tick! }
`);
let executions = 0;
const tick = schema.getSubscriptionType()!.getFields().tick;
const subscribeToQueue = (_root: unknown, _args: unknown, context: { events: EventQueue<{ n: number }> }) =>
  context.events;
tick.subscribe = subscribeToQueue;
tick.resolve = (event: { n: number }, args: { times?: number }) => {
  executions++;
  return { value: event.n * (args.times ?? 1) };
};
const document = parse('subscription($times: Int) { tick(times: $times) { value } }');

function subscriber(shared: SharedExecution, times: number) {
  let ended = 0;
  const events = new EventQueue<{ n: number }>(10, () => ended++);
  const variableValues = { times };
  const results = shared.subscribe(
    { schema, document, variableValues, contextValue: { events } },
    JSON.stringify(variableValues),
  ) as Promise<AsyncIterableIterator<ExecutionResult>>;
  return { events, results, ended: () => ended };
}

/** The next result, or 'pending' if none is there after the queued work ran. */
async function nextOrPending(it: AsyncIterableIterator<ExecutionResult>) {
  const pending = new Promise<'pending'>((r) => setTimeout(() => r('pending'), 20));
  return Promise.race([it.next().then((r) => r.value), pending]);
}

beforeEach(() => (executions = 0));

test('subscribers of one key share an execution per event; each gets each event once', async () => {
  const shared = new SharedExecution();
  const subs = [subscriber(shared, 1), subscriber(shared, 1), subscriber(shared, 1), subscriber(shared, 10)];
  const its = await Promise.all(subs.map((s) => s.results));
  for (const n of [1, 2]) {
    const event = { n };
    for (const s of subs) s.events.push(event);
    const got = await Promise.all(its.map((it) => it.next()));
    expect(got.map((r) => r.value)).toEqual([
      { data: { tick: { value: n } } },
      { data: { tick: { value: n } } },
      { data: { tick: { value: n } } },
      { data: { tick: { value: 10 * n } } },
    ]);
  }
  expect(executions).toBe(4); // two events, two keys
  expect(await nextOrPending(its[0])).toBe('pending');
  // An equal event that is another object is another event.
  for (const s of subs.slice(1, 3)) s.events.push({ n: 3 });
  await Promise.all(its.slice(1, 3).map((it) => it.next()));
  expect(executions).toBe(6);
});

test('return() ends the source at once, even while the subscriber waits for an event', async () => {
  const shared = new SharedExecution();
  const s = subscriber(shared, 1);
  const it = await s.results;
  const waiting = it.next();
  await it.return!();
  expect(s.ended()).toBe(1); // the hub has dropped it: its place is free
  expect(await waiting).toEqual({ value: undefined, done: true });
  expect(s.events.push({ n: 1 })).toBe(false);
});

test('a subscription the source refuses is a result with its error, as graphql-js gives it', async () => {
  const shared = new SharedExecution();
  tick.subscribe = () => {
    throw new GraphQLError('full', { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } });
  };
  try {
    const refused = await shared.subscribe({ schema, document, contextValue: {} }, 'k');
    expect(Symbol.asyncIterator in refused).toBe(false);
    expect((refused as ExecutionResult).errors?.map((e) => [e.message, e.extensions.code])).toEqual([
      ['full', 'TOO_MANY_SUBSCRIPTIONS'],
    ]);
  } finally {
    tick.subscribe = subscribeToQueue;
  }
});
