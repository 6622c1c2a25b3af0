import { EventQueue } from '../../src/graphql/live/event-queue';

// A subscriber's queue: events in order, bounded, ended by the client or by falling behind.

test('events come out in order, whether pushed before or while the consumer waits', async () => {
  const q = new EventQueue<number>(10, () => undefined);
  q.push(1);
  q.push(2);
  expect(await q.next()).toEqual({ value: 1, done: false });
  expect(await q.next()).toEqual({ value: 2, done: false });
  const waiting = q.next();
  q.push(3);
  expect(await waiting).toEqual({ value: 3, done: false });
});

test('a subscriber that falls behind gets what was queued, then an error naming the way to catch up', async () => {
  let ended = 0;
  const q = new EventQueue<number>(2, () => ended++);
  expect(q.push(1)).toBe(true);
  expect(q.push(2)).toBe(true);
  expect(q.push(3)).toBe(false);
  expect(ended).toBe(1);
  expect(await q.next()).toEqual({ value: 1, done: false });
  expect(await q.next()).toEqual({ value: 2, done: false });
  await expect(q.next()).rejects.toThrow(/fell 2 events behind.*changes\(after:\)/);
  expect(await q.next()).toEqual({ value: undefined, done: true });
  expect(q.push(4)).toBe(false);
});

test('return() ends a waiting consumer, drops what was queued, and tells the hub once', async () => {
  let ended = 0;
  const q = new EventQueue<number>(5, () => ended++);
  const waiting = q.next();
  await q.return();
  expect(await waiting).toEqual({ value: undefined, done: true });
  await q.return();
  expect(ended).toBe(1);
  expect(q.push(1)).toBe(false);
});
