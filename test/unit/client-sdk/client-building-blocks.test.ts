import { createHmac } from 'node:crypto';
import type { TcpSocket } from '@gpsim/client';
import {
  auditJwt,
  meshAuthorization,
  migrateRecordParameters,
  parseXml,
  structuredRecordParameters,
  tcpFetch,
  toXml,
  toXmlObject,
} from '@gpsim/client';
import { chunksOf, gzip } from '@gpsim/client/mesh/chunks';
import { gunzipSync } from 'node:zlib';
import { consumerIdentity } from '../../support/sdk-clients';

const decodePart = (part: string) =>
  JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('GP Connect audit JWT (GPC integration_cross_organisation_audit_and_provenance.md)', () => {
  it('is unsigned (alg none, empty signature) with exp exactly iat + 300 and sub = requesting_practitioner.id', () => {
    const token = auditJwt(
      consumerIdentity,
      'https://provider.example/A1/STU3/1/gpconnect',
      'patient/*.read',
      1_700_000_000_500,
    );
    const [header, payload, signature] = token.split('.');
    expect(decodePart(header as string)).toEqual({ alg: 'none', typ: 'JWT' });
    expect(signature).toBe('');
    const claims = decodePart(payload as string);
    expect(claims).toMatchObject({
      iss: consumerIdentity.issuer,
      aud: 'https://provider.example/A1/STU3/1/gpconnect',
      iat: 1_700_000_000,
      exp: 1_700_000_300,
      reason_for_request: 'directcare',
      requested_scope: 'patient/*.read',
      sub: '10019',
      requesting_practitioner: { resourceType: 'Practitioner', id: '10019' },
      requesting_organization: {
        identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'A1001' }],
      },
    });
  });

  it('says reason_for_request "migration" and carries the conf/R suffix when a migration asks for it', () => {
    const token = auditJwt(
      consumerIdentity,
      'https://provider.example/A1/STU3/1/gpconnect',
      'patient/*.read conf/R',
      1_700_000_000_500,
      'migration',
    );
    const claims = decodePart(token.split('.')[1] as string);
    expect(claims).toMatchObject({ reason_for_request: 'migration', requested_scope: 'patient/*.read conf/R' });
  });
});

describe('NHSMESH authorization header (MESH API spec, Authentication)', () => {
  it('signs mailbox:nonce:nonce_count:password:timestamp with HMAC-SHA256 under the shared secret', async () => {
    const credentials = { mailboxId: 'X26OT001', password: 'password', sharedSecret: 'TestKey' };
    const header = await meshAuthorization(credentials, new Date('2026-03-04T05:06:59Z'));
    const match = /^NHSMESH (\w+):([0-9a-f-]{36}):1:(\d{12}):([0-9a-f]{64})$/.exec(header);
    expect(match?.[1]).toBe('X26OT001');
    expect(match?.[3]).toBe('202603040506');
    const expected = createHmac('sha256', 'TestKey')
      .update(`X26OT001:${match?.[2] ?? ''}:1:password:202603040506`)
      .digest('hex');
    expect(match?.[4]).toBe(expected);
  });

  it('uses a fresh nonce each time, so a retry never replays a token', async () => {
    const credentials = { mailboxId: 'X26OT001', password: 'p', sharedSecret: 's' };
    const at = new Date();
    expect(await meshAuthorization(credentials, at)).not.toBe(await meshAuthorization(credentials, at));
  });
});

describe('MESH chunking', () => {
  const collect = async (source: AsyncIterable<Uint8Array>) => {
    const sizes: number[] = [];
    for await (const chunk of source) sizes.push(chunk.length);
    return sizes;
  };

  it('regroups a stream of odd-sized pieces into chunks of exactly chunkSize, the last one shorter', async () => {
    async function* pieces() {
      for (const size of [3, 10, 1, 7]) yield new Uint8Array(size);
    }
    expect(await collect(chunksOf({ stream: pieces(), size: 21 }, 8))).toEqual([8, 8, 5]);
  });

  it('sends an empty message as one empty chunk', async () => {
    expect(await collect(chunksOf('', 8))).toEqual([0]);
  });

  it('gzips chunks into members whose concatenation is one gzip file (RFC 1952 §2.2)', async () => {
    const whole = Buffer.concat([
      Buffer.from(await gzip(new Uint8Array(Buffer.from('hello ')))),
      Buffer.from(await gzip(new Uint8Array(Buffer.from('world')))),
    ]);
    expect(gunzipSync(whole).toString()).toBe('hello world');
  });
});

