import { PlaceholderError, fill } from '@gpsim/simulator/verify/verify-context';

describe('verify case placeholders', () => {
  const lookup = (name: string): string | undefined =>
    ({ ods: 'X84865', 'date+7': '2026-01-08', 'nhs.standard': '9990000018' })[name];

  it('fills every placeholder in a path, including names with + (date offsets)', () => {
    expect(fill('/{{ods}}/Slot?start=ge{{date+7}}&nhs={{ nhs.standard }}', lookup)).toBe(
      '/X84865/Slot?start=ge2026-01-08&nhs=9990000018',
    );
  });

  it('fills nested JSON bodies and leaves other values alone', () => {
    expect(fill({ parameter: [{ value: '{{nhs.standard}}', count: 3 }] }, lookup)).toEqual({
      parameter: [{ value: '9990000018', count: 3 }],
    });
  });

  it('names the placeholder the manifest cannot fill', () => {
    expect(() => fill('{{nhs.unknown-archetype}}', lookup)).toThrow(PlaceholderError);
    expect(() => fill('{{nhs.unknown-archetype}}', lookup)).toThrow('{{nhs.unknown-archetype}}');
  });
});
