import type {
  Allergy,
  Appointment,
  Consultation,
  EntryBase,
  Immunisation,
  Medication,
  Observation,
  ObservationComponent,
  Problem,
  RecordDocument,
} from '../../domain/clinical-record';
import type { CodeableConcept, Coding, Extension, FhirResource, Quantity, Reference } from './fhir-types';
import { snomed, ukCoreProfile } from './fhir-types';
import type { MappingContext } from './references';
import {
  ODS_ORGANIZATION_CODE,
  ODS_SITE_CODE,
  organizationReference,
  patientReference,
  practitionerReference,
} from './references';

/**
 * GP record entries as UK Core R4 resources (profiles and extensions from
 * NHSDigital/FHIR-R4-UKCORE-STAGING-MAIN structuredefinitions/). Only what the entry holds is
 * shown: no invented vaccine products, no references to resources this API does not serve.
 */

export const profiles = {
  condition: ukCoreProfile('UKCore-Condition'),
  allergy: ukCoreProfile('UKCore-AllergyIntolerance'),
  medicationStatement: ukCoreProfile('UKCore-MedicationStatement'),
  observation: ukCoreProfile('UKCore-Observation'),
  labObservation: ukCoreProfile('UKCore-Observation-Lab'),
  bloodPressure: ukCoreProfile('UKCore-Observation-VitalSigns-BloodPressure'),
  immunization: ukCoreProfile('UKCore-Immunization'),
  encounter: ukCoreProfile('UKCore-Encounter'),
  appointment: ukCoreProfile('UKCore-Appointment'),
  documentReference: ukCoreProfile('UKCore-DocumentReference'),
} as const;

const UCUM = 'http://unitsofmeasure.org';
const LOINC = 'http://loinc.org';

function coded(system: string, code: string, display: string): CodeableConcept {
  return { coding: [{ system, code, display }] };
}

function recorderOf(entry: EntryBase, context: MappingContext): Reference | undefined {
  return practitionerReference(context.practice, entry.recorderIndex);
}

function encounterOf(entry: EntryBase): Reference | undefined {
  return entry.consultationId ? { reference: `Encounter/${entry.consultationId}` } : undefined;
}

const conditionClinical = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const conditionCategory = 'http://terminology.hl7.org/CodeSystem/condition-category';
const conditionVerification = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';

/** A problem: a problem-list Condition with UK Core's problem significance (major/minor). */
export function toCondition(problem: Problem, context: MappingContext): FhirResource {
  const recorder = recorderOf(problem, context);
  const encounter = encounterOf(problem);
  return {
    resourceType: 'Condition',
    id: problem.id,
    meta: { profile: [profiles.condition] },
    extension: [{ url: ukCoreProfile('Extension-UKCore-ProblemSignificance'), valueCode: problem.significance }],
    clinicalStatus:
      problem.status === 'active'
        ? coded(conditionClinical, 'active', 'Active')
        : coded(conditionClinical, 'inactive', 'Inactive'),
    verificationStatus: coded(conditionVerification, 'confirmed', 'Confirmed'),
    category: [coded(conditionCategory, 'problem-list-item', 'Problem List Item')],
    code: snomed(problem.concept),
    subject: patientReference(context.patient),
    ...(encounter ? { encounter } : {}),
    onsetDateTime: problem.date,
    ...(problem.endDate ? { abatementDateTime: problem.endDate } : {}),
    recordedDate: problem.recorded,
    ...(recorder ? { recorder } : {}),
  };
}

const allergyClinical = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const allergyVerification = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

/**
 * An allergy. "No known allergy" entries carry only their code, as UK Core's negation example
 * does (UKCore-AllergyIntolerance-Sn-NegHandlNoKnownAllergies-Example); an ended allergy carries
 * its end date in Extension-UKCore-AllergyIntoleranceEnd.
 */
