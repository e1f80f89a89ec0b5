import findMyWay from 'find-my-way';
import type { HTTPVersion, Instance as Router } from 'find-my-way';
import type { Logger } from 'pino';
import { SimError, isSimError } from '../domain/errors';
import type { HttpMethod, Middleware, Route, RoutedRequest, SimRequest, SimResponse, Surface } from './types';

const ALL_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

interface RouteStore {
  surface: Surface;
  route: Route;
}

/** Where a request goes: its surface, and the route unless none matched. */
export interface RouteMatch {
  surface: Surface;
  route: Route | undefined;
  params: Record<string, string>;
  /** The path exists but not for this method. */
  methodNotAllowed: boolean;
  maxBodyBytes: number;
  streamBody: boolean;
  /** A request that cannot be routed at all (e.g. a badly encoded path). */
  error?: SimError;
}

/**
 * The one request pipeline: route lookup, then middlewares (journal, faults, ...), then the
 * surface handler, with every failure rendered in the surface's own dialect. Transport adapters
 * (node:http, msw) only translate to and from SimRequest/SimResponse.
 */
export class Dispatcher {
  private readonly router: Router<HTTPVersion.V1>;
  private readonly middlewares: Middleware[] = [];

  constructor(
    private readonly surfaces: readonly Surface[],
    private readonly fallback: Surface,
    private readonly logger: Logger,
  ) {
    this.router = findMyWay({ caseSensitive: true, ignoreTrailingSlash: false });
    for (const surface of surfaces) {
      for (const route of surface.routes) {
        const methods = typeof route.method === 'string' ? [route.method] : route.method;
        const store: RouteStore = { surface, route };
        this.router.on(methods as HttpMethod[], route.path, () => undefined, store);
      }
    }
  }

  use(middleware: Middleware): void {
    this.middlewares.push(middleware);
  }

  match(method: string, path: string): RouteMatch {
    if (!isDecodable(path)) {
      const surface = this.surfaceForPath(path);
      return {
        surface,
        route: undefined,
        params: {},
        methodNotAllowed: false,
        maxBodyBytes: surface.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        streamBody: false,
        error: new SimError('invalid-request', 'The request path is not valid percent-encoding.'),
      };
    }
    const found = this.router.find(method as HttpMethod, path);
    if (found) {
      const { surface, route } = found.store as RouteStore;
      return {
        surface,
        route,
        params: found.params as Record<string, string>,
        methodNotAllowed: false,
        maxBodyBytes: route.maxBodyBytes ?? surface.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        streamBody: route.streamBody === true,
      };
    }
    const surface = this.surfaceForPath(path);
    const methodNotAllowed = ALL_METHODS.some((other) => other !== method && this.router.find(other, path) !== null);
    return {
      surface,
      route: undefined,
      params: {},
      methodNotAllowed,
      maxBodyBytes: surface.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      streamBody: false,
    };
  }

  async handle(request: SimRequest, match: RouteMatch): Promise<SimResponse> {
    const routed: RoutedRequest = Object.assign(request, { surface: match.surface, params: match.params });
    const terminal = (): Promise<SimResponse> => this.invoke(routed, match);
    let next = terminal;
    for (let i = this.middlewares.length - 1; i >= 0; i--) {
      const middleware = this.middlewares[i] as Middleware;
      const downstream = next;
      next = () => middleware(routed, downstream).catch((error: unknown) => this.renderFailure(error, routed));
    }
    return next();
  }

  /** Renders an error for a request that never reached a handler (e.g. an oversized body). */
  reject(request: SimRequest, match: RouteMatch, error: SimError): SimResponse {
    return match.surface.renderError(error, request);
  }

  private async invoke(request: RoutedRequest, match: RouteMatch): Promise<SimResponse> {
    try {
      if (match.error) throw match.error;
      if (!match.route) {
        throw match.methodNotAllowed
          ? new SimError('method-not-allowed', `${request.method} is not supported on ${request.path}.`)
          : new SimError('not-found', `No ${match.surface.name} endpoint at ${request.path}.`);
      }
      return await match.route.handler(request);
    } catch (error) {
      return this.renderFailure(error, request);
    }
  }

  private renderFailure(error: unknown, request: RoutedRequest): SimResponse {
    if (isSimError(error)) return request.surface.renderError(error, request);
    this.logger.error({ err: error, traceId: request.traceId, path: request.path }, 'unexpected error while serving');
    return request.surface.renderError(
      new SimError(
        'internal',
        `Unexpected internal error; the gpsim log has details under trace id ${request.traceId}.`,
      ),
      request,
    );
  }

  private surfaceForPath(path: string): Surface {
    let best: Surface = this.fallback;
    let bestLength = -1;
    for (const surface of this.surfaces) {
      for (const prefix of surface.prefixes) {
        const length = prefixMatchLength(prefix, path);
        if (length > bestLength) {
          best = surface;
          bestLength = length;
        }
      }
    }
    return best;
  }
}

function isDecodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

function prefixMatchLength(prefix: string | RegExp, path: string): number {
  if (typeof prefix !== 'string') {
    const found = prefix.exec(path);
    return found && found.index === 0 ? found[0].length : -1;
  }
  return path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`) ? prefix.length : -1;
}
