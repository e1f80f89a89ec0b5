import { Readable } from 'node:stream';
import type { SimRequest, SimResponse } from '../transport/types';

/** What the console shows when someone opens a journal row: headers and bodies, secrets masked. */
export interface ExchangeDetail {
  seq?: number;
  requestHeaders: Record<string, string>;
  requestBody: string;
  responseHeaders: Record<string, string>;
  responseBody: string;
}

const MASK = '••••••';
/** Enough to read a request; the journal keeps hundreds of these, so bodies are cut short. */
const MAX_BODY_CHARS = 4096;

/** Headers that carry credentials: never shown, whatever the surface. */
const secretHeaders: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-gpsim-admin-token',
  'x-api-key',
  'apikey',
]);

/** JSON fields and form parameters that carry credentials (OAuth tokens, client secrets, PKCE, passwords). */
const secretNames =
  'access_token|refresh_token|id_token|client_secret|client_assertion|code_verifier|password|passcode|token|apiKey|ApiKey|APIKey|clientSecret';
const secretJson = new RegExp(`("(?:${secretNames})"\\s*:\\s*)"[^"]*"`, 'g');
const secretForm = new RegExp(`(^|[?&])((?:${secretNames})=)[^&]*`, 'g');
const secretXml = new RegExp(`<(${secretNames})>[^<]*</\\1>`, 'g');

export function maskHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (!secretHeaders.has(lower)) masked[lower] = value;
    else if (lower === 'authorization' && /^\w+ /.test(value)) masked[lower] = `${value.split(' ')[0]} ${MASK}`;
    else masked[lower] = MASK;
  }
  return masked;
}

export function maskBody(text: string): string {
  return text
    .replace(secretJson, `$1"${MASK}"`)
    .replace(secretForm, `$1$2${MASK}`)
    .replace(secretXml, `<$1>${MASK}</$1>`);
}

function bodyText(body: SimResponse['body'] | Buffer, headers: Record<string, string>): string {
  if (body === undefined) return '';
  if (body instanceof Readable) return '(streamed body, not kept)';
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (size === 0) return '';
  const type = headers['content-type'] ?? '';
  const encoding = headers['content-encoding'] ?? '';
  if (encoding !== '' && encoding !== 'identity') return `(${size} bytes, ${encoding} encoded)`;
  if (type !== '' && !/json|xml|text|form-urlencoded|javascript/i.test(type)) return `(${size} bytes of ${type})`;
  const text = typeof body === 'string' ? body : body.toString('utf8', 0, Math.min(body.length, MAX_BODY_CHARS * 4));
  const masked = maskBody(text.length > MAX_BODY_CHARS ? text.slice(0, MAX_BODY_CHARS) : text);
  return size > MAX_BODY_CHARS ? `${masked}\n… (${size} bytes in all)` : masked;
}

export function captureExchange(request: SimRequest, response: SimResponse): ExchangeDetail {
  const responseHeaders = maskHeaders(response.headers);
  return {
    requestHeaders: maskHeaders(request.headers),
    requestBody: request.bodyStream ? '(streamed upload, not kept)' : bodyText(request.body, request.headers),
    responseHeaders,
    responseBody: bodyText(response.body, responseHeaders),
  };
}
