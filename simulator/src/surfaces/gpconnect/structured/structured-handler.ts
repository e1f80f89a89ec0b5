import { randomUUID } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import type { ClinicalRecord, EntryBase, Problem, RecordEntry } from '../../../domain/clinical-record';
import { SimError } from '../../../domain/errors';
import { assertRecordShareable } from '../../../domain/gp-connect-access';
import type { Patient } from '../../../domain/patient';
import { isShareableEntry } from '../../../domain/patient-access';
import type { SimResponse } from '../../../transport/types';
import { auditGpcAccess } from '../audit-access';
import { toGpcLocation, toGpcOrganization, toGpcPractitioner, toGpcPractitionerRole } from '../directory-mappers';
import { documentsRoot } from '../documents/document-reference-mapper';
import type { GpcContext } from '../gpc-request';
import { OPERATION_OUTCOME_PROFILE, SPINE_ERROR_SYSTEM, SerialisedJson, gpcResponse } from '../operation-outcome';
import { preferredBranch, toGpcPatient } from '../patient-mapper';
import type { Resource } from '../stu3';
import { profile } from '../stu3';
import { toGpcAllergy } from './allergy-mapper';
import { BundleBuilder, inRange } from './bundle-builder';
import { addRecordEntries, letterOf, recordEntries } from './consultation-contents';
import { toGpcConsultation } from './consultation-mapper';
import type { PrimaryList, SecondaryList } from './lists';
import { LINKED_PROBLEMS_LIST, primaryList, secondaryList, secondaryListCodes } from './lists';
import { activeOnOrAfter, toGpcMedication } from './medication-mapper';
import { toGpcInvestigation, toGpcObservation } from './observation-mapper';
import { toGpcDiaryEntry, toGpcImmunisation, toGpcReferral } from './other-mappers';
import type { StructuredQuery } from './parameters';
import { parseStructuredQuery } from './parameters';
import { toGpcProblem } from './problem-mapper';

type ClinicalArea = control.PracticeSettings['gpconnect']['clinicalAreas'];
type AreaKey = keyof ClinicalArea;

/** Parameter name per clinical area, as the disabled-area warning names it. */
const parameterOf: Record<AreaKey, string> = {
  allergies: 'includeAllergies',
  medication: 'includeMedication',
  consultations: 'includeConsultations',
  problems: 'includeProblems',
  immunisations: 'includeImmunisations',
  uncategorised: 'includeUncategorisedData',
  investigations: 'includeInvestigations',
  referrals: 'includeReferrals',
  diary: 'includeDiaryEntries',
};

interface Warning {
  text: string;
  diagnostics: string;
}

/** Entries sharing allows, and whether any were withheld as confidential. */
function shareable<T extends EntryBase>(
  entries: readonly T[],
  withConfidential: boolean,
): { items: T[]; withheld: boolean } {
  const items = withConfidential ? [...entries] : entries.filter(isShareableEntry);
  return { items, withheld: items.length !== entries.length };
}

/**
 * POST /Patient/$gpc.getstructuredrecord (GPC accessrecord_structured_development_retrieve_patient_record.md):
 * a collection Bundle whose id is the Ssp-TraceID, with no versionId, lastUpdated or fullUrl
 * (accessrecord_structured_development_bundle.md); the Patient, the practice, the usual GP, then
 * one primary List per clinical area asked for.
 */
export async function getStructuredRecord(context: GpcContext): Promise<SimResponse> {
  const query = parseStructuredQuery(context.request.body, context.engine.clock.today());
  return answerStructuredRecord(context, query, context.settings.gpconnect.clinicalAreas, false);
}

/**
 * The record Bundle for a parsed query. Migration passes every area switched on (it works whatever
 * the clinical-area configuration), may carry confidential items (includeSensitiveInformation) and
 * adds its own admission rule (`admit`, run once the patient is found and shareable).
 */
