import type { IncomingMessage, ServerResponse } from 'node:http';
import { createControlSurface } from './control/control-surface';
import { journalMiddleware } from './control/journal';
import type { Engine } from './engine';
import { createGpConnectSurface } from './surfaces/gpconnect/gpconnect-surface';
import { createFhirR4Surface } from './surfaces/fhir-r4/fhir-r4-surface';
import { createSspSurface } from './surfaces/ssp/ssp-surface';
import { createPdsSurface } from './surfaces/pds/pds-surface';
import { Dispatcher } from './transport/dispatcher';
import { createRequestListener } from './transport/node-http-adapter';
import type { Surface } from './transport/types';

export interface GpsimApp {
  engine: Engine;
  dispatcher: Dispatcher;
  /** A node:http request listener for one simulated node (s11, s12). */
  listener(node: string): (request: IncomingMessage, response: ServerResponse) => void;
}

/** Builds every surface over one engine and one request pipeline. Never listens. */
export function createApp(engine: Engine): GpsimApp {
  const control = createControlSurface(engine);
  const surfaces: Surface[] = [
    control,
    createFhirR4Surface(engine),
    createPdsSurface(engine),
    createGpConnectSurface(engine),
    createSspSurface(engine),
  ];
  const dispatcher = new Dispatcher(surfaces, control, engine.logger);
  dispatcher.use(journalMiddleware(engine.journal, engine.clock));
  return {
    engine,
    dispatcher,
    listener: (node) => createRequestListener(dispatcher, { node, logger: engine.logger }),
  };
}
