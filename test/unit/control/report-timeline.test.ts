import { buildTimeline } from '@gpsim/simulator/control/client-report';
import type { JournalEntry } from '@gpsim/simulator/control/journal';

let seq = 0;
function at(time: string, status: number, latencyMs: number, surface: JournalEntry['surface'] = 'emis'): JournalEntry {
  return {
    seq: ++seq,
    time,
    node: 's11',
    surface,
    method: 'POST',
    path: '/emis/x',
    query: '',
    status,
    latencyMs,
    clientId: 'app',
    traceId: 't',
    ods: undefined,
    interaction: undefined,
  };
}

describe('report timeline', () => {
  it('is empty before any client traffic; control and console calls do not count', () => {
    expect(buildTimeline([at('2026-01-01T10:00:00.000Z', 200, 1, 'control')]).buckets).toEqual([]);
  });

  it('slices a run into at most 60 equal slices, counting failures (5xx, 429, no answer) and latency per slice', () => {
    const entries = [
      at('2026-01-01T10:00:00.100Z', 200, 10),
      at('2026-01-01T10:00:00.900Z', 200, 30),
      at('2026-01-01T10:00:02.000Z', 503, 1),
      at('2026-01-01T10:00:02.500Z', 429, 1),
      at('2026-01-01T10:00:02.600Z', 0, 5000),
      at('2026-01-01T10:00:02.700Z', 404, 2),
    ];
    const { bucketSeconds, buckets } = buildTimeline(entries);
    expect(bucketSeconds).toBe(1);
    expect(buckets.map((bucket) => [bucket.start.slice(11, 19), bucket.requests, bucket.failures])).toEqual([
      ['10:00:00', 2, 0],
      ['10:00:01', 0, 0],
      ['10:00:02', 4, 3],
    ]);
    expect(buckets[0]?.latencyMs).toEqual({ p50: 10, p95: 30, p99: 30 });
  });

  it('widens the slices for a long run (two hours in five-minute slices)', () => {
    const { bucketSeconds, buckets } = buildTimeline([
      at('2026-01-01T10:00:00.000Z', 200, 1),
      at('2026-01-01T12:00:00.000Z', 200, 1),
    ]);
    expect(bucketSeconds).toBe(300);
    expect(buckets).toHaveLength(25);
  });
});
