import { control } from '@gpsim/contracts';
import { SimError } from '../domain/errors';
import type { Practice } from '../domain/estate';
import type { Engine } from '../engine';
import { jsonResponse, parseJsonBody } from '../transport/json';
import type { Route, SimRequest } from '../transport/types';

/** GET /__sim/practices, GET and PATCH /__sim/practices/{ods}: the practices' switches. */
export function practiceRoutes(engine: Engine): Route[] {
  const summary = async (practice: Practice): Promise<control.PracticeSummary> => ({
    ods: practice.ods,
    name: practice.name,
    system: practice.system,
    settings: await engine.practiceSettings.get(practice),
  });
  const find = (request: SimRequest): Practice => {
    const ods = request.params.ods ?? '';
    const practice = engine.population.practice(ods);
    if (!practice)
      throw new SimError('practice-not-found', `No practice ${ods} in this estate; GET /__sim/practices lists them.`);
    return practice;
  };
  return [
    {
      method: 'GET',
      path: '/__sim/practices',
      handler: async () =>
        jsonResponse(200, { practices: await Promise.all(engine.population.practices.map(summary)) }),
    },
    {
      method: 'GET',
      path: '/__sim/practices/:ods',
      handler: async (request) => jsonResponse(200, await summary(find(request))),
    },
    {
      method: 'PATCH',
      path: '/__sim/practices/:ods',
      handler: async (request) => {
        const practice = find(request);
        const patch = parseJsonBody(request, control.PracticeSettingsPatch);
        await engine.practiceSettings.patch(practice, patch);
        return jsonResponse(200, await summary(practice));
      },
    },
  ];
}
