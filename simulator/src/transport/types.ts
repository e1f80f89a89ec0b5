import type { Readable } from 'node:stream';
import { control } from '@gpsim/contracts';
import type { SimError } from '../domain/errors';

export const surfaceNames = control.surfaceNames;
export type SurfaceName = (typeof surfaceNames)[number];

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** A request as every surface sees it, whichever transport carried it. */
export interface SimRequest {
  method: string;
  /** The path as received (still percent-encoded), without the query string. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The whole body, for ordinary routes (bounded by the route's maxBodyBytes). */
  body: Buffer;
  /**
   * For routes declared with `streamBody`, the body as a stream instead (`body` is then empty), so
   * large uploads are never held in memory. The stream errors with a payload-too-large SimError
   * once maxBodyBytes is exceeded.
   */
  bodyStream?: Readable;
  /** Route parameters, percent-decoded. */
  params: Record<string, string>;
  /** Which simulated node (s11 primary, s12 backup) took the request. */
  node: string;
  remoteAddress: string;
  /** Trace id: Ssp-TraceID, X-Request-ID or X-Correlation-ID when sent, otherwise generated. */
  traceId: string;
  /** Facts a handler learns while serving, for the journal and the audit trail. */
  annotations: RequestAnnotations;
}

export interface RequestAnnotations {
  /** Who is calling: JWT iss/sub, API key owner, MESH mailbox or X-Client-Id. */
  clientId?: string;
  /** Practice addressed. */
  ods?: string;
  /** Interaction (e.g. a GP Connect interaction id or a SystmOne function). */
  interaction?: string;
  /** The key a retried write repeats so it is done once (SystmOne RequestUID; headers are read by the journal). */
  idempotencyKey?: string;
}

export type ResponseBody = string | Buffer | Readable;

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: ResponseBody;
  /**
   * Ask the transport to misbehave instead of answering normally (fault injection): `reset`
   * destroys the connection, `hang` accepts the request and never answers.
   */
  transportAction?: 'reset' | 'hang';
}

export type RouteHandler = (request: SimRequest) => SimResponse | Promise<SimResponse>;

export interface Route {
  method: HttpMethod | readonly HttpMethod[];
  /** find-my-way pattern, e.g. "/fhir/R4/Patient/:id". */
  path: string;
  handler: RouteHandler;
  /** Largest body this route accepts; the surface default otherwise. */
  maxBodyBytes?: number;
  /** Hand the handler the body as a stream (request.bodyStream) rather than buffering it. */
  streamBody?: boolean;
}

export interface Surface {
  name: SurfaceName;
  /**
   * Path prefixes this surface answers for, so unmatched paths get its own 404/405 dialect.
   * A RegExp must be anchored at the start (e.g. practice-specific roots).
   */
  prefixes: readonly (string | RegExp)[];
  routes: readonly Route[];
  /** Renders a domain error in this surface's dialect. */
  renderError(error: SimError, request: SimRequest): SimResponse;
  /** Largest request body accepted when a route does not say (bytes). */
  maxBodyBytes?: number;
}

/** What a middleware sees: the request plus the surface and route it resolved to. */
export interface RoutedRequest extends SimRequest {
  surface: Surface;
}

export type Next = () => Promise<SimResponse>;
export type Middleware = (request: RoutedRequest, next: Next) => Promise<SimResponse>;