export async function answerStructuredRecord(
  context: GpcContext,
  query: StructuredQuery,
  areas: ClinicalArea,
  withConfidential: boolean,
  admit?: (patient: Patient) => Promise<void>,
): Promise<SimResponse> {
  const { engine, request, practice } = context;
  const { population } = engine;
  const lookup = population.byNhsNumber(query.nhsNumber);
  const patient =
    lookup && !lookup.superseded && lookup.patient.practiceIndex === practice.index ? lookup.patient : undefined;
  if (!patient) {
    throw new SimError(
      'patient-not-found',
      `No patient with NHS number ${query.nhsNumber} is registered at ${practice.ods}.`,
    );
  }
  try {
    assertRecordShareable(patient, query.nhsNumber);
    await admit?.(patient);
  } catch (error) {
    await auditGpcAccess(context, patient, 'refused');
    throw error;
  }
  const record = await engine.records.record(patient);
  const head: Resource[] = [toGpcPatient(population, patient, practice, {}), toGpcOrganization(population, practice)];
  const usualGp = practice.staff[patient.usualGpIndex];
  if (usualGp) head.push(toGpcPractitioner(usualGp), toGpcPractitionerRole(population, practice, usualGp));
  // The Patient names its preferred branch surgery; a collection Bundle carries what it references.
  const branch = preferredBranch(practice);
  if (branch) head.push(toGpcLocation(population, practice, branch));
  const areasPart = mappedAreas(
    new BundleBuilder(population, patient, practice, documentsRoot(engine.baseUrl, practice)),
    head,
    record,
    query,
    areas,
    withConfidential,
  );
  // Items still in the practice workflow are never returned, only warned about (domain.md §1.7).
  const awaiting = await engine.tasks.list({ ods: practice.ods, nhsNumber: patient.nhsNumber, open: true, limit: 100 });
  const awaitingFilingSince = awaiting
    .map((task) => task.createdAt)
    .sort()
    .at(-1);
  const now = engine.clock.nowDate().toISOString();
  const tail: Resource[] = areasPart.lists.map((spec) => {
    const options = {
      patient,
      date: now,
      confidentialWithheld: spec.withheld,
      ...(awaitingFilingSince === undefined ? {} : { awaitingFilingSince }),
      id: `${spec.code}-${patient.id}`,
      ...(spec.contained ? { contained: spec.contained } : {}),
    };
    return spec.secondary
      ? secondaryList(spec.code, spec.references, options)
      : primaryList(spec.code, spec.references, options);
  });
  const warnings: Warning[] = [
    ...query.unrecognised.map((name) => ({ text: `${name} is an unrecognised parameter`, diagnostics: name })),
    ...areasPart.warnings,
  ];
  if (warnings.length > 0) tail.push(warningOutcome(warnings));
  await auditGpcAccess(context, patient);
  const envelope = {
    resourceType: 'Bundle',
    id: request.headers['ssp-traceid'] ?? randomUUID(),
    meta: { profile: [profile('GPConnect-StructuredRecord-Bundle-1')] },
    type: 'collection',
  };
  return gpcResponse(request, 200, bundleOfParts(envelope, head, areasPart, tail));
}

/**
 * The Bundle as JSON from its parts: the clinical entries were serialised once with their mapping,
 * so a repeat read only writes the Patient, practice, Lists and warnings afresh.
 */
function bundleOfParts(
  envelope: Record<string, unknown>,
  head: readonly Resource[],
  areasPart: MappedAreas,
  tail: readonly Resource[],
): SerialisedJson {
  const entries = (resources: readonly Resource[]) =>
    resources.map((resource) => JSON.stringify({ resource })).join(',');
  areasPart.entriesJson ??= Buffer.from(entries(areasPart.resources));
  const parts = [Buffer.from(entries(head)), areasPart.entriesJson, Buffer.from(entries(tail))].filter(
    (part) => part.length > 0,
  );
  const opening = Buffer.from(`${JSON.stringify(envelope).slice(0, -1)},"entry":[`);
  const separated = parts.flatMap((part, index) => (index === 0 ? [part] : [COMMA, part]));
  return new SerialisedJson(Buffer.concat([opening, ...separated, CLOSING]), () => ({
    ...envelope,
    entry: [...head, ...areasPart.resources, ...tail].map((resource) => ({ resource })),
  }));
}

const COMMA = Buffer.from(',');
const CLOSING = Buffer.from(']}');

/** What the clinical areas asked for map to: resources in Bundle order, the Lists to write, disabled-area warnings. */
interface MappedAreas {
  resources: Resource[];
  lists: ListSpec[];
  warnings: Warning[];
  entriesJson?: Buffer;
}