export function toAllergyIntolerance(allergy: Allergy, context: MappingContext): FhirResource {
  const recorder = recorderOf(allergy, context);
  const encounter = encounterOf(allergy);
  const extension: Extension[] = allergy.endDate
    ? [
        {
          url: ukCoreProfile('Extension-UKCore-AllergyIntoleranceEnd'),
          extension: [{ url: 'endDate', valueDateTime: allergy.endDate }],
        },
      ]
    : [];
  return {
    resourceType: 'AllergyIntolerance',
    id: allergy.id,
    meta: { profile: [profiles.allergy] },
    ...(extension.length > 0 ? { extension } : {}),
    clinicalStatus:
      allergy.clinicalStatus === 'active'
        ? coded(allergyClinical, 'active', 'Active')
        : coded(allergyClinical, 'resolved', 'Resolved'),
    verificationStatus: coded(allergyVerification, 'confirmed', 'Confirmed'),
    ...(allergy.noKnownAllergy ? {} : { type: allergy.type, category: [allergy.category] }),
    code: snomed(allergy.concept),
    patient: patientReference(context.patient),
    ...(encounter ? { encounter } : {}),
    ...(allergy.noKnownAllergy ? {} : { onsetDateTime: allergy.date }),
    recordedDate: allergy.recorded,
    ...(recorder ? { recorder } : {}),
    ...(allergy.reaction ? { reaction: [{ manifestation: [snomed(allergy.reaction)] }] } : {}),
  };
}

/** A medication course (acute or repeat authorisation) with its last issue date. */
export function toMedicationStatement(medication: Medication, context: MappingContext): FhirResource {
  const recorder = recorderOf(medication, context);
  const encounter = encounterOf(medication);
  let lastIssue: string | undefined;
  for (const issue of medication.issues) if (lastIssue === undefined || issue.date > lastIssue) lastIssue = issue.date;
  const repeats = medication.repeatsAllowed === undefined ? '' : `, ${medication.repeatsAllowed} issues authorised`;
  return {
    resourceType: 'MedicationStatement',
    id: medication.id,
    meta: { profile: [profiles.medicationStatement] },
    ...(lastIssue
      ? {
          extension: [
            { url: ukCoreProfile('Extension-UKCore-MedicationStatementLastIssueDate'), valueDateTime: lastIssue },
          ],
        }
      : {}),
    status: medication.status,
    medicationCodeableConcept: snomed(medication.concept),
    subject: patientReference(context.patient),
    ...(encounter ? { context: encounter } : {}),
    effectivePeriod: { start: medication.date, ...(medication.endDate ? { end: medication.endDate } : {}) },
    dateAsserted: medication.recorded,
    ...(recorder ? { informationSource: recorder } : {}),
    ...(medication.problemId ? { reasonReference: [{ reference: `Condition/${medication.problemId}` }] } : {}),
    note: [{ text: `${capitalise(medication.prescriptionType)} prescription: ${medication.quantityText}${repeats}.` }],
    dosage: [{ text: medication.dosageText }],
  };
}

const observationCategories: Record<Observation['category'], { code: string; display: string }> = {
  'vital-signs': { code: 'vital-signs', display: 'Vital Signs' },
  laboratory: { code: 'laboratory', display: 'Laboratory' },
  'social-history': { code: 'social-history', display: 'Social History' },
  examination: { code: 'exam', display: 'Exam' },
};
const observationCategory = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** UCUM codes for the units the record generator writes; other units are shown as text only. */
const ucumCodes: Readonly<Record<string, string>> = {
  mmHg: 'mm[Hg]',
  kg: 'kg',
  m: 'm',
  'kg/m2': 'kg/m2',
  '/min': '/min',
  '%': '%',
  'mmol/mol': 'mmol/mol',
  'umol/L': 'umol/L',
  'mL/min/1.73m2': 'mL/min/{1.73_m2}',
  'mmol/L': 'mmol/L',
  'mg/mmol': 'mg/mmol',
  'mU/L': 'm[IU]/L',
  'pmol/L': 'pmol/L',
  'g/L': 'g/L',
  '10*9/L': '10*9/L',
  'U/L': 'U/L',
  'nmol/L': 'nmol/L',
  ratio: '{ratio}',
};

function quantity(value: number, unit: string): Quantity {
  const code = ucumCodes[unit];
  return code === undefined ? { value, unit } : { value, unit, system: UCUM, code };
}

const BLOOD_PRESSURE = '75367002';
/**
 * UKCore-Observation-VitalSigns-BloodPressure requires these LOINC codings beside the SNOMED ones
 * (fixedCode 85354-9 on code, 8480-6 and 8462-4 on the systolic and diastolic components).
 */
