import { ImportPacer } from '../../src/db/import-pacer';

/** A pacer on a clock the test moves: sleeping moves it by the time slept. */
function paced(dutyCycle: number) {
  let t = 0;
  const slept: number[] = [];
  const pacer = new ImportPacer(
    dutyCycle,
    () => t,
    async (ms) => {
      slept.push(ms);
      t += ms;
    },
  );
  return { pacer, slept, work: (ms: number) => (t += ms) };
}

test('rests in proportion to the work since the last rest: as long as it worked at 0.5, three times as long at 0.25', async () => {
  const half = paced(0.5);
  half.work(100);
  expect(await half.pacer.rest()).toBe(100);
  half.work(40);
  expect(await half.pacer.rest()).toBe(40);
  expect(half.slept).toEqual([100, 40]);

  const quarter = paced(0.25);
  quarter.work(100);
  await quarter.pacer.rest();
  quarter.work(10);
  await quarter.pacer.rest();
  expect(quarter.slept).toEqual([300, 30]);
});

test('a duty cycle of 1 never rests; nor does a rest under a millisecond', async () => {
  const full = paced(1);
  full.work(5000);
  expect(await full.pacer.rest()).toBe(0);
  const fine = paced(0.9);
  fine.work(5);
  expect(await fine.pacer.rest()).toBe(0);
  expect([...full.slept, ...fine.slept]).toEqual([]);
});

test.each([0, -0.5, 1.5, Number.NaN])('a duty cycle of %p is refused', (d) => {
  expect(() => new ImportPacer(d)).toThrow(/above 0 and at most 1/);
});

test('an abort (SIGTERM) ends a rest at once, and an aborted import does not start one', async () => {
  let t = 0;
  const pacer = new ImportPacer(0.5, () => t);
  t = 60 * 60 * 1000; // an hour of work: an hour of rest, on the real timer
  const abort = new AbortController();
  const resting = pacer.rest(abort.signal);
  abort.abort();
  await expect(resting).resolves.toEqual(expect.any(Number));
  t *= 2;
  await expect(pacer.rest(abort.signal)).resolves.toBe(0);
});

test('a failing sleep that is not an abort is not swallowed', async () => {
  const pacer = new ImportPacer(
    0.5,
    (() => {
      let t = 0;
      return () => (t += 100);
    })(),
    () => Promise.reject(new Error('timer broke')),
  );
  await expect(pacer.rest()).rejects.toThrow('timer broke');
});
