/**
 * A test oracle for GP Connect response bodies: the required elements, cardinalities, fixed
 * systems/codes and reference targets of the STU3 profiles the spec names, written from the spec
 * pages (nhsconnect/gpconnect, pages/accessrecord_structured/accessrecord_structured_development_*.md
 * "Optionality: Mandatory" tables; foundations/appointments use-case pages; FHIR STU3 base
 * invariants). It knows nothing of gpsim's mappers, so a mapper that drops a mandatory element fails
 * every suite that reads through the test client.
 */

type Json = Record<string, unknown>;

interface ProfileRules {
  /** Elements that must be present (dotted paths; arrays are walked). */
  required?: readonly string[];
  /** Elements the profile narrows to at most one repetition. */
  single?: readonly string[];
  /** Elements whose value the profile fixes or binds to a closed set. */
  fixed?: Readonly<Record<string, readonly unknown[]>>;
  /** Reference elements and the resource types they may point at. */
  targets?: Readonly<Record<string, readonly string[]>>;
  /** Extensions (by a distinctive part of their url) the profile makes mandatory. */
  extensions?: readonly string[];
  /** Elements the page lists as not in use ("MUST NOT be populated"). */
  forbidden?: readonly string[];
}

const PATIENT = ['Patient'];
const PERFORMERS = ['Practitioner', 'PractitionerRole', 'Organization'];
const NHS_NUMBER = 'https://fhir.nhs.uk/Id/nhs-number';
const ODS_CODE = 'https://fhir.nhs.uk/Id/ods-organization-code';
const SPINE_CODES = 'https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1';
/** The code system of the SSP's own errors (development_fhir_error_handling_guidance.md; nhsconnect/gpconnect #661). */
const SSP_ERROR_CODES = 'http://fhir.nhs.net/ValueSet/gpconnect-schedule-response-code-1-0';

/** Every clinical item of the structured record carries these (each resource page: id, meta.profile, identifier 1..*). */
const clinicalItem = ['id', 'meta.profile', 'identifier.system', 'identifier.value'];

