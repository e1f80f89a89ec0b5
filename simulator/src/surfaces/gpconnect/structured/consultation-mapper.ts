import type { Consultation } from '../../../domain/clinical-record';
import { profile } from '../stu3';
import type { BundleBuilder } from './bundle-builder';

const CONSULTATION_CODE = { code: '325851000000107', display: 'Consultation encounter type' };
const encounterTypes: Record<Consultation['type'], string> = {
  surgery: 'Surgery consultation',
  telephone: 'Telephone consultation',
  'home-visit': 'Home visit',
  video: 'Video consultation',
};

/**
 * A consultation as an Encounter (CareConnect-GPC-Encounter-1) plus its consultation List, whose
 * entries are the items recorded in it that this Bundle carries.
 */
export function toGpcConsultation(
  builder: BundleBuilder,
  consultation: Consultation,
  carried: ReadonlyMap<string, string>,
): string {
  const performer = builder.recorder(consultation.recorderIndex);
  const location = builder.location(consultation.locationIndex);
  builder.add({
    resourceType: 'Encounter',
    id: consultation.id,
    meta: { profile: [profile('CareConnect-GPC-Encounter-1')] },
    identifier: builder.identifier(consultation),
    status: 'finished',
    type: [{ text: encounterTypes[consultation.type] }],
    subject: builder.subject,
    ...(performer ? { participant: [{ individual: performer }] } : {}),
    period: { start: consultation.date },
    length: { value: consultation.durationMinutes, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' },
    ...(location ? { location: [{ location }] } : {}),
  });
  const items = consultation.entryIds.flatMap((id) => {
    const reference = carried.get(id);
    return reference ? [{ item: { reference } }] : [];
  });
  builder.add({
    resourceType: 'List',
    id: `${consultation.id}-list`,
    meta: { profile: [profile('CareConnect-GPC-List-1')] },
    status: 'current',
    mode: 'snapshot',
    title: encounterTypes[consultation.type],
    code: { coding: [{ system: 'http://snomed.info/sct', ...CONSULTATION_CODE }] },
    subject: builder.subject,
    encounter: { reference: `Encounter/${consultation.id}` },
    date: consultation.date,
    note: consultation.narrative.map((text) => ({ text })),
    ...(items.length > 0
      ? { entry: items }
      : { emptyReason: { text: 'No items recorded in this consultation are in this response.' } }),
  });
  return `Encounter/${consultation.id}`;
}
