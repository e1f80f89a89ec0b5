import type { z } from 'zod';
import { SimError } from '../domain/errors';
import type { SimRequest, SimResponse } from './types';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * Parses a JSON request body and validates it against a contract schema. An empty body counts as
 * `{}` so that bodies with only optional fields may be omitted. Failures name the field at fault.
 */
export function parseJsonBody<S extends z.ZodType>(request: SimRequest, schema: S): z.infer<S> {
  let value: unknown = {};
  const text = request.body.toString('utf8').trim();
  if (text !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new SimError('invalid-request', 'The request body is not valid JSON.');
    }
  }
  return validate(schema, value);
}

export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
  const message = issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'The request body is not valid.';
  throw new SimError('invalid-request', message, field ? { field } : {});
}