const rules: Readonly<Record<string, ProfileRules>> = {
  // accessrecord_structured_development_allergyintolerance.md
  AllergyIntolerance: {
    required: [
      ...clinicalItem,
      'clinicalStatus',
      'verificationStatus',
      'category',
      'code',
      'patient',
      'assertedDate',
      'recorder',
    ],
    fixed: {
      clinicalStatus: ['active', 'resolved'],
      verificationStatus: ['unconfirmed'],
      category: ['medication', 'environment', 'food', 'biologic'],
    },
    targets: { patient: PATIENT, recorder: PERFORMERS, asserter: PERFORMERS },
  },
  // accessrecord_structured_development_medicationstatement.md
  MedicationStatement: {
    required: [
      ...clinicalItem,
      'basedOn',
      'status',
      'medicationReference',
      'effectivePeriod.start',
      'dateAsserted',
      'subject',
      'taken',
      'dosage.text',
    ],
    single: ['basedOn', 'dosage'],
    extensions: ['PrescribingAgency'],
    fixed: { status: ['active', 'completed', 'stopped'], taken: ['unk'] },
    targets: { basedOn: ['MedicationRequest'], medicationReference: ['Medication'], subject: PATIENT },
  },
  // accessrecord_structured_development_medicationrequest.md
  MedicationRequest: {
    required: [
      ...clinicalItem,
      'status',
      'intent',
      'medicationReference',
      'subject',
      'authoredOn',
      'recorder',
      'dosageInstruction.text',
      'dispenseRequest.validityPeriod.start',
    ],
    single: ['dosageInstruction'],
    fixed: { intent: ['plan', 'order'], status: ['active', 'completed', 'stopped'] },
    targets: {
      medicationReference: ['Medication'],
      subject: PATIENT,
      basedOn: ['MedicationRequest'],
      recorder: PERFORMERS,
      'requester.agent': PERFORMERS,
    },
  },
  // accessrecord_structured_development_medication.md
  Medication: { required: ['id', 'meta.profile', 'code'] },
  // accessrecord_structured_problems.md (ProblemHeader): significance extension, one category, problem-list-item
  Condition: {
    required: [...clinicalItem, 'clinicalStatus', 'category', 'code', 'subject', 'assertedDate', 'asserter'],
    single: ['identifier', 'category'],
    extensions: ['ProblemSignificance'],
    fixed: { clinicalStatus: ['active', 'inactive'], 'category.coding.code': ['problem-list-item'] },
    targets: { subject: PATIENT, asserter: PERFORMERS },
  },
  // accessrecord_structured_development_immunization.md
  Immunization: {
    required: [...clinicalItem, 'status', 'notGiven', 'vaccineCode', 'patient', 'primarySource'],
    extensions: ['VaccinationProcedure'],
    fixed: { status: ['completed'] },
    targets: { patient: PATIENT, 'practitioner.actor': PERFORMERS },
  },
  // accessrecord_structured_development_referralrequest.md (status: _referralrequest_guidance.md "Providers MUST
  // set the status of the referral as unknown", cancelled only where the GP system cancelled it; intent fixed order;
  // reasonReference is not in use: the problem references the referral, never the other way)
  ReferralRequest: {
    required: [...clinicalItem, 'status', 'intent', 'subject'],
    fixed: { status: ['unknown', 'cancelled'], intent: ['order'] },
    forbidden: ['reasonReference', 'type', 'definition', 'replaces', 'groupIdentifier', 'occurrenceDateTime'],
    targets: {
      subject: PATIENT,
      context: ['Encounter'],
      'requester.agent': [...PERFORMERS, 'Device', 'Patient', 'RelatedPerson'],
      'requester.onBehalfOf': ['Organization'],
      recipient: ['HealthcareService', 'Organization', 'Practitioner'],
    },
  },
  // CareConnect-HealthcareService-1, a referral's recipient (retrieve_patient_record.md "Referrals": the
  // HealthcareService resources the referrals reference are in the Bundle)
  HealthcareService: {
    required: ['id', 'meta.profile'],
    targets: { providedBy: ['Organization'], location: ['Location'] },
  },
  // accessrecord_structured_development_ProcedureRequest.md (diary entries)
  ProcedureRequest: {
    required: [...clinicalItem, 'status', 'intent', 'code', 'subject'],
    fixed: { intent: ['plan'] },
    targets: { subject: PATIENT, 'requester.agent': PERFORMERS },
  },
  // accessrecord_structured_development_observation_*.md
  Observation: {
    required: [...clinicalItem, 'status', 'code', 'subject'],
    targets: { subject: PATIENT, performer: PERFORMERS },
  },
  // accessrecord_structured_development_DiagnosticReport.md
  DiagnosticReport: {
    required: [...clinicalItem, 'status', 'code', 'subject', 'issued'],
    targets: { subject: PATIENT, result: ['Observation'], specimen: ['Specimen'] },
  },
  // accessrecord_structured_development_specimen.md
  Specimen: { required: ['id', 'meta.profile', 'subject'], targets: { subject: PATIENT } },
  // accessrecord_structured_development_encounter.md
  Encounter: {
    required: [...clinicalItem, 'status', 'type', 'subject'],
    targets: { subject: PATIENT },
  },
  // accessrecord_structured_development_list.md; FHIR STU3 List invariant lst-1 (emptyReason only when empty)
  List: {
    required: ['meta.profile', 'status', 'mode', 'title', 'code.coding.system', 'code.coding.code', 'subject'],
    fixed: { status: ['current'], mode: ['snapshot'] },
    targets: { subject: PATIENT },
  },
  // foundations: CareConnect-GPC-Patient-1 (NHS number identifier, official name, gender, birthDate)
  Patient: {
    required: ['id', 'meta.profile', 'identifier.value', 'name.family', 'gender', 'birthDate'],
    fixed: { gender: ['male', 'female', 'other', 'unknown'] },
  },
  // foundations: CareConnect-GPC-Practitioner-1 (one name, SDS user id)
  Practitioner: { required: ['id', 'meta.profile', 'identifier.value', 'name.family'], single: ['name'] },
  PractitionerRole: {
    required: ['id', 'meta.profile', 'practitioner', 'organization'],
    targets: { practitioner: ['Practitioner'], organization: ['Organization'] },
  },
  // foundations: CareConnect-GPC-Organization-1 (ODS code identifier, name)
  Organization: { required: ['meta.profile', 'identifier.value', 'name'] },
  Location: { required: ['id', 'meta.profile', 'name'] },
  // appointments_use_case_search_for_free_slots.md: Slot → Schedule, Schedule → Practitioner/Location
  Slot: {
    required: ['id', 'meta.profile', 'schedule', 'status', 'start', 'end'],
    fixed: { status: ['free'] },
    targets: { schedule: ['Schedule'] },
  },
  Schedule: {
    required: ['id', 'meta.profile', 'actor'],
    targets: { actor: ['Practitioner', 'Location', 'PractitionerRole'] },
  },
  // appointments_use_case_book_an_appointment.md: status, start, end, slot, participant, created, versionId
  Appointment: {
    required: ['id', 'meta.profile', 'status', 'start', 'end', 'participant.actor', 'participant.status'],
    fixed: {
      status: ['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error'],
    },
    targets: { slot: ['Slot'], 'participant.actor': ['Patient', 'Practitioner', 'Location', 'HealthcareService'] },
  },
  // GPConnect-OperationOutcome-1: every issue coded from Spine-ErrorOrWarningCode-1 or a warning
  OperationOutcome: {
    required: ['meta.profile', 'issue.severity', 'issue.code'],
    fixed: { 'issue.severity': ['fatal', 'error', 'warning', 'information'] },
  },
  // foundations_use_case_get_the_fhir_capability_statement.md
  CapabilityStatement: {
    required: ['status', 'date', 'kind', 'fhirVersion', 'acceptUnknown', 'format', 'rest.mode'],
    fixed: { fhirVersion: ['3.0.1'], kind: ['instance', 'capability'] },
  },
  DocumentReference: {
    required: ['id', 'meta.profile', 'identifier.value', 'status', 'type', 'subject', 'indexed', 'content.attachment'],
    targets: { subject: PATIENT, author: ['Organization', 'Practitioner', 'PractitionerRole'] },
  },
  Parameters: {},
  Binary: { required: ['contentType', 'content'] },
};