type ListSpec = ({ secondary: false; code: PrimaryList } | { secondary: true; code: SecondaryList }) & {
  references: string[];
  withheld: boolean;
  contained?: Resource[];
};

type SecondaryKind = keyof typeof secondaryListCodes.consultations | keyof typeof secondaryListCodes.problems;

/** Which secondary list an item contained in a consultation or linked to a problem belongs in, if any. */
function secondaryKindOf(entry: RecordEntry): SecondaryKind | undefined {
  switch (entry.kind) {
    case 'allergy':
      return entry.clinicalStatus === 'active' ? 'allergies' : 'endedAllergies';
    case 'medication':
      return 'medications';
    case 'observation':
      return entry.immunisationStatus ? 'immunisations' : 'uncategorised';
    case 'referral':
      return 'referrals';
    case 'diary':
      return 'diary';
    case 'immunisation':
      return 'immunisations';
    case 'investigation':
      return 'investigations';
    case 'problem':
      return 'problems';
    case 'consultation':
      return 'consultations';
    case 'appointment':
    case 'document':
      return undefined;
  }
}

/**
 * Mapped areas per record object and query: records are cached per patient version (a write makes a
 * new record object), and mapping plus serialising a large record cost most of a read's CPU.
 */
const mappedAreasCache = new WeakMap<ClinicalRecord, Map<string, MappedAreas>>();
const QUERY_SHAPES_KEPT = 8;

function mappedAreas(
  builder: BundleBuilder,
  head: readonly Resource[],
  record: ClinicalRecord,
  query: StructuredQuery,
  areas: ClinicalArea,
  withConfidential: boolean,
): MappedAreas {
  const key = JSON.stringify([{ ...query, unrecognised: [] }, areas, withConfidential]);
  let byQuery = mappedAreasCache.get(record);
  const known = byQuery?.get(key);
  if (known) return known;
  for (const resource of head) builder.add(resource);
  const headKeys = new Set(builder.all().map(keyOf));
  const warnings: Warning[] = [];
  const lists = addAreas(builder, record, query, areas, warnings, withConfidential);
  const mapped = { resources: builder.all().filter((resource) => !headKeys.has(keyOf(resource))), lists, warnings };
  if (!byQuery) {
    byQuery = new Map();
    mappedAreasCache.set(record, byQuery);
  }
  if (byQuery.size >= QUERY_SHAPES_KEPT) byQuery.delete(byQuery.keys().next().value as string);
  byQuery.set(key, mapped);
  return mapped;
}

function keyOf(resource: Resource): string {
  return `${resource.resourceType}/${resource.id ?? ''}`;
}

/** GPC accessrecord_structured_development_clinical_area_config.md: one warning OperationOutcome in the Bundle. */
function warningOutcome(warnings: readonly Warning[]): Resource {
  return {
    resourceType: 'OperationOutcome',
    id: randomUUID(),
    meta: { profile: [OPERATION_OUTCOME_PROFILE] },
    issue: warnings.map((warning) => ({
      severity: 'warning',
      code: 'not-supported',
      details: {
        coding: [{ system: SPINE_ERROR_SYSTEM, code: 'NOT_IMPLEMENTED', display: 'Not implemented' }],
        text: warning.text,
      },
      diagnostics: warning.diagnostics,
    })),
  };
}

