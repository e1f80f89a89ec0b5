import { randomUUID } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import type { ClinicalRecord, EntryBase } from '../../../domain/clinical-record';
import { SimError } from '../../../domain/errors';
import { assertRecordShareable } from '../../../domain/gp-connect-access';
import { isShareableEntry } from '../../../domain/patient-access';
import type { SimResponse } from '../../../transport/types';
import { auditGpcAccess } from '../audit-access';
import { toGpcOrganization, toGpcPractitioner, toGpcPractitionerRole } from '../directory-mappers';
import type { GpcContext } from '../gpc-request';
import { OPERATION_OUTCOME_PROFILE, SPINE_ERROR_SYSTEM, gpcResponse } from '../operation-outcome';
import { toGpcPatient } from '../patient-mapper';
import type { Resource } from '../stu3';
import { profile } from '../stu3';
import { toGpcAllergy } from './allergy-mapper';
import { BundleBuilder, inRange } from './bundle-builder';
import { addConsultationContents } from './consultation-contents';
import { toGpcConsultation } from './consultation-mapper';
import type { PrimaryList } from './lists';
import { primaryList } from './lists';
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
 * the clinical-area configuration) and may carry confidential items (includeSensitiveInformation).
 */
export async function answerStructuredRecord(
  context: GpcContext,
  query: StructuredQuery,
  areas: ClinicalArea,
  withConfidential: boolean,
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
  } catch (error) {
    await auditGpcAccess(context, patient, 'refused');
    throw error;
  }
  const record = await engine.records.record(patient);
  const builder = new BundleBuilder(population, patient, practice);
  builder.add(toGpcPatient(population, patient, practice, {}));
  builder.add(toGpcOrganization(population, practice));
  const usualGp = practice.staff[patient.usualGpIndex];
  if (usualGp) {
    builder.add(toGpcPractitioner(usualGp));
    builder.add(toGpcPractitionerRole(population, practice, usualGp));
  }
  const warnings: Warning[] = query.unrecognised.map((name) => ({
    text: `${name} is an unrecognised parameter`,
    diagnostics: name,
  }));
  // Items still in the practice workflow are never returned, only warned about (domain.md §1.7).
  const awaiting = await engine.tasks.list({ ods: practice.ods, nhsNumber: patient.nhsNumber, open: true, limit: 100 });
  const awaitingFilingSince = awaiting
    .map((task) => task.createdAt)
    .sort()
    .at(-1);
  const lists = addAreas(builder, record, query, areas, warnings, {
    now: engine.clock.nowDate().toISOString(),
    withConfidential,
    ...(awaitingFilingSince === undefined ? {} : { awaitingFilingSince }),
  });
  for (const list of lists) builder.add(list);
  const entries: Resource[] = builder.all();
  if (warnings.length > 0) entries.push(warningOutcome(warnings));
  await auditGpcAccess(context, patient);
  return gpcResponse(request, 200, {
    resourceType: 'Bundle',
    id: request.headers['ssp-traceid'] ?? randomUUID(),
    meta: { profile: [profile('GPConnect-StructuredRecord-Bundle-1')] },
    type: 'collection',
    entry: entries.map((resource) => ({ resource })),
  });
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
  options: { now: string; withConfidential: boolean; awaitingFilingSince?: string },
): Resource[] {
  const { now, withConfidential, awaitingFilingSince } = options;
  const share = <T extends EntryBase>(entries: readonly T[]) => shareable(entries, withConfidential);
  const { population, patient } = builder;
  const lists: Resource[] = [];
  /** Every clinical item carried, by record id, so problems and consultations reference only what is here. */
  const carried = new Map<string, string>();
  const list = (kind: PrimaryList, references: string[], withheld: boolean, contained?: Resource[]) =>
    lists.push(
      primaryList(kind, references, {
        patient,
        date: now,
        confidentialWithheld: withheld,
        ...(awaitingFilingSince === undefined ? {} : { awaitingFilingSince }),
        id: `${kind}-${patient.id}`,
        ...(contained ? { contained } : {}),
      }),
    );
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
    const { includeNotGiven } = query.immunisations;
    const { items, withheld } = share(record.immunisations);
    const references = items
      .filter((immunisation) => includeNotGiven || immunisation.status !== 'not-done')
      .map((immunisation) => {
        builder.add(toGpcImmunisation(builder, immunisation));
        carried.set(immunisation.id, `Immunization/${immunisation.id}`);
        return `Immunization/${immunisation.id}`;
      });
    list('immunisations', references, withheld);
  }
  if (query.uncategorised && asked('uncategorised', true)) {
    const { period } = query.uncategorised;
    const { items, withheld } = share(record.observations.filter((observation) => observation.reportId === undefined));
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
        builder.add(toGpcReferral(builder, referral));
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
  if (query.consultations && asked('consultations', true)) {
    const { period, mostRecent } = query.consultations;
    const { items, withheld } = share(record.consultations);
    let chosen = items.filter((consultation) => inRange(consultation.date, period));
    if (mostRecent !== undefined) chosen = chosen.slice(-mostRecent);
    const references = chosen.map((consultation) => {
      addConsultationContents(builder, record, consultation.entryIds, carried);
      return toGpcConsultation(builder, consultation, carried);
    });
    list('consultations', references, withheld);
  }
  if (query.problems && asked('problems', true)) {
    const { status } = query.problems;
    const { items, withheld } = share(record.problems);
    const references = items
      .filter((problem) => status === undefined || problem.status === status)
      .map((problem) => {
        builder.add(toGpcProblem(builder, problem, carried));
        return `Condition/${problem.id}`;
      });
    list('problems', references, withheld);
  }
  return lists;
}