/** Every value found at a dotted path, walking arrays. */
function valuesAt(node: unknown, path: string): unknown[] {
  let current: unknown[] = [node];
  for (const segment of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== 'object') continue;
      const child = (value as Json)[segment];
      if (Array.isArray(child)) next.push(...(child as unknown[]));
      else if (child !== undefined) next.push(child);
    }
    current = next;
  }
  return current;
}

function rawAt(node: Json, path: string): unknown[] {
  const parts = path.split('.');
  const last = parts.pop() ?? '';
  const parents = parts.length === 0 ? [node] : valuesAt(node, parts.join('.'));
  return parents.flatMap((parent) =>
    parent !== null && typeof parent === 'object' && (parent as Json)[last] !== undefined
      ? [(parent as Json)[last]]
      : [],
  );
}

function references(node: Json, path: string): string[] {
  return valuesAt(node, `${path}.reference`).filter((value): value is string => typeof value === 'string');
}

/** Every { system, code } coding anywhere below a node. */
function* codings(node: unknown, where: string): Generator<[string, Json]> {
  if (Array.isArray(node)) {
    for (const item of node) yield* codings(item, where);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === 'contained' || key === 'resource') continue;
    if (key === 'coding' && Array.isArray(value))
      for (const coding of value as Json[]) yield [`${where}.coding`, coding];
    else yield* codings(value, `${where}.${key}`);
  }
}

