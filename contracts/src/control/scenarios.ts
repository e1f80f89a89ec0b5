import { z } from 'zod';
import { FaultDuration, FaultMatch, FaultRuleInput } from './faults';

/** One step of a scenario's timeline: rules that start `at` after the scenario starts. */
export const ScenarioStep = z
  .object({
    at: FaultDuration.describe('Offset from the scenario start on the simulated clock (PT0S, PT1M, ...).'),
    rules: z
      .array(FaultRuleInput.omit({ start: true }))
      .min(1)
      .max(100),
  })
  .strict();

/** A preset in fixtures/scenarios/<name>.yaml: a timeline of fault rules with its real-world source. */
export const Scenario = z
  .object({
    name: z.string().regex(/^[a-z0-9-]+$/),
    description: z.string().min(1),
    source: z.string().min(1).describe('The real-world event or document the scenario reproduces.'),
    steps: z.array(ScenarioStep).min(1).max(50),
  })
  .strict();
export type Scenario = z.infer<typeof Scenario>;

export const ScenarioStartRequest = z
  .object({
    match: FaultMatch.optional().describe('Merged into every rule of the scenario (e.g. {ods} picks the practice).'),
    seed: z.string().min(1).max(128).optional().describe('Seed of every probability draw of the run.'),
  })
  .strict();
export type ScenarioStartRequest = z.infer<typeof ScenarioStartRequest>;

export const ScenarioSummary = z.object({
  name: z.string(),
  description: z.string(),
  source: z.string(),
  steps: z.number().int(),
  running: z.boolean(),
});
export type ScenarioSummary = z.infer<typeof ScenarioSummary>;

export const ScenarioStarted = z.object({ name: z.string(), startedAt: z.string(), rules: z.array(z.string()) });
