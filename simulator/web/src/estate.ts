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
            h('td', { class: 'code' }, practice.ods),
            h('td', {}, practice.name),
            h('td', {}, h('span', { class: `badge system-${practice.system}` }, systemName(practice.system))),
            h('td', { class: 'number' }, listed?.listSize ?? ''),
            h('td', {}, switches(practice.ods, practice.settings)),
          );
        }),
      ),
    ),
  );
}

export function systemName(system: string): string {
  return system === 'emis' ? 'EMIS Web' : 'SystmOne';
}

/** A nested PATCH body that changes one switch: ["gpconnect", "structured"] → {gpconnect: {structured: value}}. */
function patchFor(path: string[], value: boolean): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

/** A practice's switches as checkboxes; a change is sent at once with PATCH /__sim/practices/{ods}. */
function switches(ods: string, settings: unknown): HTMLElement {
  const toggle = (path: string[], value: boolean, label: string): HTMLElement => {
    const id = `switch-${ods}-${path.join('-')}`;
    const box = h('input', {
      id,
      type: 'checkbox',
      checked: value,
      onchange: (async (event: Event) => {
        const input = event.target as HTMLInputElement;
        try {
          await api(`/__sim/practices/${encodeURIComponent(ods)}`, {
            method: 'PATCH',
            body: patchFor(path, input.checked),
          });
        } catch (error) {
          input.checked = !input.checked;
          alertLine.textContent = (error as Error).message;
        }
      }) as EventListener,
    });
    return h('span', { class: `switch ${value ? 'on' : 'off'}` }, box, h('label', { for: id }, label));
  };
  const alertLine = h('span', { class: 'error', role: 'alert' });
  const group = (title: string, path: string[], values: Record<string, unknown>): HTMLElement => {
    const flags = Object.entries(values).filter(([, value]) => typeof value === 'boolean') as [string, boolean][];
    const nested = Object.entries(values).filter(([, value]) => value !== null && typeof value === 'object');
    return h(
      'div',
      { class: 'switch-group' },
      h('strong', {}, title),
      ' ',
      flags.map(([key, value]) => toggle([...path, key], value, key)),
      nested.map(([key, value]) =>
        h(
          'details',
          {},
          h('summary', {}, key),
          h(
            'div',
            { class: 'chips' },
            Object.entries(value as Record<string, boolean>).map(([inner, flag]) =>
              toggle([...path, key, inner], flag, inner),
            ),
          ),
        ),
      ),
    );
  };
  const { gpconnect, partners, deviceTrust } = settings as {
    gpconnect: Record<string, unknown>;
    partners: Record<string, Record<string, unknown>>;
    deviceTrust: boolean;
  };
  return h(
    'div',
    { class: 'switches' },
    group('GP Connect', ['gpconnect'], gpconnect),
    Object.entries(partners).map(([name, partner]) => group(name, ['partners', name], partner)),
    // Internet SystmOne's device step: staff sign-ins from an untrusted browser need an emailed passcode.
    h(
      'div',
      { class: 'switch-group' },
      h('strong', {}, 'Sign-in'),
      ' ',
      toggle(['deviceTrust'], deviceTrust, 'device passcode'),
    ),
    alertLine,
  );
}
