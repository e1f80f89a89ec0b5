import { addDuration } from '@gpsim/simulator/domain/durations';
import { SimError } from '@gpsim/simulator/domain/errors';

const start = Date.UTC(2026, 0, 31, 12, 0, 0);

describe('ISO 8601 durations', () => {
  it.each([
    ['P30D', Date.UTC(2026, 2, 2, 12)],
    ['PT2H30M', Date.UTC(2026, 0, 31, 14, 30)],
    ['PT0.5S', start + 500],
    ['P1W', Date.UTC(2026, 1, 7, 12)],
    ['-PT1H', Date.UTC(2026, 0, 31, 11)],
    ['P1Y', Date.UTC(2027, 0, 31, 12)],
  ])('adds %s', (duration, expected) => {
    expect(addDuration(start, duration)).toBe(expected);
  });

  it('steps months on the calendar: P1M from 31 January lands on the last day of February', () => {
    expect(new Date(addDuration(start, 'P1M')).toISOString()).toBe('2026-02-28T12:00:00.000Z');
  });

  it('accepts milliseconds as a number', () => {
    expect(addDuration(start, 1500)).toBe(start + 1500);
  });

  it.each(['P', 'PT', '30D', 'P1.5M', 'banana', 'P1DT'])('rejects %s with a message naming the field', (bad) => {
    expect(() => addDuration(start, bad, 'advance')).toThrow(SimError);
    expect(() => addDuration(start, bad, 'advance')).toThrow(/advance/);
  });
});
