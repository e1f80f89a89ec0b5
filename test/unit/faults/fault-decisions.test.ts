import { literalPrefix, pathPattern } from '@gpsim/simulator/faults/fault-matcher';
import { latencyMs } from '@gpsim/simulator/faults/fault-plan';
import { uniformDraw } from '@gpsim/simulator/faults/fault-random';
import { malformedBody } from '@gpsim/simulator/faults/body-shaping';

describe('fault decisions', () => {
  it('draws the same value for the same seed, ordinal and purpose, and different ones otherwise', () => {
    const draws = Array.from({ length: 100 }, (_, ordinal) => uniformDraw('seed-a', ordinal, 'decision'));
    expect(Array.from({ length: 100 }, (_, ordinal) => uniformDraw('seed-a', ordinal, 'decision'))).toEqual(draws);
    expect(uniformDraw('seed-b', 0, 'decision')).not.toBe(draws[0]);
    expect(uniformDraw('seed-a', 0, 'latency')).not.toBe(draws[0]);
    expect(draws.every((draw) => draw > 0 && draw < 1)).toBe(true);
    const mean = draws.reduce((sum, draw) => sum + draw, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.4);
    expect(mean).toBeLessThan(0.6);
  });

  it('keeps uniform latency inside its bounds and log-normal latency around its median, capped', () => {
    const uniform = Array.from({ length: 200 }, (_, i) =>
      latencyMs({ kind: 'latency', dist: 'uniform', minMs: 100, maxMs: 300 }, 's', i),
    );
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...uniform)).toBeLessThanOrEqual(300);
    const lognormal = Array.from({ length: 401 }, (_, i) =>
      latencyMs({ kind: 'latency', dist: 'lognormal', medianMs: 1000, sigma: 0.5, maxMs: 5000 }, 's', i),
    ).sort((a, b) => a - b);
    expect(lognormal[200]).toBeGreaterThan(800);
    expect(lognormal[200]).toBeLessThan(1250);
    expect(Math.max(...lognormal)).toBeLessThanOrEqual(5000);
  });

  it.each([
    ['/fhir/R4/*', '/fhir/R4/metadata', true],
    ['/fhir/R4/*', '/fhir/R4/Patient/123', false],
    ['/fhir/R4/**', '/fhir/R4/Patient/123', true],
    ['/A12345/STU3/1/gpconnect/**', '/A12345/STU3/1/gpconnect/fhir/Patient', true],
    ['/fhir/R4/Patient.x', '/fhir/R4/PatientAx', false],
  ])('path pattern %s matches %s: %s', (pattern, path, expected) => {
    expect(pathPattern(pattern).test(path)).toBe(expected);
  });

  it.each([
    ['/fhir/R4/Patient/7/*', '/fhir/R4/Patient/7/'],
    ['/fhir/R4/**', '/fhir/R4/'],
    ['/fhir/R4/metadata', '/fhir/R4/metadata'],
    ['**', ''],
  ])('path pattern %s can only match paths starting %s', (pattern, prefix) => {
    expect(literalPrefix(pattern)).toBe(prefix);
  });

  it('corrupts a body without changing its length, so the client fails to parse, not to read', () => {
    const body = Buffer.from(JSON.stringify({ resourceType: 'Patient', id: 'abc', name: [{ family: 'Smith' }] }));
    const corrupt = malformedBody(body);
    expect(corrupt.length).toBe(body.length);
    expect(() => JSON.parse(corrupt.toString('utf8')) as unknown).toThrow();
  });
});
