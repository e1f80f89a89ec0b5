import { join } from 'node:path';
import { control } from '@gpsim/contracts';
import type { Engine } from '../engine';
import { ScenarioLibrary } from '../faults/scenarios';
import { defaultFixturesDir } from '../population/reference-data';
import { jsonResponse, parseJsonBody } from '../transport/json';
import type { Route } from '../transport/types';

/** GET /__sim/scenarios, POST /__sim/scenarios/{name}/start, POST /__sim/scenarios/stop. */
export function scenarioRoutes(engine: Engine): Route[] {
  const library = new ScenarioLibrary(join(defaultFixturesDir(), 'scenarios'));
  const running = (): Set<string> =>
    new Set(engine.faults.list().flatMap((rule) => (rule.scenario === undefined ? [] : [rule.scenario])));
  return [
    {
      method: 'GET',
      path: '/__sim/scenarios',
      handler: () => {
        const active = running();
        return jsonResponse(200, {
          scenarios: library.all().map((scenario): control.ScenarioSummary => ({
            name: scenario.name,
            description: scenario.description,
            source: scenario.source,
            steps: scenario.steps.length,
            running: active.has(scenario.name),
          })),
        });
      },
    },
    {
      method: 'POST',
      path: '/__sim/scenarios/:name/start',
      handler: async (request) => {
        const scenario = library.get(request.params.name ?? '');
        const overrides = parseJsonBody(request, control.ScenarioStartRequest);
        const now = engine.clock.now();
        const rules = await library.start(engine.faults, scenario, overrides, now);
        return jsonResponse(201, { name: scenario.name, startedAt: new Date(now).toISOString(), rules });
      },
    },
    {
      method: 'POST',
      path: '/__sim/scenarios/stop',
      handler: async () => {
        const stopped = [...running()];
        for (const name of stopped) await engine.faults.removeScenario(name);
        return jsonResponse(200, { stopped });
      },
    },
  ];
}
