import { api } from './api.js';
import { h, show } from './dom.js';
import type { FaultRule, Scenario } from './types.js';

const surfaces = ['gpconnect', 'ssp', 'mesh', 'systmone', 'emis', 'oauth', 'fhir-r4', 'pds'];

/** One parameter of a fault kind, named as the fault rule API names it. */
interface FaultParameter {
  name: string;
  label: string;
  value: string;
  min?: number;
  max?: number;
  options?: string[];
}

/** The fault kinds the form offers, with their parameters; the rest stay with the API and the presets. */
const faultKinds: Record<string, { label: string; parameters: FaultParameter[] }> = {
  status: {
    label: 'Answer with a status',
    parameters: [{ name: 'status', label: 'Status', value: '503', min: 400, max: 599 }],
  },
  latency: { label: 'Delay', parameters: [{ name: 'ms', label: 'Delay (ms)', value: '2000', min: 0, max: 600000 }] },
  network: {
    label: 'Network profile',
    parameters: [
      { name: 'profile', label: 'Profile', value: '3g', options: ['lan-1gbe', 'wifi', '3g', 'bgan', 'gprs'] },
    ],
  },
  'rate-limit': {
    label: 'Rate limit (429)',
    parameters: [
      { name: 'limit', label: 'Requests per window', value: '5', min: 0, max: 1000000 },
      { name: 'windowS', label: 'Window (s)', value: '1', min: 1, max: 86400 },
    ],
  },
  maintenance: {
    label: 'Maintenance (503 + Retry-After)',
    parameters: [{ name: 'retryAfterS', label: 'Retry-After (s)', value: '600', min: 0, max: 604800 }],
  },
  timeout: { label: 'Never answer', parameters: [] },
  reset: { label: 'Reset the connection', parameters: [] },
  'spine-down': { label: 'Spine unavailable', parameters: [] },
  'token-expiry': { label: 'Tokens expire', parameters: [] },
};

