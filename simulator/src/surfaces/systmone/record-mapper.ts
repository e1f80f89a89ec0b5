import type { ClinicalRecord, RecordEntry } from '../../domain/clinical-record';
import type { Practice } from '../../domain/estate';
import type { Patient } from '../../domain/patient';
import { isActiveRegistration } from '../../domain/patient-access';
import { el } from '../shared/xml';

/**
 * SystmOne's record shape from the public example (reference/domain.md §2.2, KCL fhir-ehr-adapter
 * resources/tpp-full.xml): Identity, Demographics, then Clinical as a flat list of Events (who,
 * where, when) holding narrative lines, clinical codes, medication and attachments; then RecordState.
 * gpsim codes with SNOMED CT (real records also carry CTV3 and Multilex), so Scheme says so.
 */
const sexCode = { female: 'F', male: 'M', other: 'I', unknown: 'U' } as const;
const doneAt = { surgery: 'Surgery', telephone: 'Telephone', 'home-visit': 'Home visit', video: 'Video' } as const;

export function identityXml(patient: Patient): { xml: string } {
  return el('Identity', null, el('NHSNumber', null, patient.nhsNumber));
}

export function demographicsXml(patient: Patient, practice: Practice): { xml: string } {
  const phone = (use: string) => patient.telecom.find((t) => t.system === 'phone' && t.use === use)?.value;
  const email = patient.telecom.find((t) => t.system === 'email')?.value;
  const usualGp = practice.staff[patient.usualGpIndex];
  return el(
    'Demographics',
    null,
    el('Title', null, patient.name.prefix ?? ''),
    el('FirstName', null, patient.name.given[0] ?? ''),
    el('MiddleNames', null, patient.name.given.slice(1).join(' ')),
    el('Surname', null, patient.name.family),
    el('DateOfBirth', null, patient.birthDate),
    patient.deceasedDate ? el('DateOfDeath', null, patient.deceasedDate) : undefined,
    el('Sex', null, sexCode[patient.sex]),
    el('MainLanguage', null, patient.language.display),
    el(
      'Address',
      null,
      ...patient.address.line.map((line, index) => el(`Line${index + 1}`, null, line)),
      el('Town', null, patient.address.city),
      el('Postcode', null, patient.address.postalCode),
    ),
    el('HomeTelephone', null, phone('home') ?? ''),
    el('WorkTelephone', null, phone('work') ?? ''),
    el('MobileTelephone', null, phone('mobile') ?? ''),
    el('EmailAddress', null, email ?? ''),
    el('UsualGPUserName', null, usualGp?.username ?? ''),
    el('CareStartDate', null, patient.registration.start.slice(0, 10)),
    el('RegistrationType', null, patient.registration.type),
  );
}

function doneBy(practice: Practice, index: number): { by: string; username: string } {
  const staff = practice.staff[index];
  if (!staff) return { by: '', username: '' };
  return { by: `${staff.family.toUpperCase()}, ${staff.given} (${staff.jobRole.display})`, username: staff.username };
}

function codeXml(code: string, term: string): { xml: string } {
  return el('Code', { Code: code, Scheme: 'SNOMED', Term: term });
}

/** The content one entry contributes to an Event. */
function entryContent(entry: RecordEntry): { xml: string } | undefined {
  switch (entry.kind) {
    case 'problem':
      return el(
        'ClinicalCode',
        null,
        codeXml(entry.concept.code, entry.concept.display),
        el('ProblemUID', null, entry.id),
        el('ProblemSeverity', null, entry.significance === 'major' ? 'Major' : 'Minor'),
        el('ProblemStatus', null, entry.status === 'active' ? 'Active' : 'Past'),
      );
    case 'medication':
      return el(
        'Medication',
        null,
        el('MedicationType', null, entry.prescriptionType === 'repeat' ? 'Repeat' : 'Acute'),
        el('Drug', { Name: entry.concept.display, ProductID: entry.concept.code, Scheme: 'dm+d' }),
        el('Dose', null, entry.dosageText),
        el('Quantity', null, entry.quantityText),
        el('StartDate', null, entry.date.slice(0, 10)),
        entry.endDate ? el('EndDate', null, entry.endDate.slice(0, 10)) : undefined,
      );
    case 'observation':
      return el(
        'ClinicalCode',
        null,
        codeXml(entry.concept.code, entry.concept.display),
        entry.value === undefined ? undefined : el('Value', { Units: entry.unit }, String(entry.value)),
        ...(entry.components ?? []).map((component) =>
          el('Value', { Code: component.concept.code, Units: component.unit }, String(component.value)),
        ),
      );
    case 'allergy':
    case 'immunisation':
    case 'referral':
    case 'diary':
    case 'investigation':
      return el('ClinicalCode', null, codeXml(entry.concept.code, entry.concept.display));
    case 'document':
      return el(
        'Attachment',
        null,
        el('FileName', null, entry.title),
        el('FileSize', null, `${entry.sizeBytes} bytes`),
        el('DocumentUID', null, entry.id),
        el('Comments', null, entry.description),
      );
    case 'appointment':
    case 'consultation':
      return undefined;
  }
}

/** The Event list: one Event per consultation (with what it recorded), one per other entry. */
export function clinicalXml(record: ClinicalRecord, practice: Practice): { xml: string } {
  const all: RecordEntry[] = Object.values(record).flat() as RecordEntry[];
  const byId = new Map(all.map((entry) => [entry.id, entry]));
  const inConsultation = new Set(record.consultations.flatMap((consultation) => consultation.entryIds));
  const events: { date: string; xml: { xml: string } }[] = [];
  for (const consultation of record.consultations) {
    const who = doneBy(practice, consultation.recorderIndex);
    const content = consultation.entryIds
      .map((id) => byId.get(id))
      .map((entry) => (entry && entry.confidential !== true ? entryContent(entry) : undefined));
    events.push({
      date: consultation.date,
      xml: el(
        'Event',
        {
          DateTime: consultation.date,
          DoneAt: doneAt[consultation.type],
          DoneBy: who.by,
          EventUID: consultation.id,
          UserName: who.username,
        },
        consultation.narrative.length > 0
          ? el('Narrative', null, ...consultation.narrative.map((line) => el('Line', null, line)))
          : undefined,
        ...content,
      ),
    });
  }
  for (const entry of all) {
    if (inConsultation.has(entry.id) || entry.confidential === true) continue;
    const content = entryContent(entry);
    if (!content) continue;
    const who = doneBy(practice, entry.recorderIndex);
    events.push({
      date: entry.date,
      xml: el(
        'Event',
        { DateTime: entry.date, DoneAt: practice.name, DoneBy: who.by, EventUID: entry.id, UserName: who.username },
        content,
      ),
    });
  }
  events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return el('Clinical', null, ...events.map((event) => event.xml));
}

export function recordStateOf(patient: Patient): 'Open' | 'Closed' {
  return isActiveRegistration(patient) ? 'Open' : 'Closed';
}
