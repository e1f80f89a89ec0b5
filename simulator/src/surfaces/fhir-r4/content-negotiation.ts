import { SimError } from '../../domain/errors';
import type { SimRequest } from '../../transport/types';

const jsonTypes = new Set(['json', 'application/json', 'application/fhir+json', 'application/json+fhir']);
const anyTypes = new Set(['*/*', 'application/*']);

function notAcceptable(asked: string): SimError {
  return new SimError(
    'not-acceptable',
    `${asked} cannot be served: this UK Core R4 API answers in JSON only. Ask for _format=json or Accept: application/fhir+json.`,
  );
}

/**
 * FHIR content negotiation (http://hl7.org/fhir/R4/http.html#mime-type): `_format` wins over the
 * Accept header. Only JSON is served here, so anything that rules JSON out (XML, Turtle) is a 406.
 */
export function assertJsonAcceptable(request: SimRequest): void {
  const format = request.query.get('_format');
  if (format !== null) {
    // A literal "+" in a query string decodes to a space: application/fhir+json arrives as "application/fhir json".
    const media = (format.split(';')[0] ?? '').trim().toLowerCase().replace(/ /g, '+');
    if (!jsonTypes.has(media)) throw notAcceptable(`_format=${format}`);
    return;
  }
  const accept = request.headers['accept'];
  if (accept === undefined || accept.trim() === '') return;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';');
    const media = type.trim().toLowerCase();
    const refused = parameters.some((parameter) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(parameter));
    if (!refused && (jsonTypes.has(media) || anyTypes.has(media))) return;
  }
  throw notAcceptable(`Accept: ${accept}`);
}
