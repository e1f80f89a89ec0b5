import type { DiaryEntry, Immunisation, RecordDocument, Referral } from '../../../domain/clinical-record';
import type { Resource } from '../stu3';
import { profile } from '../stu3';
import type { BundleBuilder } from './bundle-builder';
import { codeable } from './bundle-builder';

const VACCINATION_PROCEDURE =
  'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-VaccinationProcedure-1';

/** CareConnect-GPC-Immunization-1 (GPC _includes/accessrecord_structured/immunizations_response1.json). */
export function toGpcImmunisation(builder: BundleBuilder, immunisation: Immunisation): Resource {
  const practitioner = builder.performer(immunisation.recorderIndex);
  return {
    resourceType: 'Immunization',
    id: immunisation.id,
    meta: { profile: [profile('CareConnect-GPC-Immunization-1')] },
    extension: [{ url: VACCINATION_PROCEDURE, valueCodeableConcept: codeable(immunisation.concept) }],
    identifier: builder.identifier(immunisation),
    status: 'completed',
    notGiven: immunisation.status === 'not-done',
    vaccineCode: {
      coding: [{ system: 'http://snomed.info/sct', code: '777777771000000108', display: 'Vaccine not mapped' }],
      text: immunisation.concept.display,
    },
    patient: builder.subject,
    date: immunisation.date,
    primarySource: true,
    ...(practitioner ? { practitioner: [{ actor: practitioner }] } : {}),
    ...(immunisation.status === 'not-done' && immunisation.notGivenReason
      ? { explanation: { reasonNotGiven: [codeable(immunisation.notGivenReason)] } }
      : {}),
    ...(immunisation.doseNumber !== undefined
      ? { vaccinationProtocol: [{ doseSequence: immunisation.doseNumber, doseStatus: { text: 'Counts' } }] }
      : {}),
  };
}

/**
 * CareConnect-GPC-ReferralRequest-1 (GPC accessrecord_structured_development_referralrequest.md and
 * _referralrequest_guidance.md): status always unknown, intent order, the record's main code in
 * reasonCode (never serviceRequested), the service referred to as a HealthcareService recipient
 * provided by its Organization, and the referral letter as a DocumentReference in supportingInfo.
 * The problem references the referral, never the other way.
 */
export function toGpcReferral(
  builder: BundleBuilder,
  referral: Referral,
  letter: RecordDocument | undefined,
): Resource {
  const requester = builder.performer(referral.recorderIndex);
  const recipient = referral.recipient ? builder.healthcareService(referral.recipient, referral.service) : undefined;
  const supportingInfo = letter ? builder.documentReference(letter) : undefined;
  return {
    resourceType: 'ReferralRequest',
    id: referral.id,
    meta: { profile: [profile('CareConnect-GPC-ReferralRequest-1')] },
    identifier: builder.identifier(referral),
    status: 'unknown',
    intent: 'order',
    priority: referral.priority === 'routine' ? 'routine' : referral.priority === 'urgent' ? 'urgent' : 'asap',
    subject: builder.subject,
    authoredOn: referral.date,
    ...(requester ? { requester: { agent: requester } } : {}),
    ...(recipient ? { recipient: [recipient] } : {}),
    reasonCode: [codeable(referral.concept)],
    description: referral.reasonText,
    ...(supportingInfo ? { supportingInfo: [supportingInfo] } : {}),
  };
}

/** A diary (recall) entry as CareConnect-GPC-ProcedureRequest-1, intent plan. */
export function toGpcDiaryEntry(builder: BundleBuilder, entry: DiaryEntry): Resource {
  const requester = builder.performer(entry.recorderIndex);
  return {
    resourceType: 'ProcedureRequest',
    id: entry.id,
    meta: { profile: [profile('CareConnect-GPC-ProcedureRequest-1')] },
    identifier: builder.identifier(entry),
    status: 'active',
    intent: 'plan',
    code: codeable(entry.concept),
    subject: builder.subject,
    occurrenceDateTime: entry.dueDate,
    authoredOn: entry.recorded,
    ...(requester ? { requester: { agent: requester } } : {}),
  };
}
