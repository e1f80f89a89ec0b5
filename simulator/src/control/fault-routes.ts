import { control } from '@gpsim/contracts';
import { SimError } from '../domain/errors';
import type { Engine } from '../engine';
import { jsonResponse, parseJsonBody } from '../transport/json';
import type { Route } from '../transport/types';

/** POST, GET and DELETE /__sim/faults: the fault rules every node applies. */
export function faultRoutes(engine: Engine): Route[] {
  return [
    {
      method: 'POST',
      path: '/__sim/faults',
      handler: async (request) => {
        const input = parseJsonBody(request, control.FaultRuleInput);
        const rule = await engine.faults.add(input);
        return jsonResponse(
          201,
          { id: rule.id },
          {
            Location: `/__sim/faults/${rule.id}`,
          },
        );
      },
    },
    {
      method: 'GET',
      path: '/__sim/faults',
      handler: async () => {
        await engine.faults.tick(engine.clock.now());
        return jsonResponse(200, { rules: engine.faults.list() });
      },
    },
    {
      method: 'DELETE',
      path: '/__sim/faults',
      handler: async () => jsonResponse(200, { deleted: await engine.faults.clear() }),
    },
    {
      method: 'DELETE',
      path: '/__sim/faults/:id',
      handler: async (request) => {
        const id = request.params.id ?? '';
        if (!(await engine.faults.remove(id))) {
          throw new SimError('not-found', `No fault rule ${id} (it may have expired); GET /__sim/faults lists them.`);
        }
        return { status: 204 };
      },
    },
  ];
}
