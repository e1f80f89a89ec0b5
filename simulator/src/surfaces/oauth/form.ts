import { SimError } from '../../domain/errors';
import type { ClientCredentials } from '../../domain/identity/auth-service';
import type { SimRequest } from '../../transport/types';

/** An application/x-www-form-urlencoded body (the OAuth token and introspection endpoints). */
export function parseForm(request: SimRequest): URLSearchParams {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (request.body.length > 0 && type !== 'application/x-www-form-urlencoded') {
    throw new SimError('unsupported-media-type', 'Send the form as application/x-www-form-urlencoded.');
  }
  return new URLSearchParams(request.body.toString('utf8'));
}

/** One value of a form field; a repeated field is refused (RFC 6749 §3.1). */
export function field(form: URLSearchParams, name: string): string | undefined {
  const values = form.getAll(name);
  if (values.length > 1) throw new SimError('invalid-request', `${name} must be sent once.`, { field: name });
  return values[0];
}

/** client_secret_basic (Authorization: Basic), client_secret_post, or private_key_jwt fields. */
export function clientCredentials(request: SimRequest, form: URLSearchParams): ClientCredentials {
  const credentials: ClientCredentials = {};
  const authorization = request.headers['authorization'];
  if (authorization !== undefined && /^basic /i.test(authorization)) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new SimError('unauthorised', 'Basic credentials must be client_id:client_secret.');
    credentials.clientId = decodeURIComponent(decoded.slice(0, colon));
    credentials.clientSecret = decodeURIComponent(decoded.slice(colon + 1));
  }
  const clientId = field(form, 'client_id');
  if (clientId !== undefined) {
    if (credentials.clientId !== undefined && credentials.clientId !== clientId) {
      throw new SimError('unauthorised', 'client_id in the form differs from the Basic credentials.');
    }
    credentials.clientId = clientId;
  }
  const secret = field(form, 'client_secret');
  if (secret !== undefined) credentials.clientSecret = secret;
  const assertion = field(form, 'client_assertion');
  if (assertion !== undefined) credentials.clientAssertion = assertion;
  const assertionType = field(form, 'client_assertion_type');
  if (assertionType !== undefined) credentials.clientAssertionType = assertionType;
  return credentials;
}