/** Violations of one resource's profile rules (contained resources are checked as resources too). */
function resourceViolations(resource: Json, where: string): string[] {
  const type = String(resource['resourceType']);
  const profile = rules[type];
  if (!profile) return [`${where}: ${type} is not a resource GP Connect returns`];
  const problems: string[] = [];
  for (const path of profile.required ?? []) {
    if (valuesAt(resource, path).length === 0) problems.push(`${where} ${type}.${path} is required`);
  }
  for (const path of profile.forbidden ?? []) {
    if (rawAt(resource, path).length > 0) problems.push(`${where} ${type}.${path} must not be populated`);
  }
  for (const path of profile.single ?? []) {
    for (const value of rawAt(resource, path))
      if (Array.isArray(value) && value.length > 1) problems.push(`${where} ${type}.${path} allows one repetition`);
  }
  for (const [path, allowed] of Object.entries(profile.fixed ?? {})) {
    for (const value of valuesAt(resource, path))
      if (!allowed.includes(value))
        problems.push(`${where} ${type}.${path} = ${JSON.stringify(value)} not in the profile's set`);
  }
  for (const [path, types] of Object.entries(profile.targets ?? {})) {
    for (const reference of references(resource, path)) {
      if (reference.startsWith('#')) continue;
      const target = reference.split('/').at(-2) ?? '';
      if (!types.includes(target))
        problems.push(`${where} ${type}.${path} → ${reference}: must reference ${types.join('|')}`);
    }
  }
  const urls = valuesAt(resource, 'extension.url').map(String);
  for (const name of profile.extensions ?? []) {
    if (!urls.some((url) => url.includes(name)))
      problems.push(`${where} ${type} lacks the mandatory ${name} extension`);
  }
  for (const url of urls)
    if (!url.startsWith('http')) problems.push(`${where} ${type} extension url ${url} is not absolute`);
  for (const profileUrl of valuesAt(resource, 'meta.profile').map(String)) {
    if (!/^https:\/\/fhir\.(nhs|hl7\.org)\.uk\/STU3\/StructureDefinition\/[A-Za-z-]+-\d+$/.test(profileUrl))
      problems.push(`${where} ${type}.meta.profile ${profileUrl} is not an NHS STU3 profile`);
  }
  for (const [path, coding] of codings(resource, type)) {
    if (typeof coding['system'] !== 'string' || typeof coding['code'] !== 'string')
      problems.push(`${where} ${path} needs both system and code`);
  }
  for (const identifier of valuesAt(resource, 'identifier') as Json[]) {
    if (typeof identifier['system'] !== 'string') problems.push(`${where} ${type}.identifier lacks a system`);
  }
  if (type === 'List') problems.push(...listViolations(resource, where));
  if (type === 'Patient') problems.push(...patientViolations(resource, where));
  if (type === 'Organization' && !valuesAt(resource, 'identifier.system').includes(ODS_CODE))
    problems.push(`${where} Organization has no ODS code identifier (${ODS_CODE})`);
  if (type === 'OperationOutcome') problems.push(...outcomeViolations(resource, where));
  const contained = (resource['contained'] as Json[] | undefined) ?? [];
  contained.forEach((inner, index) => problems.push(...resourceViolations(inner, `${where}.contained[${index}]`)));
  for (const reference of valuesAt(resource, 'entry.item.reference')
    .map(String)
    .filter((ref) => ref.startsWith('#'))) {
    if (!contained.some((inner) => `#${String(inner['id'])}` === reference))
      problems.push(`${where} ${type} refers to ${reference}, which it does not contain`);
  }
  return problems;
}

/** accessrecord_structured_development_list.md: entries or an emptyReason, never both (STU3 lst-1); notes for warnings. */
function listViolations(list: Json, where: string): string[] {
  const problems: string[] = [];
  const entries = valuesAt(list, 'entry');
  if (entries.length > 0 && list['emptyReason'] !== undefined)
    problems.push(`${where} List has entries and an emptyReason`);
  if (entries.length === 0 && list['emptyReason'] === undefined) problems.push(`${where} empty List lacks emptyReason`);
  if (valuesAt(list, 'entry.item.reference').length !== entries.length)
    problems.push(`${where} List entry without item.reference`);
  const warnings = (valuesAt(list, 'extension') as Json[]).filter((extension) =>
    String(extension['url']).includes('ListWarningCode'),
  );
  for (const warning of warnings) {
    if (!['confidential-items', 'data-in-transit', 'data-awaiting-filing'].includes(String(warning['valueCode'])))
      problems.push(`${where} List warning code ${String(warning['valueCode'])} is not one of the spec's`);
  }
  if (warnings.length > 0 && valuesAt(list, 'note.text').length < warnings.length)
    problems.push(`${where} List warning codes need their text in note`);
  return problems;
}

/** CareConnect-GPC-Patient-1: exactly one NHS number identifier and one official name. */
function patientViolations(patient: Json, where: string): string[] {
  const problems: string[] = [];
  const nhs = (valuesAt(patient, 'identifier') as Json[]).filter((identifier) => identifier['system'] === NHS_NUMBER);
  if (nhs.length !== 1) problems.push(`${where} Patient needs exactly one ${NHS_NUMBER} identifier`);
  const official = (valuesAt(patient, 'name') as Json[]).filter((name) => name['use'] === 'official');
  if (official.length !== 1) problems.push(`${where} Patient needs exactly one official name`);
  return problems;
}