describe('structured record Parameters', () => {
  it('builds patientNHSNumber first, then each area with its parts (GPC retrieve patient record)', () => {
    expect(
      structuredRecordParameters({
        nhsNumber: '9990000018',
        allergies: { includeResolved: true },
        consultations: { mostRecent: 3 },
      }),
    ).toEqual({
      resourceType: 'Parameters',
      parameter: [
        {
          name: 'patientNHSNumber',
          valueIdentifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' },
        },
        { name: 'includeAllergies', part: [{ name: 'includeResolvedAllergies', valueBoolean: true }] },
        { name: 'includeConsultations', part: [{ name: 'includeNumberOfMostRecent', valuePositiveInt: 3 }] },
      ],
    });
  });

  it('sends an area with no parts as the bare parameter name', () => {
    const { parameter } = structuredRecordParameters({ nhsNumber: '9990000018', problems: {} });
    expect(parameter?.[1]).toEqual({ name: 'includeProblems' });
  });
});

describe('migrate structured record Parameters (GPC migrate patient record)', () => {
  it('sends patientNHSNumber alone when the full record is not wanted', () => {
    expect(migrateRecordParameters({ nhsNumber: '9990000018' }).parameter).toEqual([
      {
        name: 'patientNHSNumber',
        valueIdentifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' },
      },
    ]);
  });

  it('sends includeFullRecord with its mandatory includeSensitiveInformation part', () => {
    const { parameter } = migrateRecordParameters({ nhsNumber: '9990000018', fullRecord: { includeSensitive: false } });
    expect(parameter?.[1]).toEqual({
      name: 'includeFullRecord',
      part: [{ name: 'includeSensitiveInformation', valueBoolean: false }],
    });
  });
});

describe('XML', () => {
  it('round-trips elements, attributes, element text beside attributes, and escapes', () => {
    const xml = toXml('Event', {
      '@DateTime': '2026-01-01T10:00:00',
      Narrative: { Line: ['a < b', 'c & d'] },
      Value: { '@Units': 'kg', '#text': '72' },
    });
    const parsed = parseXml(xml);
    expect(parsed.attributes).toEqual({ DateTime: '2026-01-01T10:00:00' });
    expect(parsed.children[0]?.children.map((line) => line.text)).toEqual(['a < b', 'c & d']);
    expect(parsed.children[1]).toMatchObject({ name: 'Value', attributes: { Units: 'kg' }, text: '72' });
  });

  it('reads an element into the contracts\' plain form: leaf text, "@Attribute", "#text", repeated names as arrays', () => {
    const parsed = parseXml(
      '<Response><Clinical/><Event DateTime="2026-01-01"><Line>a</Line><Line>b</Line></Event><Value Units="kg">72</Value></Response>',
    );
    expect(toXmlObject(parsed)).toEqual({
      Clinical: '',
      Event: { '@DateTime': '2026-01-01', Line: ['a', 'b'] },
      Value: { '@Units': 'kg', '#text': '72' },
    });
  });

  it('refuses a document whose elements do not close', () => {
    expect(() => parseXml('<A><B></A>')).toThrow(SyntaxError);
  });
});

describe('tcpFetch', () => {
  /** A socket that answers whatever it is sent with `reply`, split into `pieces` writes. */
  function fakeSocket(reply: Uint8Array, pieces: number, written: Uint8Array[]): TcpSocket {
    let onData: (bytes: Uint8Array) => void = () => undefined;
    return {
      write: (bytes) => {
        written.push(bytes);
        const size = Math.ceil(reply.length / pieces);
        for (let offset = 0; offset < reply.length; offset += size) onData(reply.subarray(offset, offset + size));
      },
      onData: (listener) => (onData = listener),
      onClose: () => undefined,
      close: () => undefined,
    };
  }
  const document = '<ClientIntegrationResponse><ResponseUID>1</ResponseUID></ClientIntegrationResponse>';

  it('length-prefixed: writes a 4-byte big-endian length then the document, and reads the reply by its prefix', async () => {
    const body = Buffer.from(document);
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(body.length);
    const written: Uint8Array[] = [];
    const reply = new Uint8Array(Buffer.concat([prefix, body]));
    const fetchOverTcp = tcpFetch('length-prefixed', () => Promise.resolve(fakeSocket(reply, 3, written)));
    const response = await fetchOverTcp('tcp://127.0.0.1:2135/', { method: 'POST', body: '<Request/>' });
    expect(Buffer.from(written[0] as Uint8Array).readUInt32BE(0)).toBe('<Request/>'.length);
    expect(await response.text()).toBe(document);
  });

  it('read-until-idle: writes the bare document and reads until the response root closes', async () => {
    const written: Uint8Array[] = [];
    const fetchOverTcp = tcpFetch('read-until-idle', () =>
      Promise.resolve(fakeSocket(new Uint8Array(Buffer.from(document)), 4, written)),
    );
    const response = await fetchOverTcp('tcp://127.0.0.1:2135/', { method: 'POST', body: '<Request/>' });
    expect(written).toHaveLength(1);
    expect(await response.text()).toBe(document);
  });
});
