import { api, ApiError } from './api.js';
import { ageOn, formatDate, formatNhsNumber, h, show } from './dom.js';
import { launchApp, openInSystmOne } from './launch.js';
import type { Manifest, PatientRecord, PatientSummary, RecordEntry } from './types.js';

/** Patients: search by name, NHS number or date of birth; archetype patients when the box is empty. */
export async function patientsPage(main: HTMLElement, query: string): Promise<void> {
  const input = h('input', {
    id: 'patient-query',
    type: 'search',
    name: 'q',
    value: query,
    autocomplete: 'off',
    'aria-describedby': 'patient-query-hint',
  });
  const results = h('div', { id: 'patient-results', 'aria-live': 'polite' });
  show(
    main,
    h('h1', {}, 'Patients'),
    h(
      'form',
      {
        role: 'search',
        class: 'search',
        onsubmit: ((event: Event) => {
          event.preventDefault();
          location.hash = `#/patients?q=${encodeURIComponent(input.value.trim())}`;
        }) as EventListener,
      },
      h('label', { for: 'patient-query' }, 'Find a patient'),
      input,
      h('button', { type: 'submit' }, 'Search'),
      h(
        'p',
        { id: 'patient-query-hint', class: 'hint' },
        'Name, NHS number (e.g. 999 123 4567) or date of birth (e.g. 14/03/1962).',
      ),
    ),
    results,
  );
  input.focus();
  const found = await api<{ patients: PatientSummary[]; complete: boolean }>(
    `/__sim/patients?q=${encodeURIComponent(query)}`,
  );
  show(
    results,
    query === '' ? h('h2', {}, 'Archetype patients') : h('h2', {}, `${found.patients.length} found`),
    found.patients.length === 0
      ? h('p', {}, 'No patient matches. Try a surname, an NHS number or a date of birth.')
      : h(
          'table',
          { class: 'grid' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Name', 'NHS number', 'Born', 'Sex', 'Practice', ''].map((name) => h('th', { scope: 'col' }, name)),
            ),
          ),
          h(
            'tbody',
            {},
            found.patients.map((patient) =>
              h(
                'tr',
                {},
                h('td', {}, h('a', { href: `#/patient/${patient.nhsNumber}` }, patient.name)),
                h('td', { class: 'nhs' }, formatNhsNumber(patient.nhsNumber)),
                h('td', {}, formatDate(patient.birthDate)),
                h('td', {}, patient.sex),
                h('td', {}, `${patient.practiceName} (${patient.ods})`),
                h('td', {}, badges(patient)),
              ),
            ),
          ),
        ),
    found.complete ? null : h('p', { class: 'hint' }, 'Showing the first matches only; narrow the search.'),
  );
}

function badges(patient: PatientSummary): HTMLElement {
  return h(
    'span',
    { class: 'chips' },
    patient.archetype
      ? h('span', { class: 'badge archetype', title: patient.archetypeDescription }, patient.archetype)
      : null,
    patient.sensitive ? h('span', { class: 'badge alert' }, 'Sensitive') : null,
    patient.deceasedDate ? h('span', { class: 'badge deceased' }, 'Deceased') : null,
  );
}

