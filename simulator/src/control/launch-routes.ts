import { control } from '@gpsim/contracts';
import { rolePermissionMatrix } from '../domain/identity/role-permissions';
import type { Engine } from '../engine';
import { jsonResponse, parseJsonBody } from '../transport/json';
import type { Route } from '../transport/types';

/** POST /__sim/launches (an EHR launch), /__sim/clients (registered apps) and /__sim/roles (the role matrix). */
export function launchRoutes(engine: Engine): Route[] {
  return [
    {
      method: 'POST',
      path: '/__sim/launches',
      handler: (request) => {
        const body = parseJsonBody(request, control.LaunchRequest);
        const { url, iss, launch } = engine.auth.createLaunch(body);
        request.annotations.ods = launch.ods;
        request.annotations.clientId = launch.clientId;
        return jsonResponse(201, { url, iss, launch: launch.id } satisfies control.LaunchResult);
      },
    },
    {
      method: 'POST',
      path: '/__sim/clients',
      handler: (request) => {
        const client = engine.auth.registerClient(parseJsonBody(request, control.OAuthClient));
        return jsonResponse(201, client);
      },
    },
    { method: 'GET', path: '/__sim/clients', handler: () => jsonResponse(200, { clients: engine.auth.clients() }) },
    { method: 'GET', path: '/__sim/roles', handler: () => jsonResponse(200, rolePermissionMatrix()) },
  ];
}