/** GPConnect-OperationOutcome-1: errors carry one Spine-ErrorOrWarningCode-1 coding in details. */
function outcomeViolations(outcome: Json, where: string): string[] {
  const problems: string[] = [];
  for (const issue of valuesAt(outcome, 'issue') as Json[]) {
    if (issue['severity'] !== 'error') continue;
    const systems = valuesAt(issue, 'details.coding.system');
    if (systems.length !== 1 || systems[0] !== SPINE_CODES)
      problems.push(`${where} OperationOutcome error issue needs one ${SPINE_CODES} coding`);
  }
  return problems;
}

/**
 * Bundle rules: a structured record is a collection without fullUrl (accessrecord_structured_development_bundle.md)
 * whose references all resolve inside it; searchsets carry fullUrl on every entry.
 */
function bundleViolations(bundle: Json): string[] {
  const problems: string[] = [];
  const type = bundle['type'];
  if (!['collection', 'searchset'].includes(String(type)))
    problems.push(`Bundle.type ${String(type)} is not one GP Connect returns`);
  const entries = (bundle['entry'] as Json[] | undefined) ?? [];
  const present = new Set<string>();
  entries.forEach((entry, index) => {
    const resource = entry['resource'] as Json | undefined;
    if (!resource) {
      problems.push(`Bundle.entry[${index}] lacks a resource`);
      return;
    }
    present.add(`${String(resource['resourceType'])}/${String(resource['id'])}`);
    if (type === 'searchset' && typeof entry['fullUrl'] !== 'string')
      problems.push(`Bundle.entry[${index}] lacks fullUrl`);
    if (type === 'collection' && entry['fullUrl'] !== undefined)
      problems.push(`Bundle.entry[${index}] has a fullUrl (the structured record Bundle has none)`);
    problems.push(...resourceViolations(resource, `Bundle.entry[${index}]`));
  });
  if (type === 'collection') {
    for (const [index, entry] of entries.entries()) {
      for (const reference of allReferences(entry['resource'])) {
        if (!reference.startsWith('#') && !present.has(reference))
          problems.push(`Bundle.entry[${index}] refers to ${reference}, which is not in the Bundle`);
      }
    }
  }
  return problems;
}

/** Every Reference.reference below a resource (contained resources included). */
function allReferences(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(allReferences);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node as Json).flatMap(([key, value]) =>
    key === 'reference' && typeof value === 'string' ? [value] : allReferences(value),
  );
}

/** Every way a GP Connect JSON body falls short of its profiles (empty when it conforms). */
export function gpcProfileViolations(body: Json): string[] {
  if (isSspError(body)) return sspErrorViolations(body);
  if (body['resourceType'] === 'Bundle') {
    const profile = valuesAt(body, 'meta.profile').map(String);
    const problems = bundleViolations(body);
    if (body['type'] === 'collection' && !profile.some((url) => url.endsWith('GPConnect-StructuredRecord-Bundle-1')))
      problems.push('structured record Bundle lacks the GPConnect-StructuredRecord-Bundle-1 profile');
    return problems;
  }
  return resourceViolations(body, 'body');
}

/** An error the SSP answers itself, before any provider sees the request: not a GP Connect profile. */
function isSspError(body: Json): boolean {
  return (
    body['resourceType'] === 'OperationOutcome' &&
    valuesAt(body, 'issue.details.coding.system').includes(SSP_ERROR_CODES)
  );
}

function sspErrorViolations(body: Json): string[] {
  return (valuesAt(body, 'issue') as Json[]).flatMap((issue, index) =>
    typeof issue['code'] === 'string' &&
    issue['severity'] === 'error' &&
    valuesAt(issue, 'details.coding.code').length === 1 &&
    valuesAt(issue, 'details.coding.system').every((system) => system === SSP_ERROR_CODES)
      ? []
      : [`SSP OperationOutcome issue[${index}] needs code, severity error and one ${SSP_ERROR_CODES} coding`],
  );
}

/** Throws, listing the violations, when a body falls short of its profiles. */
export function assertGpcProfiles(body: Json, context: string): void {
  const problems = gpcProfileViolations(body);
  if (problems.length === 0) return;
  const shown = problems.slice(0, 20).join('\n  ');
  throw new Error(`${context}: ${problems.length} profile violation(s):\n  ${shown}`);
}
