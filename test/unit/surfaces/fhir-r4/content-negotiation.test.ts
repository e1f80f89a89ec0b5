import { isSimError } from '@gpsim/simulator/domain/errors';
import type { SimRequest } from '@gpsim/simulator/transport/types';
import { assertJsonAcceptable } from '@gpsim/simulator/surfaces/fhir-r4/content-negotiation';

function request(query: string, accept?: string): SimRequest {
  return {
    query: new URLSearchParams(query),
    headers: accept === undefined ? {} : { accept },
  } as unknown as SimRequest;
}

function refusal(candidate: SimRequest): string | undefined {
  try {
    assertJsonAcceptable(candidate);
    return undefined;
  } catch (error) {
    if (isSimError(error)) return error.code;
    throw error;
  }
}

describe('content negotiation on the UK Core R4 face (JSON only)', () => {
  it.each([
    ['no _format and no Accept', '', undefined],
    ['_format=json', '_format=json', undefined],
    ['_format=application/fhir+json sent with a raw +', '_format=application/fhir+json', undefined],
    ['Accept: application/fhir+json', '', 'application/fhir+json'],
    ['Accept: application/json', '', 'application/json'],
    ['Accept: */*', '', '*/*'],
    ['a browser Accept header', '', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
  ])('serves %s', (_name, query, accept) => {
    expect(refusal(request(query, accept))).toBeUndefined();
  });

  it.each([
    ['_format=xml', '_format=xml', undefined],
    ['_format=application/fhir+xml', '_format=application%2Ffhir%2Bxml', undefined],
    ['Accept: application/fhir+xml', '', 'application/fhir+xml'],
    ['JSON refused with q=0', '', 'application/fhir+json;q=0, application/fhir+xml'],
  ])('answers 406 for %s', (_name, query, accept) => {
    expect(refusal(request(query, accept))).toBe('not-acceptable');
  });

  it('lets _format win over Accept', () => {
    expect(refusal(request('_format=json', 'application/fhir+xml'))).toBeUndefined();
    expect(refusal(request('_format=xml', 'application/fhir+json'))).toBe('not-acceptable');
  });
});
