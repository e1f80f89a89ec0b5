import type { control } from '@gpsim/contracts';

/**
 * A fault rule as the registry keeps it: the client's rule with its time window resolved to
 * instants on the simulated clock (epoch ms), so evaluating it is a few comparisons.
 */
export interface FaultRule {
  id: string;
  match: control.FaultMatch;
  fault: control.Fault;
  probability: number | undefined;
  /** Seed of this rule's probability and jitter draws (the rule id when not given). */
  seed: string;
  times: number | undefined;
  after: number | undefined;
  label: string | undefined;
  /** The scenario that created the rule, so stopping it removes only its rules. */
  scenario: string | undefined;
  createdAt: number;
  activeFrom: number;
  activeUntil: number | undefined;
  /** TTL: the rule deletes itself at this instant. */
  expiresAt: number | undefined;
}

/** A stored rule with its counters. */
export interface StoredFaultRule {
  rule: FaultRule;
  /** Requests that matched while the rule was active (drives `after`, `times` and the draws). */
  matched: number;
  /** Requests the rule faulted. */
  hits: number;
}
