import { SimError } from '../../domain/errors';
import type { SimRequest } from '../../transport/types';

const jsonTypes = new Set(['application/fhir+json', 'application/json+fhir', 'application/json', 'json']);
const xmlTypes = new Set(['application/fhir+xml', 'application/xml+fhir', 'application/xml', 'xml']);

function mediaOf(value: string): string {
  // A literal "+" in a query string decodes to a space.
  return (value.split(';')[0] ?? '').trim().toLowerCase().replace(/ /g, '+');
}

function unsupported(what: string): SimError {
  return new SimError(
    'unsupported-media-type',
    `${what} is not supported: this provider reads and writes application/fhir+json and application/fhir+xml. Send one of them (charset=utf-8) in Content-Type, Accept or _format.`,
  );
}

export type GpcFormat = 'json' | 'xml';

function checkBody(media: string, what: string): void {
  if (!jsonTypes.has(media) && !xmlTypes.has(media)) throw unsupported(what);
}

/** True when a POST/PUT body is FHIR XML (read with stu3-xml-reader) rather than JSON. */
export function hasXmlBody(request: SimRequest): boolean {
  const contentType = request.headers['content-type'];
  return contentType !== undefined && xmlTypes.has(mediaOf(contentType));
}

function formatOf(media: string, what: string): GpcFormat {
  if (jsonTypes.has(media)) return 'json';
  if (xmlTypes.has(media)) return 'xml';
  throw unsupported(what);
}

/**
 * GP Connect content negotiation (GPC development_general_api_guidance.md): a POST or PUT needs a
 * FHIR Content-Type; the answer's format must be one this provider writes. Anything else is 415.
 */
export function assertGpcContentTypes(request: SimRequest): void {
  const contentType = request.headers['content-type'];
  if (request.method === 'POST' || request.method === 'PUT') {
    if (contentType === undefined || contentType.trim() === '') {
      throw new SimError(
        'unsupported-media-type',
        'A Content-Type header is required: send application/fhir+json;charset=utf-8.',
      );
    }
    checkBody(mediaOf(contentType), `Content-Type ${contentType}`);
  }
  responseFormat(request);
}

/**
 * The answer's format (domain.md §1.2: JSON SHALL, XML SHOULD): `_format` overrides Accept; with
 * neither, the request Content-Type; none at all → JSON. Throws 415 for anything else.
 */
export function responseFormat(request: SimRequest): GpcFormat {
  const format = request.query.get('_format');
  if (format !== null) return formatOf(mediaOf(format), `_format=${format}`);
  const accept = request.headers['accept'];
  if (accept !== undefined && accept.trim() !== '') {
    const ranges = accept.split(',').map(mediaOf);
    // The first FHIR type named wins; a wildcard alone means the default, JSON.
    const named = ranges.find((media) => jsonTypes.has(media) || xmlTypes.has(media));
    if (named !== undefined) return formatOf(named, `Accept ${accept}`);
    if (ranges.some((media) => media === '*/*' || media === 'application/*')) return 'json';
    return formatOf(ranges[0] ?? '', `Accept ${accept}`);
  }
  const contentType = request.headers['content-type'];
  if (contentType !== undefined && contentType.trim() !== '') {
    const media = mediaOf(contentType);
    if (xmlTypes.has(media)) return 'xml';
  }
  return 'json';
}
