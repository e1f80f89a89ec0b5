import {
  CaptureSyntaxError,
  capture,
  checkCaptureExpression,
  evaluateJsonPath,
  savedNames,
} from '@gpsim/simulator/verify/capture';

describe('verify captures', () => {
  const bundle = {
    entry: [
      { resource: { resourceType: 'Schedule', id: 'schedule-1' } },
      { resource: { resourceType: 'Slot', id: 'slot-7', start: '2026-11-23T09:00:00+00:00' } },
      { resource: { resourceType: 'Slot', id: 'slot-8' } },
    ],
  };

  it('follows keys, indexes and the first element matching a filter', () => {
    expect(evaluateJsonPath(bundle, '$.entry[0].resource.id')).toBe('schedule-1');
    expect(evaluateJsonPath(bundle, "$.entry[?(@.resource.resourceType=='Slot')].resource.id")).toBe('slot-7');
    expect(evaluateJsonPath(bundle, "$.entry[?(@.resource.resourceType=='Patient')].resource.id")).toBeUndefined();
    expect(evaluateJsonPath(bundle, '$.entry[9].resource')).toBeUndefined();
    expect(evaluateJsonPath('not an object', '$.id')).toBeUndefined();
    expect(evaluateJsonPath(bundle, '$')).toBe(bundle);
  });

  it('refuses anything outside the subset instead of evaluating it', () => {
    for (const expression of ['entry.id', '$..id', '$.entry[*].id', "$.entry[?(@.a=='x' || true)]", '$.a()']) {
      expect(() => checkCaptureExpression(expression)).toThrow(CaptureSyntaxError);
    }
    expect(() => checkCaptureExpression('header:ETag')).not.toThrow();
    expect(() => checkCaptureExpression('header:')).toThrow(CaptureSyntaxError);
  });

  it('saves text values and headers, and names each capture that found nothing', () => {
    const headers = new Headers({ ETag: 'W/"1"' });
    expect(capture({ id: '$.id', etag: 'header:ETag', n: '$.n' }, { headers, json: { id: 'a-1', n: 3 } })).toEqual({
      values: { id: 'a-1', etag: 'W/"1"', n: '3' },
      messages: [],
    });
    const missing = capture({ id: '$.id', location: 'header:Location', whole: '$' }, { headers, json: { other: 1 } });
    expect(missing.values).toEqual({});
    expect(missing.messages).toEqual([
      'capture id: $.id found nothing',
      'capture location: header:Location found nothing',
      'capture whole: $ found a value that is not text',
    ]);
  });

  it('lists the saved values a case uses', () => {
    expect(
      savedNames({
        path: '/Appointment/{{saved.appointmentId}}',
        headers: { 'If-Match': '{{ saved.etag }}' },
        x: '{{ods}}',
      }),
    ).toEqual(['appointmentId', 'etag']);
  });
});
