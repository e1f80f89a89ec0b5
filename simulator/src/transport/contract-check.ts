import { gunzipSync } from 'node:zlib';
import { openapi } from '@gpsim/contracts';
import type { Logger } from 'pino';
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
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    const message = `gpsim's ${response.status} answer to ${operation.operationId} breaks its contract at ${where}: ${issue?.message ?? 'invalid'}.`;
    logger.error({ traceId: request.traceId, path: request.path, issues: result.error.issues.slice(0, 5) }, message);
    return request.surface.renderError(new SimError('internal', message), request);
  };
}

function parse(body: ResponseBody, gzipped: boolean): unknown {
  try {
    const bytes = typeof body === 'string' ? Buffer.from(body) : (body as Buffer);
    return JSON.parse((gzipped ? gunzipSync(bytes) : bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}
