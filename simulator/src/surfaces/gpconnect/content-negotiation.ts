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
    `${what} is not supported: this provider answers application/fhir+json. Send Accept (or _format) application/fhir+json;charset=utf-8.`,
  );
}

function check(media: string, what: string): void {
  if (jsonTypes.has(media)) return;
  if (xmlTypes.has(media)) throw unsupported(`${what} (XML)`);
  throw unsupported(what);
}

/**
 * GP Connect content negotiation (GPC development_general_api_guidance.md): `_format` overrides
 * Accept; with neither the request Content-Type decides; none at all means JSON. A POST or PUT
 * needs a FHIR Content-Type. Anything else is 415.
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
    check(mediaOf(contentType), `Content-Type ${contentType}`);
  }
  const format = request.query.get('_format');
  if (format !== null) {
    check(mediaOf(format), `_format=${format}`);
    return;
  }
  const accept = request.headers['accept'];
  if (accept !== undefined && accept.trim() !== '') {
    const ranges = accept.split(',').map(mediaOf);
    if (ranges.some((media) => jsonTypes.has(media) || media === '*/*' || media === 'application/*')) return;
    check(ranges[0] ?? '', `Accept ${accept}`);
  }
}
