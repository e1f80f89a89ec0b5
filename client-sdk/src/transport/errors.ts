/** Which face of gpsim (or of the real systems) answered, for error discrimination. */
export type ApiSurface =
  'control' | 'gpconnect' | 'fhir-r4' | 'pds' | 'mesh' | 'systmone' | 'emis' | 'oauth' | 'unknown';

/**
 * Every error an API answered with: HTTP status, the surface's own machine code (a Spine error code,
 * a MESH error code, an OAuth error...), the parsed body, the trace id, and whether retrying the
 * same request could succeed.
 */
export class GpsimApiError extends Error {
  readonly surface: ApiSurface;
  readonly status: number;
  readonly code: string;
  readonly body: unknown;
  readonly traceId: string | undefined;
  readonly retryable: boolean;

  constructor(details: {
    surface: ApiSurface;
    status: number;
    code: string;
    message: string;
    body: unknown;
    traceId?: string;
  }) {
    super(details.message);
    this.name = 'GpsimApiError';
    this.surface = details.surface;
    this.status = details.status;
    this.code = details.code;
    this.body = details.body;
    this.traceId = details.traceId;
    this.retryable = isRetryableStatus(details.status);
  }
}

/** The request never got an answer: connection refused or reset, timed out, or every endpoint was down. */
export class GpsimNetworkError extends Error {
  readonly retryable = true;

  constructor(
    message: string,
    readonly causes: readonly unknown[] = [],
  ) {
    super(message);
    this.name = 'GpsimNetworkError';
  }
}

export function isGpsimApiError(value: unknown): value is GpsimApiError {
  return value instanceof GpsimApiError;
}

export function isGpsimNetworkError(value: unknown): value is GpsimNetworkError {
  return value instanceof GpsimNetworkError;
}

/** 429 and the gateway/availability 5xx can succeed later; other statuses will not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504 || status === 599;
}

interface OperationOutcomeLike {
  resourceType?: string;
  issue?: {
    code?: string;
    diagnostics?: string;
    details?: { coding?: { code?: string; display?: string }[]; text?: string };
  }[];
}

/** Reads the machine code and message out of any error body gpsim's surfaces produce. */
export function describeErrorBody(body: unknown, status: number): { code: string; message: string } {
  if (body && typeof body === 'object') {
    const outcome = body as OperationOutcomeLike;
    if (outcome.resourceType === 'OperationOutcome') {
      const issue = outcome.issue?.[0];
      const coding = issue?.details?.coding?.[0];
      return {
        code: coding?.code ?? issue?.code ?? String(status),
        message: issue?.diagnostics ?? coding?.display ?? issue?.details?.text ?? `HTTP ${status}`,
      };
    }
    const record = body as Record<string, unknown>;
    const control = record.error as { code?: unknown; message?: unknown } | undefined;
    if (control && typeof control === 'object' && typeof control.code === 'string') {
      return { code: control.code, message: typeof control.message === 'string' ? control.message : `HTTP ${status}` };
    }
    if (typeof record.error === 'string') {
      // OAuth 2 (RFC 6749 §5.2): {error, error_description}
      return {
        code: record.error,
        message: typeof record.error_description === 'string' ? record.error_description : record.error,
      };
    }
    const emis = record.Error as { Code?: unknown; Description?: unknown } | undefined;
    if (record.Outcome === 'Failure' && emis && typeof emis.Code === 'string') {
      // EMIS partner API: {Outcome: "Failure", Error: {Code, Description}}
      return { code: emis.Code, message: typeof emis.Description === 'string' ? emis.Description : emis.Code };
    }
    const detail = Array.isArray(record.detail) ? (record.detail[0] as { code?: unknown; msg?: unknown }) : undefined;
    if (detail && typeof detail.code === 'string') {
      // MESH v2: {detail: [{event, code, msg}]}; authentication failures carry an empty code.
      const code = detail.code || String(status);
      return { code, message: typeof detail.msg === 'string' ? detail.msg : `MESH error ${code}` };
    }
    if (typeof record.errorCode === 'string') {
      // MESH: {errorEvent, errorCode, errorDescription}
      return {
        code: record.errorCode,
        message:
          typeof record.errorDescription === 'string' ? record.errorDescription : `MESH error ${record.errorCode}`,
      };
    }
  }
  if (typeof body === 'string') {
    const xmlCode = /<(?:ErrorCode|Code)>([^<]+)</.exec(body);
    const xmlMessage = /<(?:ErrorMessage|Message|Description)>([^<]+)</.exec(body);
    if (xmlCode) return { code: xmlCode[1] as string, message: xmlMessage?.[1] ?? `HTTP ${status}` };
  }
  return { code: String(status), message: `HTTP ${status}` };
}
