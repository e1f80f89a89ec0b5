import type { Medication } from '../../../domain/clinical-record';
import type { Population } from '../../../population/population';
import { profile } from '../stu3';
import type { BundleBuilder } from './bundle-builder';

const PRESCRIPTION_TYPE = profile('Extension-CareConnect-GPC-PrescriptionType-1');
const PRESCRIPTION_TYPE_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-PrescriptionType-1';
const QUANTITY_TEXT = profile('Extension-CareConnect-GPC-MedicationQuantityText-1');
const LAST_ISSUE = profile('Extension-CareConnect-GPC-MedicationStatementLastIssueDate-1');
const PRESCRIBING_AGENCY = profile('Extension-CareConnect-GPC-PrescribingAgency-1');
const REPEAT_INFORMATION = profile('Extension-CareConnect-GPC-MedicationRepeatInformation-1');
/** EMIS records carry its local drug code alongside dm+d (GPC resources overview: code systems). */
const EMIS_DRUG_CODES = 'https://fhir.hl7.org.uk/Id/emis-drug-codes';

/**
 * Whether a medication was active on or after the search date (GPC retrieve_patient_record
 * "active on or after"): an acute only on its start; a repeat from its start until its end (none = ongoing).
 */
export function activeOnOrAfter(medication: Medication, from: string | undefined): boolean {
  if (from === undefined) return true;
  if (medication.prescriptionType === 'acute') return medication.date.slice(0, 10) >= from;
  return medication.endDate === undefined || medication.endDate.slice(0, 10) >= from;
}

function dispense(medication: Pick<Medication, 'quantityText' | 'durationDays'>, start: string) {
  return {
    validityPeriod: { start },
    quantity: { extension: [{ url: QUANTITY_TEXT, valueString: medication.quantityText }] },
    expectedSupplyDuration: {
      value: medication.durationDays,
      unit: 'day',
      system: 'http://unitsofmeasure.org',
      code: 'd',
    },
  };
}

/**
 * One medication as GPC _includes/accessrecord_structured/meds_response.json shapes it: a Medication,
 * the authorisation as MedicationRequest intent plan, each issue as intent order (unless issues are
 * excluded), and the MedicationStatement summarising it.
 */
export function toGpcMedication(
  builder: BundleBuilder,
  population: Population,
  medication: Medication,
  includeIssues: boolean,
): string {
  const { practice, patient } = builder;
  const recorder = builder.recorder(medication.recorderIndex);
  const medicationId = population.estate.ids.encode('medication', patient.ordinal, hashCode(medication.concept.code));
  const coding = [
    { system: 'http://snomed.info/sct', code: medication.concept.code, display: medication.concept.display },
    ...(practice.system === 'emis'
      ? [
          {
            system: EMIS_DRUG_CODES,
            code: `EMIS${medication.concept.code.slice(-6)}`,
            display: medication.concept.display,
          },
        ]
      : []),
  ];
  builder.add({
    resourceType: 'Medication',
    id: medicationId,
    meta: { profile: [profile('CareConnect-GPC-Medication-1')] },
    code: { coding, text: medication.concept.display },
  });
  const planId = `${medication.id}-plan`;
  const typeExtension = {
    url: PRESCRIPTION_TYPE,
    valueCodeableConcept: {
      coding: [
        {
          system: PRESCRIPTION_TYPE_SYSTEM,
          code: medication.prescriptionType,
          display: medication.prescriptionType === 'acute' ? 'Acute' : 'Repeat',
        },
      ],
    },
  };
  const status = medication.status === 'stopped' ? 'stopped' : medication.status === 'active' ? 'active' : 'completed';
  const dosage = [{ text: medication.dosageText }];
  builder.add({
    resourceType: 'MedicationRequest',
    id: planId,
    meta: { profile: [profile('CareConnect-GPC-MedicationRequest-1')] },
    extension: [
      typeExtension,
      ...(medication.prescriptionType === 'repeat'
        ? [
            {
              url: REPEAT_INFORMATION,
              extension: [
                { url: 'numberOfRepeatPrescriptionsAllowed', valueUnsignedInt: medication.repeatsAllowed ?? 6 },
                { url: 'numberOfRepeatPrescriptionsIssued', valueUnsignedInt: medication.issues.length },
              ],
            },
          ]
        : []),
    ],
    identifier: builder.identifier(medication),
    status,
    intent: 'plan',
    medicationReference: { reference: `Medication/${medicationId}` },
    subject: builder.subject,
    authoredOn: medication.date,
    ...(recorder ? { recorder } : {}),
    dosageInstruction: dosage,
    dispenseRequest: dispense(medication, medication.date),
  });
  if (includeIssues) {
    for (const issue of medication.issues) {
      builder.add({
        resourceType: 'MedicationRequest',
        id: issue.id,
        meta: { profile: [profile('CareConnect-GPC-MedicationRequest-1')] },
        extension: [typeExtension],
        identifier: [{ system: builder.identifier(medication)[0]?.system ?? '', value: issue.id }],
        basedOn: [{ reference: `MedicationRequest/${planId}` }],
        status: 'completed',
        intent: 'order',
        medicationReference: { reference: `Medication/${medicationId}` },
        subject: builder.subject,
        authoredOn: issue.date,
        ...(recorder ? { recorder } : {}),
        dosageInstruction: dosage,
        dispenseRequest: dispense({ quantityText: issue.quantityText, durationDays: issue.durationDays }, issue.date),
      });
    }
  }
  const lastIssue = medication.issues[medication.issues.length - 1];
  const statementId = `${medication.id}-statement`;
  builder.add({
    resourceType: 'MedicationStatement',
    id: statementId,
    meta: { profile: [profile('CareConnect-GPC-MedicationStatement-1')] },
    extension: [
      ...(lastIssue ? [{ url: LAST_ISSUE, valueDateTime: lastIssue.date }] : []),
      {
        url: PRESCRIBING_AGENCY,
        valueCodeableConcept: {
          coding: [
            {
              system: 'https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-PrescribingAgency-1',
              code: 'prescribed-at-gp-practice',
              display: 'Prescribed at GP practice',
            },
          ],
        },
      },
    ],
    identifier: builder.identifier(medication),
    basedOn: [{ reference: `MedicationRequest/${planId}` }],
    status: status === 'active' ? 'active' : status === 'stopped' ? 'stopped' : 'completed',
    medicationReference: { reference: `Medication/${medicationId}` },
    effectivePeriod: { start: medication.date, ...(medication.endDate ? { end: medication.endDate } : {}) },
    dateAsserted: medication.recorded,
    subject: builder.subject,
    taken: 'unk',
    dosage,
  });
  return `MedicationStatement/${statementId}`;
}

/** A small stable number from a code, so one drug maps to one Medication per patient. */
function hashCode(code: string): number {
  let hash = 0;
  for (const char of code) hash = (hash * 31 + char.charCodeAt(0)) % 0x3ffffff;
  return hash;
}