/** Scenarios and faults: presets to start and stop, a form for one rule, hit counts and the timeline. */
export async function scenariosPage(main: HTMLElement): Promise<void> {
  const [{ scenarios }, { rules }] = await Promise.all([
    api<{ scenarios: Scenario[] }>('/__sim/scenarios'),
    api<{ rules: FaultRule[] }>('/__sim/faults'),
  ]);
  const rerender = () => void scenariosPage(main);
  const surface = h(
    'select',
    { id: 'rule-surface' },
    h('option', { value: '' }, 'any'),
    surfaces.map((name) => h('option', { value: name }, name)),
  );
  const system = h(
    'select',
    { id: 'rule-system' },
    h('option', { value: '' }, 'any'),
    h('option', { value: 'emis' }, 'EMIS Web'),
    h('option', { value: 'systmone' }, 'SystmOne'),
  );
  const ods = h('input', { id: 'rule-ods', type: 'text', maxlength: 10, pattern: '[A-Za-z0-9]*' });
  const kind = h(
    'select',
    { id: 'rule-kind' },
    Object.entries(faultKinds).map(([name, { label }]) => h('option', { value: name }, label)),
  );
  const parameters = h('div', { class: 'rule-parameters' });
  const parameterInputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const showParameters = () => {
    parameterInputs.clear();
    show(
      parameters,
      (faultKinds[kind.value]?.parameters ?? []).map((parameter) => {
        const id = `rule-${parameter.name.toLowerCase()}`;
        const input = parameter.options
          ? h(
              'select',
              { id },
              parameter.options.map((option) => h('option', { value: option }, option)),
            )
          : h('input', { id, type: 'number', min: parameter.min, max: parameter.max, required: true });
        input.value = parameter.value;
        parameterInputs.set(parameter.name, input);
        return [h('label', { for: id }, parameter.label), input];
      }),
    );
  };
  kind.addEventListener('change', showParameters);
  showParameters();
  const duration = h('input', { id: 'rule-duration', type: 'text', value: 'PT10M', pattern: 'P.*', required: true });
  const problem = h('p', { class: 'error', role: 'alert' });
  show(
    main,
    h('h1', {}, 'Scenarios and faults'),
    h('h2', {}, 'Scenarios'),
    h(
      'ul',
      { class: 'scenarios' },
      scenarios.map((scenario) =>
        h(
          'li',
          {},
          h('strong', {}, scenario.name),
          scenario.running ? h('span', { class: 'badge alert' }, 'running') : null,
          h('p', {}, scenario.description),
          h(
            'button',
            {
              type: 'button',
              'data-scenario': scenario.name,
              onclick: (async () => {
                await api(`/__sim/scenarios/${encodeURIComponent(scenario.name)}/start`, { method: 'POST', body: {} });
                rerender();
              }) as EventListener,
            },
            `Start ${scenario.name}`,
          ),
        ),
      ),
    ),
    h(
      'button',
      {
        type: 'button',
        onclick: (async () => {
          await api('/__sim/scenarios/stop', { method: 'POST', body: {} });
          rerender();
        }) as EventListener,
      },
      'Stop all scenarios',
    ),
    h('h2', {}, 'Add a fault rule'),
    h(
      'form',
      {
        class: 'rule-form',
        onsubmit: (async (event: Event) => {
          event.preventDefault();
          const match: Record<string, string> = {};
          if (surface.value) match.surface = surface.value;
          if (system.value) match.system = system.value;
          if (ods.value) match.ods = ods.value.toUpperCase();
          try {
            await api('/__sim/faults', {
              method: 'POST',
              body: { match, fault: faultFromForm(kind.value, parameterInputs), duration: duration.value },
            });
            rerender();
          } catch (error) {
            problem.textContent = (error as Error).message;
          }
        }) as EventListener,
      },
      h('label', { for: 'rule-surface' }, 'Surface'),
      surface,
      h('label', { for: 'rule-system' }, 'System'),
      system,
      h('label', { for: 'rule-ods' }, 'Practice ODS'),
      ods,
      h('label', { for: 'rule-kind' }, 'Fault'),
      kind,
      parameters,
      h('label', { for: 'rule-duration' }, 'For (ISO 8601 duration)'),
      duration,
      h('button', { type: 'submit' }, 'Add rule'),
      problem,
    ),
    h('h2', {}, 'Rules and timeline'),
    rules.length === 0
      ? h('p', {}, 'No fault rules: every surface answers normally.')
      : h(
          'table',
          { class: 'grid' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Rule', 'Match', 'Fault', 'From', 'Until', 'Matched', 'Hits', ''].map((name) =>
                h('th', { scope: 'col' }, name),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            rules.map((rule) =>
              h(
                'tr',
                { class: rule.active ? 'active' : undefined },
                h('td', {}, rule.scenario ?? rule.label ?? rule.id),
                h('td', {}, JSON.stringify(rule.match)),
                h('td', {}, describeFault(rule.fault)),
                h('td', {}, new Date(rule.activeFrom).toLocaleTimeString('en-GB')),
                h('td', {}, rule.expiresAt ? new Date(rule.expiresAt).toLocaleTimeString('en-GB') : 'until removed'),
                h('td', { class: 'number' }, rule.matched),
                h('td', { class: 'number' }, rule.hits),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      onclick: (async () => {
                        await api(`/__sim/faults/${rule.id}`, { method: 'DELETE' });
                        rerender();
                      }) as EventListener,
                    },
                    'Remove',
                  ),
                ),
              ),
            ),
          ),
        ),
  );
}

/** True when an active rule makes a surface fail outright: the console shows the outage banner. */
export function outageRules(rules: FaultRule[]): FaultRule[] {
  return rules.filter(
    (rule) =>
      rule.active &&
      (['timeout', 'reset', 'node-down', 'spine-down'].includes(rule.fault.kind) || (rule.fault.status ?? 0) >= 500),
  );
}

function faultFromForm(
  kind: string,
  inputs: Map<string, HTMLInputElement | HTMLSelectElement>,
): Record<string, unknown> {
  const fault: Record<string, unknown> = { kind };
  for (const parameter of faultKinds[kind]?.parameters ?? []) {
    const value = inputs.get(parameter.name)?.value ?? parameter.value;
    fault[parameter.name] = parameter.options ? value : Number(value);
  }
  return fault;
}

/** A rule's fault as its kind and parameters, e.g. "rate-limit limit=5 windowS=1". */
function describeFault(fault: FaultRule['fault']): string {
  const parameters = Object.entries(fault)
    .filter(([name]) => name !== 'kind')
    .map(([name, value]) => (name === 'status' ? String(value) : `${name}=${String(value)}`));
  return [fault.kind, ...parameters].join(' ');
}
