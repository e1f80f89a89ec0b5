import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { control } from '@gpsim/contracts';
import { parse } from 'yaml';
import { durationMs } from '../domain/durations';
import { SimError } from '../domain/errors';
import type { FaultEngine } from './fault-engine';

/**
 * Scenario presets: fixtures/scenarios/*.yaml, each a timeline of fault rules. Starting one adds
 * its rules with `start` set to the step's offset, so the timeline runs on the simulated clock
 * (which follows wall time unless the clock API moves it) and every node sees it.
 */
export class ScenarioLibrary {
  private loaded: Map<string, control.Scenario> | undefined;

  constructor(private readonly directory: string) {}

  all(): control.Scenario[] {
    return [...this.presets().values()];
  }

  get(name: string): control.Scenario {
    const scenario = this.presets().get(name);
    if (!scenario) {
      throw new SimError(
        'not-found',
        `No scenario ${name}; GET /__sim/scenarios lists them (${[...this.presets().keys()].join(', ')}).`,
      );
    }
    return scenario;
  }

  /** Adds the scenario's rules (replacing a previous run of it); returns their ids. */
  async start(
    faults: FaultEngine,
    scenario: control.Scenario,
    overrides: control.ScenarioStartRequest,
    now: number,
  ): Promise<string[]> {
    await faults.removeScenario(scenario.name);
    const ids: string[] = [];
    for (const step of scenario.steps) {
      const at = durationMs(step.at, now, 'at');
      for (const rule of step.rules) {
        const added = await faults.add(
          {
            ...rule,
            match: { ...rule.match, ...overrides.match },
            ...(overrides.seed === undefined ? {} : { seed: `${overrides.seed}:${ids.length}` }),
            start: at,
            label: rule.label ?? `${scenario.name} at ${String(step.at)}`,
          },
          { scenario: scenario.name, origin: now },
        );
        ids.push(added.id);
      }
    }
    return ids;
  }

  private presets(): Map<string, control.Scenario> {
    if (this.loaded) return this.loaded;
    const presets = new Map<string, control.Scenario>();
    for (const file of readdirSync(this.directory)
      .filter((name) => name.endsWith('.yaml'))
      .sort()) {
      const result = control.Scenario.safeParse(parse(readFileSync(join(this.directory, file), 'utf8')));
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new Error(`fixtures/scenarios/${file}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`);
      }
      presets.set(result.data.name, result.data);
    }
    this.loaded = presets;
    return presets;
  }
}