/** A patient's record laid out like a GP system's: banner, alerts, then the record's sections. */
export async function recordPage(main: HTMLElement, nhsNumber: string): Promise<void> {
  let patient: PatientRecord;
  try {
    patient = await api<PatientRecord>(`/__sim/patients/${encodeURIComponent(nhsNumber)}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      show(main, h('h1', {}, 'Patient not found'), h('p', {}, error.message));
      return;
    }
    throw error;
  }
  const [manifest, clock] = await Promise.all([api<Manifest>('/__sim/fixtures'), api<{ now: string }>('/__sim/clock')]);
  const users = manifest.users.filter((user) => user.ods === patient.ods);
  const userSelect = h(
    'select',
    { id: 'launch-user' },
    users.map((user) => h('option', { value: user.username }, `${user.name} (${user.role})`)),
  );
  const status = h('p', { id: 'launch-status', role: 'status' });
  const age = ageOn(patient.birthDate, new Date(patient.deceasedDate ?? clock.now));
  const alerts = [
    patient.sensitive
      ? h('li', { class: 'alert' }, 'Sensitive record: address and contact details are restricted')
      : null,
    patient.deceasedDate ? h('li', { class: 'deceased' }, `Deceased ${formatDate(patient.deceasedDate)}`) : null,
    patient.dissent ? h('li', { class: 'alert' }, 'Patient has dissented from record sharing') : null,
    patient.inTransitSince
      ? h('li', { class: 'alert' }, `Record transfer incomplete since ${formatDate(patient.inTransitSince)}`)
      : null,
  ].filter((item) => item !== null);
  show(
    main,
    h(
      'section',
      { class: 'banner', 'aria-label': 'Patient banner' },
      h('h1', {}, patient.name),
      h(
        'dl',
        { class: 'banner-facts' },
        h('dt', {}, 'NHS number'),
        h('dd', { class: 'nhs' }, formatNhsNumber(patient.nhsNumber)),
        h('dt', {}, 'Born'),
        h('dd', {}, `${formatDate(patient.birthDate)} (${age}y)`),
        h('dt', {}, 'Sex'),
        h('dd', {}, patient.sex),
        h('dt', {}, 'Practice'),
        h('dd', {}, `${patient.practiceName} (${patient.ods}, ${patient.system === 'emis' ? 'EMIS Web' : 'SystmOne'})`),
        patient.usualGp ? [h('dt', {}, 'Usual GP'), h('dd', {}, patient.usualGp)] : null,
      ),
      alerts.length > 0 ? h('ul', { class: 'alerts', 'aria-label': 'Alerts' }, alerts) : null,
      h(
        'div',
        { class: 'actions' },
        h('label', { for: 'launch-user' }, 'As user'),
        userSelect,
        patient.system === 'systmone'
          ? h(
              'button',
              {
                type: 'button',
                onclick: (() => void openInSystmOne(patient, userSelect.value, status)) as EventListener,
              },
              'Open in SystmOne',
            )
          : null,
        h(
          'button',
          {
            type: 'button',
            class: 'primary',
            onclick: (() => void launchApp(patient, userSelect.value, status)) as EventListener,
          },
          'Launch app',
        ),
      ),
      status,
    ),
    section('Problems', patient.record.problems, (entry) => [entry.concept?.display, entry.status]),
    section('Medication', patient.record.medications, (entry) => [
      entry.concept?.display,
      entry.dosageText,
      entry.status,
    ]),
    section('Allergies', patient.record.allergies, (entry) => [entry.concept?.display]),
    section('Recent consultations', recent(patient.record.consultations), (entry) => [
      entry.reason ?? entry.concept?.display ?? entry.title ?? 'Consultation',
    ]),
    section('Documents', recent(patient.record.documents), (entry) => [entry.title, entry.description]),
    section('Appointments', recent(patient.record.appointments), (entry) => [entry.description, entry.status]),
  );
}

/** The newest ten entries, newest first, and always every entry a partner wrote back. */
function recent(entries: RecordEntry[] | undefined): RecordEntry[] {
  const list = entries ?? [];
  return list.filter((entry, i) => i >= list.length - 10 || entry.writtenBy !== undefined).reverse();
}

function section(
  title: string,
  entries: RecordEntry[] | undefined,
  describe: (entry: RecordEntry) => (string | undefined)[],
): HTMLElement {
  const list = entries ?? [];
  return h(
    'section',
    { class: 'record-section', 'aria-label': title },
    h('h2', {}, title, ' ', h('span', { class: 'count' }, `(${list.length})`)),
    list.length === 0
      ? h('p', { class: 'hint' }, 'None recorded.')
      : h(
          'ul',
          {},
          list.map((entry) =>
            h(
              'li',
              { class: entry.writtenBy ? 'written-back' : undefined },
              h('span', { class: 'date' }, formatDate(entry.date)),
              ' ',
              describe(entry).filter(Boolean).join(' — '),
              entry.writtenBy
                ? h(
                    'span',
                    { class: 'badge partner' },
                    `Written by ${entry.writtenBy.partner} via ${entry.writtenBy.surface}`,
                  )
                : null,
            ),
          ),
        ),
  );
}
