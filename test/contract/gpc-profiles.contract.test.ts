import { gpcProfileViolations } from '../support/gpc-profiles';

/**
 * The GP Connect profile checker must catch what the spec forbids, or the integration suites that
 * read through it prove nothing. Each case breaks one rule of the page it cites.
 */

const PROFILE = (name: string) => `https://fhir.nhs.uk/STU3/StructureDefinition/${name}`;
const patient = {
  resourceType: 'Patient',
  id: 'p1',
  meta: { profile: [PROFILE('CareConnect-GPC-Patient-1')] },
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' }],
  name: [{ use: 'official', family: 'Example' }],
  gender: 'female',
  birthDate: '1980-01-01',
};
const list = {
  resourceType: 'List',
  id: 'l1',
  meta: { profile: [PROFILE('CareConnect-GPC-List-1')] },
  status: 'current',
  mode: 'snapshot',
  title: 'Problems',
  code: { coding: [{ system: 'http://snomed.info/sct', code: '717711000000103', display: 'Problems' }] },
  subject: { reference: 'Patient/p1' },
  emptyReason: { coding: [{ system: 'http://hl7.org/fhir/special-values', code: 'no-content-recorded' }] },
};
const referral = (overrides: Record<string, unknown>) => ({
  resourceType: 'ReferralRequest',
  id: 'r1',
  meta: { profile: [PROFILE('CareConnect-GPC-ReferralRequest-1')] },
  identifier: [{ system: 'https://provider.example/data-identifier', value: 'r1' }],
  status: 'unknown',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  ...overrides,
});
const bundle = (...resources: Record<string, unknown>[]) => ({
  resourceType: 'Bundle',
  id: 't',
  meta: { profile: [PROFILE('GPConnect-StructuredRecord-Bundle-1')] },
  type: 'collection',
  entry: resources.map((resource) => ({ resource })),
});

describe('GP Connect profile checker', () => {
  it('accepts a minimal conforming structured record', () => {
    expect(gpcProfileViolations(bundle(patient, list))).toEqual([]);
  });

  const broken: [string, Record<string, unknown>, RegExp][] = [
    [
      'a reference to a resource not in the collection (accessrecord_structured_development_bundle.md)',
      bundle(patient, { ...list, subject: { reference: 'Patient/elsewhere' } }),
      /not in the Bundle/,
    ],
    [
      'an empty List without emptyReason (FHIR STU3 List lst-1; _list.md)',
      bundle(patient, { ...list, emptyReason: undefined }),
      /empty List lacks emptyReason/,
    ],
    [
      'a List with entries and an emptyReason (FHIR STU3 List lst-1)',
      bundle(patient, { ...list, entry: [{ item: { reference: 'Patient/p1' } }] }),
      /entries and an emptyReason/,
    ],
    [
      'a List mode other than snapshot (_list.md: mode fixed)',
      bundle(patient, { ...list, mode: 'changes' }),
      /mode = "changes"/,
    ],
    [
      'a warning code without its note text (lists_for_message_structure.md)',
      bundle(patient, {
        ...list,
        extension: [{ url: PROFILE('Extension-CareConnect-GPC-ListWarningCode-1'), valueCode: 'confidential-items' }],
      }),
      /need their text in note/,
    ],
    [
      'a fullUrl in the structured record (accessrecord_structured_development_bundle.md)',
      { ...bundle(patient), entry: [{ fullUrl: 'urn:x', resource: patient }] },
      /has a fullUrl/,
    ],
    [
      'a Patient without an official name (CareConnect-GPC-Patient-1)',
      bundle({ ...patient, name: [{ use: 'usual', family: 'Example' }] }, list),
      /one official name/,
    ],
    [
      'a MedicationStatement without basedOn (accessrecord_structured_development_medicationstatement.md)',
      bundle(patient, list, {
        resourceType: 'MedicationStatement',
        id: 'm1',
        meta: { profile: [PROFILE('CareConnect-GPC-MedicationStatement-1')] },
        identifier: [{ system: 'https://fhir.nhs.uk/Id/cross-care-setting-identifier', value: 'x' }],
        status: 'active',
        subject: { reference: 'Patient/p1' },
      }),
      /MedicationStatement.basedOn is required/,
    ],
    [
      'a Condition whose subject is not a Patient (accessrecord_structured_problems.md)',
      bundle(patient, list, {
        resourceType: 'Condition',
        id: 'c1',
        subject: { reference: 'List/l1' },
      }),
      /Condition.subject → List\/l1: must reference Patient/,
    ],
    [
      'a ReferralRequest whose status is not unknown (accessrecord_structured_development_referralrequest_guidance.md)',
      bundle(patient, list, referral({ status: 'active' })),
      /ReferralRequest.status = "active" not in the profile's set/,
    ],
    [
      'a ReferralRequest that references its problem (accessrecord_structured_development_referralrequest.md, reasonReference)',
      bundle(patient, list, referral({ reasonReference: [{ reference: 'Patient/p1' }] })),
      /ReferralRequest.reasonReference must not be populated/,
    ],
    [
      'a ReferralRequest recipient that is not a HealthcareService, Organization or Practitioner (referralrequest.md)',
      bundle(patient, list, referral({ recipient: [{ reference: 'Patient/p1' }] })),
      /ReferralRequest.recipient → Patient\/p1: must reference HealthcareService\|Organization\|Practitioner/,
    ],
    [
      'a HealthcareService provided by something other than an Organization (CareConnect-HealthcareService-1)',
      bundle(patient, list, {
        resourceType: 'HealthcareService',
        id: 'h1',
        meta: { profile: [PROFILE('CareConnect-HealthcareService-1')] },
        providedBy: { reference: 'Patient/p1' },
      }),
      /HealthcareService.providedBy → Patient\/p1: must reference Organization/,
    ],
    [
      'a coding without a system',
      bundle(patient, { ...list, code: { coding: [{ code: '717711000000103' }] } }),
      /needs both system and code/,
    ],
  ];
  it.each(broken)('rejects %s', (_rule, body, message) => {
    expect(gpcProfileViolations(body).join('\n')).toMatch(message);
  });

  it('rejects an error OperationOutcome without its Spine-ErrorOrWarningCode-1 coding (development_fhir_error_handling_guidance.md)', () => {
    const outcome = {
      resourceType: 'OperationOutcome',
      meta: { profile: [PROFILE('GPConnect-OperationOutcome-1')] },
      issue: [{ severity: 'error', code: 'invalid', details: { text: 'bad' } }],
    };
    expect(gpcProfileViolations(outcome).join('\n')).toMatch(/Spine-ErrorOrWarningCode-1/);
  });

  it("accepts the SSP's own error shape, which is not a provider profile (nhsconnect/gpconnect #661)", () => {
    const sspError = {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'forbidden',
          details: {
            coding: [{ system: 'http://fhir.nhs.net/ValueSet/gpconnect-schedule-response-code-1-0', code: '403' }],
          },
        },
      ],
    };
    expect(gpcProfileViolations(sspError)).toEqual([]);
  });
});
