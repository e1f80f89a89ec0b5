import { buildItkResponse, readItkMessage } from '@gpsim/simulator/domain/mesh/itk3';

/** ITK3 message handling (GPCM integration_itk3.md; ITK3 response codes 20013, 3000x). */
describe('ITK3 messages', () => {
  const handling = (bus: boolean) => ({
    url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-ITK-MessageHandling-2',
    extension: [
      { url: 'BusAckRequested', valueBoolean: bus },
      { url: 'InfAckRequested', valueBoolean: true },
    ],
  });

  it('reads the MessageHeader id, ack requests and NHS number of a JSON message bundle', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'message',
      entry: [
        { resource: { resourceType: 'MessageHeader', id: 'mh-1', extension: [handling(false)] } },
        {
          resource: {
            resourceType: 'Patient',
            identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' }],
          },
        },
      ],
    };
    expect(readItkMessage(Buffer.from(JSON.stringify(bundle)))).toEqual({
      messageHeaderId: 'mh-1',
      businessAckRequested: false,
      infrastructureAckRequested: true,
      nhsNumber: '9990000018',
    });
  });

  it('reads the MessageHeader id of an XML message bundle', () => {
    const xml = `<Bundle xmlns="http://hl7.org/fhir"><type value="message"/><entry><resource><MessageHeader><id value="mh-x"/></MessageHeader></resource></entry></Bundle>`;
    expect(readItkMessage(Buffer.from(xml))?.messageHeaderId).toBe('mh-x');
  });

  it('finds no message in a bundle that does not start with a MessageHeader, or in non-FHIR content', () => {
    expect(
      readItkMessage(Buffer.from('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}}]}')),
    ).toBeUndefined();
    expect(readItkMessage(Buffer.from('hello'))).toBeUndefined();
  });

  it('builds an ITK008M response naming the acknowledged MessageHeader and the response code', () => {
    const response = JSON.parse(
      buildItkResponse({ acknowledges: 'mh-1', code: '30002', senderMailbox: 'A12345OT001', now: new Date(0) }),
    ) as { entry: { resource: Record<string, unknown> }[] };
    expect(response.entry[0]?.resource).toMatchObject({
      resourceType: 'MessageHeader',
      event: { code: 'ITK008M' },
      response: { identifier: 'mh-1', code: 'fatal-error' },
    });
    expect(JSON.stringify(response.entry[1]?.resource)).toContain('"code":"30002"');
  });
});