function addAreas(
  builder: BundleBuilder,
  record: ClinicalRecord,
  query: StructuredQuery,
  enabled: ClinicalArea,
  warnings: Warning[],
  withConfidential: boolean,
): ListSpec[] {
  const share = <T extends EntryBase>(entries: readonly T[]) => shareable(entries, withConfidential);
  const { population } = builder;
  const lists: ListSpec[] = [];
  /** Every clinical item carried, by record id, so problems and consultations reference only what is here. */
  const carried = new Map<string, string>();
  const list = (kind: PrimaryList, references: string[], withheld: boolean, contained?: Resource[]) =>
    lists.push({ secondary: false, code: kind, references, withheld, ...(contained ? { contained } : {}) });
  /**
   * The secondary Lists of GPC lists_for_message_structure.md: one per kind of item carried, only
   * where an item is carried or was withheld as confidential (never empty without a warning).
   */
  const secondaryLists = (codes: Partial<Record<SecondaryKind, SecondaryList>>, related: readonly RecordEntry[]) => {
    const found = new Map<SecondaryList, { references: Set<string>; withheld: boolean }>();
    for (const entry of related) {
      const kind = secondaryKindOf(entry);
      const code = kind === undefined ? undefined : codes[kind];
      if (code === undefined) continue;
      const bucket = found.get(code) ?? { references: new Set<string>(), withheld: false };
      found.set(code, bucket);
      const reference = carried.get(entry.id);
      if (reference !== undefined) bucket.references.add(reference);
      else if (!isShareableEntry(entry)) bucket.withheld = true;
    }
    for (const [code, { references, withheld }] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
      if (references.size > 0 || withheld) lists.push({ secondary: true, code, references: [...references], withheld });
    }
  };
  const asked = (area: AreaKey, present: boolean): boolean => {
    if (!present) return false;
    if (enabled[area]) return true;
    warnings.push({ text: `${parameterOf[area]} has been disabled`, diagnostics: parameterOf[area] });
    return false;
  };

  if (query.allergies && asked('allergies', true)) {
    const { items, withheld } = share(record.allergies);
    const active = items.filter((allergy) => allergy.clinicalStatus === 'active');
    const references = active.map((allergy) => {
      builder.add(toGpcAllergy(builder, allergy));
      carried.set(allergy.id, `AllergyIntolerance/${allergy.id}`);
      return `AllergyIntolerance/${allergy.id}`;
    });
    list('allergies', references, withheld);
    if (query.allergies.includeResolved) {
      // Ended allergies are contained in their List (GPC retrieve_patient_record, allergies).
      const ended = items.filter((allergy) => allergy.clinicalStatus === 'resolved');
      const contained = ended.map((allergy) => toGpcAllergy(builder, allergy));
      list(
        'endedAllergies',
        ended.map((allergy) => `#${allergy.id}`),
        withheld,
        contained,
      );
    }
  }
  if (query.medication && asked('medication', true)) {
    const { fromDate, includeIssues } = query.medication;
    const { items, withheld } = share(record.medications);
    const references = items
      .filter((medication) => activeOnOrAfter(medication, fromDate))
      .map((medication) => {
        const reference = toGpcMedication(builder, population, medication, includeIssues);
        carried.set(medication.id, reference);
        return reference;
      });
    list('medication', references, withheld);
  }
  if (query.immunisations && asked('immunisations', true)) {
    // GPC retrieve_patient_record.md "Immunisations": given ones only unless includeNotGiven; the
    // consent/dissent Observations unless includeStatus is false (immunization_guidance.md).
    const { includeNotGiven, includeStatus } = query.immunisations;
    const { items, withheld } = share(record.immunisations);
    const references = items
      .filter((immunisation) => includeNotGiven || immunisation.status !== 'not-done')
      .map((immunisation) => {
        builder.add(toGpcImmunisation(builder, immunisation));
        carried.set(immunisation.id, `Immunization/${immunisation.id}`);
        return `Immunization/${immunisation.id}`;
      });
    const statuses = includeStatus
      ? share(record.observations.filter((observation) => observation.immunisationStatus))
      : { items: [], withheld: false };
    for (const observation of statuses.items) {
      builder.add(toGpcObservation(builder, observation));
      carried.set(observation.id, `Observation/${observation.id}`);
      references.push(`Observation/${observation.id}`);
    }
    list('immunisations', references, withheld || statuses.withheld);
  }
  if (query.uncategorised && asked('uncategorised', true)) {
    const { period } = query.uncategorised;
    const { items, withheld } = share(
      record.observations.filter(
        (observation) => observation.reportId === undefined && !observation.immunisationStatus,
      ),
    );
    const references = items
      .filter((observation) => inRange(observation.date, period))
      .map((observation) => {
        builder.add(toGpcObservation(builder, observation));
        carried.set(observation.id, `Observation/${observation.id}`);
        return `Observation/${observation.id}`;
      });
    list('uncategorised', references, withheld);
  }
  if (query.investigations && asked('investigations', true)) {
    const { period } = query.investigations;
    const { items, withheld } = share(record.investigations);
    const results = new Map(record.observations.map((observation) => [observation.id, observation]));
    const references = items
      .filter((report) => inRange(report.issued, period))
      .map((report) => {
        const reportResults = report.resultIds.flatMap((id) => {
          const result = results.get(id);
          return result && isShareableEntry(result) ? [result] : [];
        });
        const reference = toGpcInvestigation(builder, report, reportResults);
        carried.set(report.id, reference);
        return reference;
      });
    list('investigations', references, withheld);
  }
  if (query.referrals && asked('referrals', true)) {
    const { period } = query.referrals;
    const { items, withheld } = share(record.referrals);
    const references = items
      .filter((referral) => inRange(referral.date, period))
      .map((referral) => {
        builder.add(toGpcReferral(builder, referral, letterOf(record, referral)));
        carried.set(referral.id, `ReferralRequest/${referral.id}`);
        return `ReferralRequest/${referral.id}`;
      });
    list('referrals', references, withheld);
  }
  if (query.diary && asked('diary', true)) {
    const { onOrBefore } = query.diary;
    const { items, withheld } = share(record.diary);
    const references = items
      .filter((entry) => onOrBefore === undefined || entry.dueDate.slice(0, 10) <= onOrBefore)
      .map((entry) => {
        builder.add(toGpcDiaryEntry(builder, entry));
        carried.set(entry.id, `ProcedureRequest/${entry.id}`);
        return `ProcedureRequest/${entry.id}`;
      });
    list('diary', references, withheld);
  }
  /** Record ids of the items the primary Lists of the other areas returned, before consultations and problems. */
  const primaryItems = new Set(carried.keys());
  if (query.consultations && asked('consultations', true)) {
    const { period, mostRecent } = query.consultations;
    const { items, withheld } = share(record.consultations);
    let chosen = items.filter((consultation) => inRange(consultation.date, period));
    if (mostRecent !== undefined) chosen = chosen.slice(-mostRecent);
    const references = chosen.map((consultation) => {
      addRecordEntries(builder, record, consultation.entryIds, carried);
      return toGpcConsultation(builder, consultation, carried);
    });
    list('consultations', references, withheld);
    const contained = recordEntries(
      record,
      chosen.flatMap((consultation) => consultation.entryIds),
    );
    secondaryLists(secondaryListCodes.consultations, contained);
  }
  let chosenProblems: readonly Problem[] = [];
  if (query.problems && asked('problems', true)) {
    const { status } = query.problems;
    const { items, withheld } = share(record.problems);
    const chosen = items.filter((problem) => status === undefined || problem.status === status);
    chosenProblems = chosen;
    for (const problem of chosen) carried.set(problem.id, `Condition/${problem.id}`);
    const references = chosen.map((problem) => {
      addRecordEntries(builder, record, problem.linkedIds, carried);
      builder.add(toGpcProblem(builder, problem, carried));
      return `Condition/${problem.id}`;
    });
    list('problems', references, withheld);
    const linked = recordEntries(
      record,
      chosen.flatMap((problem) => problem.linkedIds),
    );
    secondaryLists(secondaryListCodes.problems, linked);
  }
  addLinkedProblems(builder, record, primaryItems, chosenProblems, carried, withConfidential, lists);
  return lists;
}

/**
 * GPC lists_for_message_structure.md, "The secondary list for related problems": one List, for
 * any query, of the problems linked to items of the primary Lists, each problem in the Bundle.
 * Problems the problems query itself returned are in its own List, not here.
 */
function addLinkedProblems(
  builder: BundleBuilder,
  record: ClinicalRecord,
  primaryItems: ReadonlySet<string>,
  returnedProblems: readonly Problem[],
  carried: Map<string, string>,
  withConfidential: boolean,
  lists: ListSpec[],
): void {
  if (primaryItems.size === 0) return;
  const returned = new Set(returnedProblems.map((problem) => problem.id));
  const linked = record.problems.filter(
    (problem) => !returned.has(problem.id) && problem.linkedIds.some((id) => primaryItems.has(id)),
  );
  if (linked.length === 0) return;
  const { items, withheld } = shareable(linked, withConfidential);
  for (const problem of items) carried.set(problem.id, `Condition/${problem.id}`);
  for (const problem of items) builder.add(toGpcProblem(builder, problem, carried));
  lists.push({
    secondary: true,
    code: LINKED_PROBLEMS_LIST,
    references: items.map((problem) => `Condition/${problem.id}`),
    withheld,
  });
}
