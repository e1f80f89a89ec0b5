import { SimClock } from '@gpsim/simulator/domain/clock';
import { SpineStatus } from '@gpsim/simulator/domain/spine';
import { FaultEngine } from '@gpsim/simulator/faults/fault-engine';
import { openEmbeddedStore } from '@gpsim/simulator/store/open-store';
import type { SqliteStore } from '@gpsim/simulator/store/sqlite/sqlite-store';

const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

describe('fault delays', () => {
  let store: SqliteStore;
  let faults: FaultEngine;
  beforeEach(() => {
    store = openEmbeddedStore('memory', '');
    faults = new FaultEngine(
      store.faults,
      new SimClock(),
      new SpineStatus(),
      () => ['s11'],
      () => undefined,
    );
  });
  afterEach(async () => {
    faults.shutdown();
    await store.close();
  });

  it('holds a burst of delayed requests on shared timers, and wakes none before its delay', async () => {
    const before = timers();
    const started = performance.now();
    const woken = Array.from({ length: 200 }, () =>
      faults.sleep(30).then((outcome) => ({ outcome, at: performance.now() })),
    );
    // The 200 delays end within a few milliseconds of each other (more on a busy machine): a timer per
    // millisecond, so a handful, where a timer per request would make 200.
    const during = timers();
    expect(during - before).toBeGreaterThan(0);
    expect(during - before).toBeLessThanOrEqual(20);
    const results = await Promise.all(woken);
    expect(results.every(({ outcome }) => outcome === 'elapsed')).toBe(true);
    // Node's timers count whole milliseconds, so a wake-up may come up to 1 ms short of the fraction.
    expect(Math.min(...results.map(({ at }) => at - started))).toBeGreaterThanOrEqual(29);
    expect(timers()).toBeLessThan(during);
  });

  it('wakes delays of different lengths in order, each after its own delay', async () => {
    const started = performance.now();
    const order: number[] = [];
    await Promise.all(
      [50, 10, 30].map((ms) =>
        faults.sleep(ms).then(() => {
          expect(performance.now() - started).toBeGreaterThanOrEqual(ms - 1);
          order.push(ms);
        }),
      ),
    );
    expect(order).toEqual([10, 30, 50]);
  });

  it('ends every pending delay as aborted on shutdown, leaving no timer behind', async () => {
    const before = timers();
    const pending = [faults.sleep(60_000), faults.sleep(60_000), faults.sleep(120_000)];
    expect(timers()).toBeGreaterThan(before);
    faults.shutdown();
    expect(await Promise.all(pending)).toEqual(['aborted', 'aborted', 'aborted']);
    expect(timers()).toBe(before);
  });
});