const bloodPressureLoinc: Readonly<Record<string, Coding>> = {
  [BLOOD_PRESSURE]: { system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' },
  '271649006': { system: LOINC, code: '8480-6', display: 'Systolic blood pressure' },
  '271650006': { system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' },
};

function isBloodPressure(observation: Observation): boolean {
  const components = observation.components ?? [];
  return (
    observation.concept.code === BLOOD_PRESSURE &&
    components.some((component) => component.concept.code === '271649006') &&
    components.some((component) => component.concept.code === '271650006')
  );
}

function observationCode(concept: { code: string; display: string }, withLoinc: boolean): CodeableConcept {
  const code = snomed(concept);
  const loinc = withLoinc ? bloodPressureLoinc[concept.code] : undefined;
  return loinc ? { coding: [...(code.coding ?? []), loinc] } : code;
}

function componentOf(component: ObservationComponent, withLoinc: boolean): Record<string, unknown> {
  return {
    code: observationCode(component.concept, withLoinc),
    valueQuantity: quantity(component.value, component.unit),
  };
}

/** A measurement or result: blood pressure with its components, lab results with reference ranges. */
export function toObservation(observation: Observation, context: MappingContext): FhirResource {
  const bloodPressure = isBloodPressure(observation);
  const profile = bloodPressure
    ? profiles.bloodPressure
    : observation.category === 'laboratory'
      ? profiles.labObservation
      : profiles.observation;
  const category = observationCategories[observation.category];
  const recorder = recorderOf(observation, context);
  const encounter = encounterOf(observation);
  const unit = observation.unit ?? '';
  return {
    resourceType: 'Observation',
    id: observation.id,
    meta: { profile: [profile] },
    status: 'final',
    category: [coded(observationCategory, category.code, category.display)],
    code: observationCode(observation.concept, bloodPressure),
    subject: patientReference(context.patient),
    ...(encounter ? { encounter } : {}),
    effectiveDateTime: observation.date,
    issued: observation.recorded,
    ...(recorder ? { performer: [recorder] } : {}),
    ...(observation.value === undefined ? {} : { valueQuantity: quantity(observation.value, unit) }),
    ...(observation.referenceRange
      ? {
          referenceRange: [
            {
              low: quantity(observation.referenceRange.low, unit),
              high: quantity(observation.referenceRange.high, unit),
            },
          ],
        }
      : {}),
    ...(observation.components
      ? { component: observation.components.map((component) => componentOf(component, bloodPressure)) }
      : {}),
  };
}

/**
 * A vaccination. GP records code the procedure ("first dose of ... vaccine"), not the product, so
 * the procedure goes in Extension-UKCore-VaccinationProcedure and vaccineCode says the product is
 * unknown rather than inventing one.
 */
export function toImmunization(immunisation: Immunisation, context: MappingContext): FhirResource {
  const recorder = recorderOf(immunisation, context);
  const encounter = encounterOf(immunisation);
  return {
    resourceType: 'Immunization',
    id: immunisation.id,
    meta: { profile: [profiles.immunization] },
    extension: [
      {
        url: ukCoreProfile('Extension-UKCore-VaccinationProcedure'),
        valueCodeableConcept: snomed(immunisation.concept),
      },
    ],
    status: immunisation.status,
    ...(immunisation.notGivenReason ? { statusReason: snomed(immunisation.notGivenReason) } : {}),
    vaccineCode: coded('http://terminology.hl7.org/CodeSystem/v3-NullFlavor', 'UNK', 'Unknown'),
    patient: patientReference(context.patient),
    ...(encounter ? { encounter } : {}),
    occurrenceDateTime: immunisation.date,
    recorded: immunisation.recorded,
    primarySource: true,
    ...(recorder && immunisation.status === 'completed' ? { performer: [{ actor: recorder }] } : {}),
    ...(immunisation.doseNumber === undefined
      ? {}
      : { protocolApplied: [{ doseNumberPositiveInt: immunisation.doseNumber }] }),
  };
}

const actCode = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const consultationTypes: Record<Consultation['type'], { classCode: string; classDisplay: string; text: string }> = {
  surgery: { classCode: 'AMB', classDisplay: 'ambulatory', text: 'Surgery consultation' },
  telephone: { classCode: 'VR', classDisplay: 'virtual', text: 'Telephone consultation' },
  video: { classCode: 'VR', classDisplay: 'virtual', text: 'Video consultation' },
  'home-visit': { classCode: 'HH', classDisplay: 'home health', text: 'Home visit' },
};

/** A consultation: who, where, how long, the problems discussed, and what the clinician wrote. */
export function toEncounter(consultation: Consultation, context: MappingContext): FhirResource {
  const kind = consultationTypes[consultation.type];
  const recorder = recorderOf(consultation, context);
  const location = context.practice.locations[consultation.locationIndex];
  const end = addMinutes(consultation.date, consultation.durationMinutes);
  return {
    resourceType: 'Encounter',
    id: consultation.id,
    meta: { profile: [profiles.encounter] },
    ...(consultation.narrative.length > 0
      ? {
          text: {
            status: 'generated',
            div: `<div xmlns="http://www.w3.org/1999/xhtml">${consultation.narrative.map((line) => `<p>${escapeXhtml(line)}</p>`).join('')}</div>`,
          },
        }
      : {}),
    status: 'finished',
    class: { system: actCode, code: kind.classCode, display: kind.classDisplay },
    type: [{ text: kind.text }],
    subject: patientReference(context.patient),
    ...(recorder ? { participant: [{ individual: recorder }] } : {}),
    period: { start: consultation.date, ...(end ? { end } : {}) },
    length: { value: consultation.durationMinutes, unit: 'minutes', system: UCUM, code: 'min' },
    ...(consultation.problemIds.length > 0
      ? { reasonReference: consultation.problemIds.map((id) => ({ reference: `Condition/${id}` })) }
      : {}),
    ...(location
      ? {
          location: [
            { location: { identifier: { system: ODS_SITE_CODE, value: location.siteCode }, display: location.name } },
          ],
        }
      : {}),
    serviceProvider: organizationReference(context.population, context.practice),
  };
}

const appointmentStatuses: Record<Appointment['status'], string> = {
  booked: 'booked',
  fulfilled: 'fulfilled',
  noshow: 'noshow',
  cancelled: 'cancelled',
};

/** A booked slot: who with, where, when, how (in person, telephone, video), and whether it happened. */
export function toAppointment(appointment: Appointment, context: MappingContext): FhirResource {
  const clinician = practitionerReference(context.practice, appointment.practitionerIndex);
  const location = context.practice.locations[appointment.locationIndex];
  const minutes = (Date.parse(appointment.end) - Date.parse(appointment.date)) / 60_000;
  return {
    resourceType: 'Appointment',
    id: appointment.id,
    meta: { profile: [profiles.appointment] },
    status: appointmentStatuses[appointment.status],
    serviceType: [{ text: appointment.serviceType }],
    appointmentType: { text: appointment.deliveryChannel },
    start: appointment.date,
    end: appointment.end,
    minutesDuration: minutes,
    created: appointment.recorded,
    participant: [
      { actor: patientReference(context.patient), status: 'accepted' },
      ...(clinician ? [{ actor: clinician, status: 'accepted' }] : []),
      ...(location
        ? [
            {
              actor: { identifier: { system: ODS_SITE_CODE, value: location.siteCode }, display: location.name },
              status: 'accepted',
            },
          ]
        : []),
    ],
  };
}

/** A filed document: its metadata only (the content is served by GP Connect Access Document). */
export function toDocumentReference(document: RecordDocument, context: MappingContext): FhirResource {
  const encounter = encounterOf(document);
  const practice = organizationReference(context.population, context.practice);
  const author: Reference =
    document.author.ods === context.practice.ods
      ? practice
      : { identifier: { system: ODS_ORGANIZATION_CODE, value: document.author.ods }, display: document.author.name };
  return {
    resourceType: 'DocumentReference',
    id: document.id,
    meta: { profile: [profiles.documentReference] },
    status: 'current',
    type: snomed(document.type),
    subject: patientReference(context.patient),
    date: document.indexed,
    author: [author],
    custodian: practice,
    description: document.description,
    content: [
      {
        attachment: {
          contentType: document.contentType,
          size: document.sizeBytes,
          title: document.title,
          creation: document.date,
        },
      },
    ],
    context: { ...(encounter ? { encounter: [encounter] } : {}), period: { start: document.date } },
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The end of a period that starts at a full date-time; undefined for partial dates. */
function addMinutes(start: string, minutes: number): string | undefined {
  if (start.length < 16) return undefined;
  const time = Date.parse(start);
  if (Number.isNaN(time)) return undefined;
  return new Date(time + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

const xhtmlEscapes: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escapeXhtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => xhtmlEscapes[character] ?? character);
}
