import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AdminAccess } from './control/admin-guard';
import { createConsoleSurface } from './console/console-surface';
import { createControlSurface } from './control/control-surface';
import { journalMiddleware } from './control/journal';
import type { Engine } from './engine';
import { createEmisSurface } from './surfaces/emis/emis-surface';
import { faultMiddleware } from './faults/fault-middleware';
import { integrationMiddleware } from './environment/integration-middleware';
import { createFhirR4Surface } from './surfaces/fhir-r4/fhir-r4-surface';
import { createMeshSurface } from './surfaces/mesh/mesh-surface';
import { smartCors } from './surfaces/oauth/cors';
import { createOAuthSurface } from './surfaces/oauth/oauth-surface';
import { createGpConnectSurface } from './surfaces/gpconnect/gpconnect-surface';
import { createSspSurface } from './surfaces/ssp/ssp-surface';
import { createPdsSurface } from './surfaces/pds/pds-surface';
import { createSystmOneSurface } from './surfaces/systmone/systmone-surface';
import { clientRateLimit } from './transport/client-rate-limit';
import { contractCheckMiddleware } from './transport/contract-check';
import { Dispatcher } from './transport/dispatcher';
import { createRequestListener } from './transport/node-http-adapter';
import type { Surface } from './transport/types';

export interface GpsimApp {
  engine: Engine;
  dispatcher: Dispatcher;
  /** A node:http request listener for one simulated node (s11, s12). */
  listener(node: string): (request: IncomingMessage, response: ServerResponse) => void;
  /** Ends what faults hold open (hung sockets, pending delays) so shutdown does not wait for them. */
  releaseFaults(): void;
}

export interface AppOptions {
  /** The token the control API requires (gpsim bound beyond loopback); undefined leaves it open. */
  adminToken?: string | undefined;
  /** Requests per second per client address; 0 or undefined: no limit. */
  clientRateLimit?: number;
  /** TLS terminates in front of gpsim, so responses carry HSTS. */
  behindTls?: boolean;
}

/** Builds every surface over one engine and one request pipeline. Never listens. */
export function createApp(engine: Engine, options: AppOptions = {}): GpsimApp {
  const admin = new AdminAccess(options.adminToken);
  const control = createControlSurface(engine, admin);
  const surfaces: Surface[] = [
    control,
    createConsoleSurface(),
    createFhirR4Surface(engine),
    createPdsSurface(engine),
    createMeshSurface(engine),
    createSystmOneSurface(engine),
    createEmisSurface(engine),
    createOAuthSurface(engine),

    createGpConnectSurface(engine),
    createSspSurface(engine),
  ];
  const dispatcher = new Dispatcher(surfaces, control, engine.logger);
  dispatcher.use(engine.metrics.middleware());
  dispatcher.use(journalMiddleware(engine.sharedJournal ?? engine.journal, engine.clock));
  dispatcher.use(admin.guard());
  dispatcher.use(clientRateLimit(options.clientRateLimit ?? 0));
  // CORS preflights are answered before faults, so a browser app sees the fault on its real request.
  dispatcher.use(smartCors(engine));
  dispatcher.use(faultMiddleware(engine.faults, engine.clock));
  dispatcher.use(integrationMiddleware(engine));
  // Innermost, so only what a handler answers is checked, never an injected fault.
  if (engine.checkResponses) dispatcher.use(contractCheckMiddleware(engine.logger));
  const hungSockets = new Set<Socket>();
  return {
    engine,
    dispatcher,
    listener: (node) =>
      createRequestListener(dispatcher, {
        node,
        logger: engine.logger,
        hungSockets,
        behindTls: options.behindTls === true,
      }),
    releaseFaults: () => {
      engine.faults.shutdown();
      for (const socket of hungSockets) socket.destroy();
      hungSockets.clear();
    },
  };
}
