/**
 * The one error model of the domain. Handlers throw SimError with a code from this closed set;
 * each surface renders it in its own dialect (OperationOutcome, MESH JSON, SystmOne XML, ...)
 * from a status table kept in that surface.
 */
export const simErrorCodes = [
  'invalid-request',
  'invalid-parameter',
  'invalid-nhs-number',
  'invalid-identifier-system',
  'invalid-resource',
  'not-found',
  'patient-not-found',
  'practice-not-found',
  'practitioner-not-found',
  'method-not-allowed',
  'unsupported-media-type',
  'not-acceptable',
  'payload-too-large',
  'conflict',
  'duplicate',
  'forbidden',
  'consent-withheld',
  'unauthorised',
  'rate-limited',
  'unavailable',
  'not-implemented',
  'internal',
] as const;
export type SimErrorCode = (typeof simErrorCodes)[number];

export interface SimErrorOptions {
  /** The parameter, header or field at fault, so the caller can fix it. */
  field?: string;
  /** Extra machine-readable detail a surface may render. */
  detail?: Record<string, unknown>;
  /**
   * An explicit HTTP status that overrides the surface's status table (fault injection answers
   * e.g. 502 or 599 in the surface's own error dialect).
   */
  status?: number;
  /** Extra response headers (Retry-After, X-Rate-Limit-*), added by every surface's renderer. */
  headers?: Record<string, string>;
}

export class SimError extends Error {
  readonly code: SimErrorCode;
  readonly field: string | undefined;
  readonly detail: Record<string, unknown> | undefined;
  readonly status: number | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: SimErrorCode, message: string, options: SimErrorOptions = {}) {
    super(message);
    this.name = 'SimError';
    this.code = code;
    this.field = options.field;
    this.detail = options.detail;
    this.status = options.status;
    this.headers = options.headers;
  }
}

export function isSimError(value: unknown): value is SimError {
  return value instanceof SimError;
}
