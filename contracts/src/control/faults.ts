import { z } from 'zod';
import { GpSystem, SurfaceName } from './common';

/** A duration: an ISO 8601 string (PT30S, PT5M) or a number of milliseconds. */
export const FaultDuration = z.union([
  z.string().regex(/^-?P/, 'must be an ISO 8601 duration such as PT30S, or a number of milliseconds'),
  z.number().int().nonnegative(),
]);
export type FaultDuration = z.infer<typeof FaultDuration>;

/** Which requests a rule applies to; every field given must match (absent fields match anything). */
export const FaultMatch = z
  .object({
    surface: z
      .union([SurfaceName, z.array(SurfaceName).min(1).max(16)])
      .optional()
      .describe('Surface(s) to fault; the control API (/__sim) is never faulted.'),
    ods: z
      .union([z.string().min(1).max(16), z.array(z.string().min(1).max(16)).min(1).max(500)])
      .optional()
      .describe('Practice ODS code(s), from the path (GP Connect) or what the surface learnt.'),
    method: z.union([z.string().min(1).max(10), z.array(z.string().min(1).max(10)).min(1).max(8)]).optional(),
    path: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .describe('Path pattern: "*" matches within a segment, "**" across segments, e.g. /fhir/R4/Patient/*.'),
    system: GpSystem.optional().describe('Only practices on this GP system (systmone, emis).'),
    interaction: z.string().min(1).max(256).optional().describe('Interaction ID (e.g. Ssp-InteractionID).'),
    clientId: z.string().min(1).max(256).optional().describe('Client id as the journal attributes it.'),
    node: z.string().min(1).max(16).optional().describe('Only requests arriving at this node (s11, s12).'),
  })
  .strict();
export type FaultMatch = z.infer<typeof FaultMatch>;

export const networkProfiles = ['lan-1gbe', 'wifi', '3g', 'bgan', 'gprs'] as const;
export const NetworkProfileName = z.enum(networkProfiles);

const ms = z.number().int().nonnegative().max(600_000);

/** Fixed `{ms}`, or a seeded draw: `{dist:'uniform', minMs, maxMs}`, `{dist:'lognormal', medianMs, sigma}`. */
export const LatencyFault = z
  .object({
    kind: z.literal('latency'),
    ms: ms.optional(),
    dist: z.enum(['fixed', 'uniform', 'lognormal']).optional(),
    minMs: ms.optional(),
    maxMs: ms.optional(),
    medianMs: ms.optional(),
    sigma: z.number().positive().max(3).optional().describe('Lognormal shape: the standard deviation of ln(delay).'),
  })
  .strict()
  .superRefine((fault, context) => {
    const need = (field: 'ms' | 'minMs' | 'maxMs' | 'medianMs' | 'sigma') => {
      if (fault[field] === undefined)
        context.addIssue({ code: 'custom', path: [field], message: `${field} is required for this latency` });
    };
    const dist = fault.dist ?? 'fixed';
    if (dist === 'fixed') need('ms');
    if (dist === 'uniform') {
      need('minMs');
      need('maxMs');
      if ((fault.maxMs ?? 0) < (fault.minMs ?? 0))
        context.addIssue({ code: 'custom', path: ['maxMs'], message: 'maxMs must be at least minMs' });
    }
    if (dist === 'lognormal') {
      need('medianMs');
      need('sigma');
    }
  });

export const Fault = z.discriminatedUnion('kind', [
  LatencyFault,
  z.object({ kind: z.literal('network'), profile: NetworkProfileName }).strict(),
  z
    .object({
      kind: z.literal('status'),
      status: z.number().int().min(400).max(599),
      code: z.string().min(1).max(64).optional().describe('Domain error code (e.g. unavailable); else from status.'),
      message: z.string().min(1).max(500).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('rate-limit'),
      limit: z.number().int().nonnegative().max(1_000_000),
      windowS: z.number().int().positive().max(86_400),
    })
    .strict(),
  z
    .object({ kind: z.literal('maintenance'), retryAfterS: z.number().int().nonnegative().max(604_800).optional() })
    .strict(),
  z.object({ kind: z.literal('timeout') }).strict(),
  z.object({ kind: z.literal('reset') }).strict(),
  z.object({ kind: z.literal('truncate'), fraction: z.number().min(0).max(1) }).strict(),
  z.object({ kind: z.literal('malformed') }).strict(),
  z
    .object({
      kind: z.literal('dribble'),
      chunkBytes: z.number().int().positive().max(1_048_576).optional(),
      intervalMs: z.number().int().positive().max(60_000).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('practice-line'),
      users: z.number().int().positive().max(10_000).describe('Clinicians sharing the practice line.'),
      link: z.enum(['primary', 'backup']).optional().describe('primary: 64 Kbps per user; backup: 32 Kbps.'),
    })
    .strict(),
  z.object({ kind: z.literal('node-down'), node: z.string().min(1).max(16) }).strict(),
  z.object({ kind: z.literal('spine-down') }).strict(),
  z
    .object({ kind: z.literal('hscn-unreachable') })
    .strict()
    .describe('Services hosted on the private network (local pathology such as ICE, OptimiseRx) are unreachable.'),
  z.object({ kind: z.literal('token-expiry') }).strict(),
]);
export type Fault = z.infer<typeof Fault>;
export type FaultKind = Fault['kind'];

export const FaultRuleInput = z
  .object({
    match: FaultMatch.default({}),
    fault: Fault,
    probability: z.number().min(0).max(1).optional().describe('Chance each eligible request is faulted (default 1).'),
    seed: z.string().min(1).max(128).optional().describe('Seed of the probability decisions (default: the rule id).'),
    times: z.number().int().positive().max(1_000_000_000).optional().describe('Fault at most this many requests.'),
    after: z.number().int().nonnegative().max(1_000_000_000).optional().describe('Let this many requests pass first.'),
    start: FaultDuration.optional().describe('Delay before the rule becomes active, on the simulated clock.'),
    duration: FaultDuration.optional().describe('How long the rule stays active once started.'),
    ttl: FaultDuration.optional().describe('Dead-man switch: the rule is deleted this long after creation.'),
    label: z.string().min(1).max(200).optional(),
  })
  .strict();
export type FaultRuleInput = z.infer<typeof FaultRuleInput>;

export const FaultRuleCreated = z.object({ id: z.string() });

export const FaultRuleView = z.object({
  id: z.string(),
  match: FaultMatch,
  fault: Fault,
  probability: z.number().optional(),
  seed: z.string(),
  times: z.number().optional(),
  after: z.number().optional(),
  label: z.string().optional(),
  scenario: z.string().optional(),
  createdAt: z.string(),
  activeFrom: z.string(),
  activeUntil: z.string().optional(),
  expiresAt: z.string().optional(),
  active: z.boolean(),
  matched: z.number().int().describe('Requests that matched while the rule was active.'),
  hits: z.number().int().describe('Requests the rule actually faulted.'),
});
export type FaultRuleView = z.infer<typeof FaultRuleView>;

export const FaultRuleList = z.object({ rules: z.array(FaultRuleView) });
