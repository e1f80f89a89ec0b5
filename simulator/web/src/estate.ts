import { api } from './api.js';
import { h, show } from './dom.js';
import type { Manifest, PracticeSummary, Scenario } from './types.js';

/** Estate: practices, their system and switches, the nodes and what scenario is running. */
export async function estatePage(main: HTMLElement): Promise<void> {
  const [manifest, practices, scenarios, health] = await Promise.all([
    api<Manifest>('/__sim/fixtures'),
    api<{ practices: PracticeSummary[] }>('/__sim/practices'),
    api<{ scenarios: Scenario[] }>('/__sim/scenarios'),
    api<{ version: string; seed: string; store: string; node: string }>('/__sim/health'),
  ]);
  const running = scenarios.scenarios.filter((scenario) => scenario.running).map((scenario) => scenario.name);
  show(
    main,
    h('h1', {}, 'Estate'),
    h(
      'p',
      { class: 'lede' },
      `gpsim ${health.version}, seed "${health.seed}", ${health.store} store. Active scenario: `,
      h('strong', {}, running.length > 0 ? running.join(', ') : 'none'),
    ),
    h('h2', {}, 'Nodes'),
    h(
      'ul',
      { class: 'nodes' },
      manifest.nodes.map((node) => h('li', {}, h('span', { class: 'badge ok' }, node.name), ' ', node.url)),
    ),
    h('h2', {}, 'Practices'),
    h(
      'table',
      { class: 'grid' },
      h('caption', { class: 'visually-hidden' }, 'Practices in the estate'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['ODS', 'Practice', 'System', 'List size', 'Switches'].map((name) => h('th', { scope: 'col' }, name)),
        ),
      ),
      h(
        'tbody',
        {},
        practices.practices.map((practice) => {
          const listed = manifest.practices.find((candidate) => candidate.ods === practice.ods);
          return h(
            'tr',
            {},
            h('td', {}, practice.ods),
            h('td', {}, practice.name),
            h('td', {}, h('span', { class: `badge system-${practice.system}` }, systemName(practice.system))),
            h('td', { class: 'number' }, listed?.listSize ?? ''),
            h('td', {}, switches(practice.settings)),
          );
        }),
      ),
    ),
  );
}

export function systemName(system: string): string {
  return system === 'emis' ? 'EMIS Web' : 'SystmOne';
}

/** Every on/off setting of a practice, flattened to "path: on|off" chips. */
function switches(settings: unknown): HTMLElement {
  const chips: HTMLElement[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'boolean') {
      chips.push(h('span', { class: `chip ${value ? 'on' : 'off'}` }, `${path}: ${value ? 'on' : 'off'}`));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(inner, path === '' ? key : `${path}.${key}`);
    } else if (value !== undefined) {
      chips.push(h('span', { class: 'chip' }, `${path}: ${String(value)}`));
    }
  };
  walk(settings, '');
  return h('div', { class: 'chips' }, chips);
}
