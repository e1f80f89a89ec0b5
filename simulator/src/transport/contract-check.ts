import { gunzipSync } from 'node:zlib';
import { openapi } from '@gpsim/contracts';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { SimError } from '../domain/errors';
import type { Middleware, ResponseBody } from './types';

/**
 * Checks what a surface answers against its published contract (test and --strict mode): a JSON
 * response that breaks its schema becomes a 500 naming the field, so drift fails loudly instead
 * of reaching a client. Sits innermost, so injected faults are not checked.
 */
/** Where a surface publishes under another name (the authorisation server is the SMART contract). */
const contractNames: Readonly<Record<string, string>> = { oauth: 'smart' };

export function contractCheckMiddleware(logger: Logger): Middleware {
  return async (request, next) => {
    const response = await next();
    const contract = openapi.surfaceContracts[contractNames[request.surface.name] ?? request.surface.name];
    if (!contract || (typeof response.body !== 'string' && !Buffer.isBuffer(response.body))) return response;
    const contentType = response.headers?.['Content-Type'] ?? response.headers?.['content-type'] ?? '';
    if (!/json/i.test(contentType)) return response;
    const operation = openapi.findOperation(contract, request.method, request.path);
    const expected = operation ? openapi.responseContract(operation, response.status) : undefined;
    if (!operation || !expected?.schema) return response;
    const gzipped = /gzip/i.test(response.headers?.['Content-Encoding'] ?? '');
    const result = expected.schema.safeParse(parse(response.body, gzipped));
    if (result.success) return response;
    const message = breach(`${response.status} answer to ${operation.operationId}`, result.error);
    logger.error({ traceId: request.traceId, path: request.path, issues: result.error.issues.slice(0, 5) }, message);
    return request.surface.renderError(new SimError('internal', message), request);
  };
}

/**
 * The same check for a reply a surface builds outside the JSON pipeline (SystmOne's XML, over TCP
 * as well as HTTP), given in the plain form its schema reads: a breach is an internal error.
 */
export function checkReply(schema: z.ZodType, reply: unknown, what: string, logger: Logger, traceId?: string): void {
  const result = schema.safeParse(reply);
  if (result.success) return;
  const message = breach(`answer to ${what}`, result.error);
  logger.error({ traceId, issues: result.error.issues.slice(0, 5) }, message);
  throw new SimError('internal', message);
}

function breach(what: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `gpsim's ${what} breaks its contract at ${where}: ${issue?.message ?? 'invalid'}.`;
}

function parse(body: ResponseBody, gzipped: boolean): unknown {
  try {
    const bytes = typeof body === 'string' ? Buffer.from(body) : (body as Buffer);
    return JSON.parse((gzipped ? gunzipSync(bytes) : bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}
