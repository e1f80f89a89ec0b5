import type { z } from 'zod';
import { SimError } from '../../domain/errors';
import type { SimRequest, SimResponse } from '../../transport/types';
import type { XmlPlain } from '../shared/xml';
import { el, parseXml, xmlToPlain } from '../shared/xml';

/**
 * The EMIS partner API's two payload forms: EMIS Open–style XML (the default) and the same fields
 * as JSON. A request's form decides the reply's: JSON when it sent or accepts application/json.
 */
export type Plain = XmlPlain;

export function wantsJson(request: SimRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  const accept = request.headers['accept'] ?? '';
  return type.includes('json') || (accept.includes('application/json') && !accept.includes('xml'));
}

/** Reads and validates a request body in either form; the XML root must be the method's name. */
export function readBody<S extends z.ZodType>(request: SimRequest, method: string, schema: S): z.infer<S> {
  let value: unknown;
  if (wantsJson(request) && (request.headers['content-type'] ?? '').includes('json')) {
    try {
      value = JSON.parse(request.body.toString('utf8'));
    } catch {
      throw new SimError('invalid-request', 'The body is not valid JSON.');
    }
  } else {
    const root = parseXml(request.body);
    if (root.name !== method) {
      throw new SimError('invalid-request', `The XML root element must be <${method}>, not <${root.name}>.`);
    }
    value = xmlToPlain(root, { dropEmpty: true }) ?? {};
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new SimError('invalid-parameter', `${method}: ${field ? `${field}: ` : ''}${issue?.message ?? 'invalid'}.`, {
      ...(field ? { field } : {}),
    });
  }
  return parsed.data as z.infer<S>;
}

function plainToXml(name: string, value: Plain): { xml: string }[] {
  if (Array.isArray(value)) return value.flatMap((item) => plainToXml(name, item));
  if (typeof value === 'string') return [el(name, null, value)];
  return [el(name, null, ...Object.entries(value).flatMap(([key, item]) => plainToXml(key, item)))];
}

/** A response in the request's form: `<{Method}Response>` XML, or the same fields as JSON. */
export function emisResponse(
  request: SimRequest,
  status: number,
  method: string,
  body: Record<string, Plain>,
): SimResponse {
  if (wantsJson(request)) {
    return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
  }
  const xml = plainToXml(`${method}Response`, body)[0]?.xml ?? '';
  return {
    status,
    headers: { 'content-type': 'application/xml; charset=utf-8' },
    body: `<?xml version="1.0" encoding="utf-8"?>${xml}`,
  };
}
