import type { SimError } from '../../domain/errors';
import { SSP_MARK_HEADER } from '../../environment/environment-profile';
import type { Engine } from '../../engine';
import type { HttpMethod, Route, SimRequest, SimResponse, Surface } from '../../transport/types';
import { interactions } from '../gpconnect/interactions';

const SSP_SYSTEM = 'http://fhir.nhs.net/ValueSet/gpconnect-schedule-response-code-1-0';
const PREFIX = '/ssp/';
const knownInteractions = new Set<string>(Object.values(interactions));
const forwardedHeaders = [
  'accept',
  'accept-encoding',
  'content-type',
  'authorization',
  'if-match',
  'prefer',
  'ssp-traceid',
  'ssp-from',
  'ssp-to',
  'ssp-interactionid',
];
const fhirMedia = /^application\/(fhir\+json|fhir\+xml|json\+fhir|xml\+fhir|json)\b/i;

/** The SSP's own error shape (GPC development_fhir_error_handling_guidance.md; GitHub nhsconnect/gpconnect #661). */
function sspError(status: number, issue: string, text: string): SimResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/fhir+json;charset=utf-8', 'Cache-Control': 'no-store' },
    body: JSON.stringify({
      resourceType: 'OperationOutcome',
      issue: [
        {
          code: issue,
          severity: 'error',
          details: { coding: [{ system: SSP_SYSTEM, code: String(status), display: text }] },
          diagnostics: text,
        },
      ],
    }),
  };
}

/**
 * Spine Secure Proxy emulation at /ssp/{full provider URL} (GPC integration_spine_secure_proxy.md):
 * the consumer ASID must be registered, Ssp-To must be the ASID of the practice the URL addresses,
 * the interaction must be a GP Connect one, the method and media types ones the SSP carries; then
 * the request is forwarded as the SSP would, and the provider's answer returned unchanged.
 */
export function createSspSurface(engine: Engine): Surface {
  const forward = async (request: SimRequest): Promise<SimResponse> => {
    const target = request.path.slice(PREFIX.length) + (request.query.size > 0 ? `?${request.query.toString()}` : '');
    const from = request.headers['ssp-from'] ?? '';
    const to = request.headers['ssp-to'] ?? '';
    const interaction = request.headers['ssp-interactionid'] ?? '';
    request.annotations.clientId = from;
    request.annotations.interaction = interaction;
    if (!engine.population.estate.consumers.some((consumer) => consumer.asid === from)) {
      return sspError(403, 'forbidden', `ASID_CHECK_FAILED_MESSAGESENDER_${from}`);
    }
    const match = /^https?:\/\/[^/]+\/([A-Za-z0-9]{3,10})\/STU3\/1\/gpconnect(\/|$)/.exec(target);
    const practice = match?.[1] === undefined ? undefined : engine.population.practice(match[1]);
    if (!practice) return sspError(502, 'transient', `ERROR_COMMUNICATING_TO_ENDPOINT_URL_${target}`);
    if (practice.asid !== to) {
      return sspError(400, 'invalid', `ENDPOINT_${practice.asid}_CPAID_S000000000001_VARIES_FROM_TARGETURL_${to}`);
    }
    request.annotations.ods = practice.ods;
    if (!knownInteractions.has(interaction)) {
      return sspError(403, 'forbidden', `PARTYKEY_INTERACTION_CHECK_FAILED_MESSAGERECEIVER_${to}`);
    }
    const contentType = request.headers['content-type'];
    const accept = request.headers['accept'];
    if (
      (contentType !== undefined && !fhirMedia.test(contentType)) ||
      (accept !== undefined && accept !== '*/*' && !fhirMedia.test(accept))
    ) {
      return sspError(415, 'not-supported', 'Unsupported_Media_Type');
    }
    const headers: Record<string, string> = {};
    for (const name of forwardedHeaders) {
      const value = request.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    headers[SSP_MARK_HEADER] = engine.environment.sspMark;
    let response: Response;
    try {
      response = await fetch(target, {
        method: request.method,
        headers,
        ...(request.method === 'GET' ? {} : { body: request.body }),
        redirect: 'manual',
      });
    } catch {
      return sspError(502, 'transient', `ERROR_COMMUNICATING_TO_ENDPOINT_URL_${target}`);
    }
    const body = Buffer.from(await response.arrayBuffer());
    const replyHeaders: Record<string, string> = {};
    for (const name of ['content-type', 'cache-control', 'etag', 'location']) {
      const value = response.headers.get(name);
      if (value !== null) replyHeaders[name] = value;
    }
    return { status: response.status, headers: replyHeaders, body };
  };

  const methods: HttpMethod[] = ['GET', 'POST', 'PUT'];
  const routes: Route[] = [
    { method: methods, path: '/ssp/*', handler: forward },
    {
      method: ['DELETE', 'PATCH', 'HEAD', 'OPTIONS'],
      path: '/ssp/*',
      handler: () => sspError(405, 'not-supported', '405: Method Not Allowed'),
    },
  ];
  return {
    name: 'ssp',
    prefixes: ['/ssp'],
    routes,
    renderError: (error: SimError) =>
      sspError(error.code === 'payload-too-large' ? 413 : 400, 'invalid', error.message),
    maxBodyBytes: 256 * 1024,
  };
}
