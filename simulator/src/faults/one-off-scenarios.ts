import type { control } from '@gpsim/contracts';
import { SimError } from '../domain/errors';
import type { FaultPlan } from './fault-plan';
import { emptyPlan, latencyMs, maintenanceError, paceOf, rateLimitedError, statusError } from './fault-plan';

/**
 * Faults a single request can ask for with `X-Gpsim-Scenario: <name>` (as HMRC's Gov-Test-Scenario
 * does), for tests that cannot reach the control API. They touch no rule and no counter.
 */
export const oneOffScenarios: Record<string, control.Fault> = {
  'server-error': { kind: 'status', status: 500 },
  'bad-gateway': { kind: 'status', status: 502 },
  unavailable: { kind: 'status', status: 503 },
  'gateway-timeout': { kind: 'status', status: 504 },
  'rate-limited': { kind: 'rate-limit', limit: 0, windowS: 60 },
  maintenance: { kind: 'maintenance', retryAfterS: 300 },
  timeout: { kind: 'timeout' },
  reset: { kind: 'reset' },
  slow: { kind: 'latency', ms: 3000 },
  truncated: { kind: 'truncate', fraction: 0.5 },
  malformed: { kind: 'malformed' },
  dribble: { kind: 'dribble' },
  'network-lan-1gbe': { kind: 'network', profile: 'lan-1gbe' },
  'network-wifi': { kind: 'network', profile: 'wifi' },
  'network-3g': { kind: 'network', profile: '3g' },
  'network-bgan': { kind: 'network', profile: 'bgan' },
  'network-gprs': { kind: 'network', profile: 'gprs' },
};

const HEADER = 'X-Gpsim-Scenario';

export function oneOffPlan(name: string): FaultPlan {
  const fault = oneOffScenarios[name.trim()];
  if (fault === undefined) {
    throw new SimError(
      'invalid-request',
      `${HEADER} "${name.slice(0, 64)}" is not a one-off scenario; use one of ${Object.keys(oneOffScenarios).join(', ')}.`,
      { field: HEADER },
    );
  }
  const origin = `${HEADER}: ${name.trim()}`;
  const plan = emptyPlan();
  switch (fault.kind) {
    case 'status':
      plan.terminal = { kind: 'error', error: statusError(fault, origin) };
      break;
    case 'rate-limit':
      plan.terminal = { kind: 'error', error: rateLimitedError(fault.limit, fault.windowS, fault.windowS, origin) };
      break;
    case 'maintenance':
      plan.terminal = { kind: 'error', error: maintenanceError(fault.retryAfterS ?? 300, origin) };
      break;
    case 'timeout':
      plan.terminal = { kind: 'hang' };
      break;
    case 'reset':
      plan.terminal = { kind: 'reset' };
      break;
    case 'latency':
      plan.delayMs = latencyMs(fault, name, 0);
      break;
    case 'truncate':
      plan.body = { kind: 'truncate', fraction: fault.fraction };
      break;
    case 'malformed':
      plan.body = { kind: 'malformed' };
      break;
    case 'dribble':
    case 'network': {
      const { pace, delayMs, replyFloorMs } = paceOf(fault);
      plan.body = { kind: 'pace', pace };
      plan.delayMs = delayMs;
      if (replyFloorMs > 0) plan.replyFloorMs = replyFloorMs;
      break;
    }
    case 'practice-line':
    case 'node-down':
    case 'spine-down':
    case 'hscn-unreachable':
    case 'token-expiry':
      break;
  }
  return plan;
}
