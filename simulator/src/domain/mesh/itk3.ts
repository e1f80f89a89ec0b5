import { randomUUID } from 'node:crypto';
import { NHS_NUMBER_SYSTEM } from '../nhs-number';

/**
 * The parts of an ITK3 FHIR STU3 message Bundle (ITK-Message-Bundle-1) a receiving practice needs:
 * the MessageHeader id its acks refer to, the handling extension's ack requests, and the patient
 * (GPCM Send Document; domain.md §1.10). JSON and XML encodings are both read.
 */
export interface ItkMessage {
  messageHeaderId: string;
  businessAckRequested: boolean;
  infrastructureAckRequested: boolean;
  nhsNumber?: string;
}

const HANDLING_EXTENSION = 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-ITK-MessageHandling-2';
export const ITK_RESPONSE_CODES = 'https://fhir.nhs.uk/STU3/CodeSystem/ITK-ResponseCodes-1';

/** ITK3 response codes (ITK3 explore_response_codes.md). */
export const itkResponseCodes = {
  '10009': 'Unable to read the message',
  '20013': 'Success',
  '30001': 'Patient known here',
  '30002': 'Patient not known here',
  '30003': 'Patient no longer at this clinical setting',
} as const;
export type ItkResponseCode = keyof typeof itkResponseCodes;

export function readItkMessage(content: Buffer): ItkMessage | undefined {
  const text = content.toString('utf8').trim();
  return text.startsWith('<') ? readXml(text) : readJson(text);
}

interface JsonResource {
  resourceType?: string;
  id?: string;
  identifier?: { system?: string; value?: string }[];
  extension?: { url?: string; extension?: { url?: string; valueBoolean?: boolean }[] }[];
}

function readJson(text: string): ItkMessage | undefined {
  let bundle: { resourceType?: string; entry?: { resource?: JsonResource }[] };
  try {
    bundle = JSON.parse(text) as typeof bundle;
  } catch {
    return undefined;
  }
  if (bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) return undefined;
  const resources = bundle.entry.map((entry) => entry.resource ?? {});
  const header = resources[0];
  if (header?.resourceType !== 'MessageHeader' || !header.id) return undefined;
  const handling = header.extension?.find((extension) => extension.url === HANDLING_EXTENSION)?.extension ?? [];
  const flag = (url: string): boolean => handling.find((item) => item.url === url)?.valueBoolean !== false;
  const patient = resources.find((resource) => resource.resourceType === 'Patient');
  const nhsNumber = patient?.identifier?.find((identifier) => identifier.system === NHS_NUMBER_SYSTEM)?.value;
  return {
    messageHeaderId: header.id,
    businessAckRequested: flag('BusAckRequested'),
    infrastructureAckRequested: flag('InfAckRequested'),
    ...(nhsNumber ? { nhsNumber } : {}),
  };
}

function readXml(text: string): ItkMessage | undefined {
  const header = /<MessageHeader[^>]*>\s*<id value="([^"]+)"/.exec(text);
  if (!header?.[1]) return undefined;
  const flag = (name: string): boolean =>
    !new RegExp(`<url value="${name}"\\s*/>\\s*<valueBoolean value="false"`).test(text);
  const nhsNumber = new RegExp(`<system value="${NHS_NUMBER_SYSTEM}"\\s*/>\\s*<value value="(\\d{10})"`).exec(text);
  return {
    messageHeaderId: header[1],
    businessAckRequested: flag('BusAckRequested'),
    infrastructureAckRequested: flag('InfAckRequested'),
    ...(nhsNumber?.[1] ? { nhsNumber: nhsNumber[1] } : {}),
  };
}

/**
 * An ITK3 response message: a MessageHeader (event ITK008M) whose response names the message
 * acknowledged, and an OperationOutcome carrying the ITK response code.
 */
export function buildItkResponse(input: {
  acknowledges: string;
  code: ItkResponseCode;
  senderMailbox: string;
  now: Date;
}): string {
  const headerId = randomUUID();
  const success = input.code === '20013' || input.code === '30001';
  return JSON.stringify({
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/ITK-Message-Bundle-1'] },
    identifier: { system: 'https://tools.ietf.org/html/rfc4122', value: randomUUID() },
    type: 'message',
    entry: [
      {
        fullUrl: `urn:uuid:${headerId}`,
        resource: {
          resourceType: 'MessageHeader',
          id: headerId,
          meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/ITK-MessageHeader-2'] },
          event: {
            system: 'https://fhir.nhs.uk/STU3/CodeSystem/ITK-MessageEvent-2',
            code: 'ITK008M',
            display: 'ITK Response',
          },
          timestamp: input.now.toISOString(),
          source: { endpoint: input.senderMailbox },
          response: { identifier: input.acknowledges, code: success ? 'ok' : 'fatal-error' },
        },
      },
      {
        resource: {
          resourceType: 'OperationOutcome',
          issue: [
            {
              severity: success ? 'information' : 'error',
              code: success ? 'informational' : 'processing',
              details: {
                coding: [{ system: ITK_RESPONSE_CODES, code: input.code, display: itkResponseCodes[input.code] }],
              },
            },
          ],
        },
      },
    ],
  });
}
