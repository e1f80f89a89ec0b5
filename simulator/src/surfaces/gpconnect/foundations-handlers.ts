import { SimError } from '../../domain/errors';
import { isFoundOnGpConnect } from '../../domain/gp-connect-access';
import { NHS_NUMBER_SYSTEM, isValidNhsNumber } from '../../domain/nhs-number';
import type { Patient } from '../../domain/patient';
import type { SimResponse } from '../../transport/types';
import { auditGpcAccess } from './audit-access';
import { DIRECTORY_VERSION, toGpcLocation, toGpcOrganization, toGpcPractitioner } from './directory-mappers';
import type { GpcContext } from './gpc-request';
import { gpcResponse } from './operation-outcome';
import type { PatientView } from './patient-mapper';
import { toGpcPatient } from './patient-mapper';
import { searchsetBundle } from './bundle';
import { identifierParam } from './search-params';
import type { Resource } from './stu3';
import { LEGACY_ODS_ORGANIZATION_CODE, ODS_ORGANIZATION_CODE, SDS_USER_ID, practiceForOrganizationId } from './stu3';

const PATIENT_VERSION = '1';

function withEtag(context: GpcContext, resource: Resource): SimResponse {
  const meta = resource['meta'] as { versionId?: string } | undefined;
  return gpcResponse(context.request, 200, resource, { ETag: `W/"${meta?.versionId ?? DIRECTORY_VERSION}"` });
}

interface Found {
  patient: Patient;
  view: PatientView;
}

/**
 * A patient GP Connect may show at the practice addressed: registered there, or temporarily
 * registered there through $gpc.registerpatient; undefined otherwise.
 */
async function foundPatient(context: GpcContext, patient: Patient | undefined): Promise<Found | undefined> {
  if (!patient) return undefined;
  if (patient.practiceIndex === context.practice.index && isFoundOnGpConnect(patient)) {
    return { patient, view: { versionId: PATIENT_VERSION } };
  }
  const temporary = await context.engine.store.registrations.get(context.practice.ods, patient.nhsNumber);
  if (!temporary || patient.deceasedDate !== undefined || patient.sensitive) return undefined;
  return {
    patient,
    view: { versionId: PATIENT_VERSION, registrationType: 'T', registrationStart: temporary.registeredAt },
  };
}

/** GET /Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|N (GPC foundations_use_case_find_a_patient.md). */
export async function findPatient(context: GpcContext): Promise<SimResponse> {
  const { value } = identifierParam(context.request, [NHS_NUMBER_SYSTEM], 'NHS number');
  if (!isValidNhsNumber(value)) {
    throw new SimError(
      'invalid-nhs-number',
      `"${value}" is not a valid NHS number (10 digits with a Mod 11 check digit).`,
      {
        field: 'identifier',
      },
    );
  }
  const { population } = context.engine;
  const lookup = population.byNhsNumber(value);
  // Only the current number matches; no match is an empty searchset, never an error.
  const found = lookup && !lookup.superseded ? await foundPatient(context, lookup.patient) : undefined;
  if (lookup) await auditGpcAccess(context, lookup.patient, found ? 'allowed' : 'refused');
  const resources = found ? [toGpcPatient(population, found.patient, context.practice, found.view)] : [];
  return gpcResponse(context.request, 200, searchsetBundle(context, resources));
}

/** GET /Patient/{id}: unknown, inactive, deceased, unverified and sensitive patients are all 404 PATIENT_NOT_FOUND. */
export async function readPatient(context: GpcContext): Promise<SimResponse> {
  const id = context.request.params['id'] ?? '';
  const { population } = context.engine;
  const candidate = population.patientById(id);
  const found = await foundPatient(context, candidate);
  if (candidate) await auditGpcAccess(context, candidate, found ? 'allowed' : 'refused');
  if (!found) {
    throw new SimError(
      'patient-not-found',
      `No patient with id "${id}" at ${context.practice.ods}. Find the id with Patient?identifier=${NHS_NUMBER_SYSTEM}|{NHS number}.`,
    );
  }
  return withEtag(context, toGpcPatient(population, found.patient, context.practice, found.view));
}

export function readPractitioner(context: GpcContext): SimResponse {
  const id = context.request.params['id'] ?? '';
  const decoded = context.engine.population.decodeId(id, 'practitioner');
  const member = decoded?.owner === context.practice.index ? context.practice.staff[decoded.n] : undefined;
  if (!member) {
    throw new SimError(
      'practitioner-not-found',
      `No practitioner with id "${id}" at ${context.practice.ods}. Find one with Practitioner?identifier=${SDS_USER_ID}|{SDS user id}.`,
    );
  }
  return withEtag(context, toGpcPractitioner(member));
}

export function findPractitioners(context: GpcContext): SimResponse {
  const { value } = identifierParam(context.request, [SDS_USER_ID], 'SDS user id');
  const matches = context.practice.staff.filter((member) => member.sdsUserId === value).map(toGpcPractitioner);
  return gpcResponse(context.request, 200, searchsetBundle(context, matches));
}

export function readOrganization(context: GpcContext): SimResponse {
  const id = context.request.params['id'] ?? '';
  const practice = practiceForOrganizationId(context.engine.population, id);
  if (!practice) {
    throw new SimError(
      'not-found',
      `No organisation with id "${id}". Find one with Organization?identifier=${ODS_ORGANIZATION_CODE}|{ODS code}.`,
    );
  }
  return withEtag(context, toGpcOrganization(context.engine.population, practice));
}

export function findOrganizations(context: GpcContext): SimResponse {
  const { value } = identifierParam(context.request, [ODS_ORGANIZATION_CODE, LEGACY_ODS_ORGANIZATION_CODE], 'ODS code');
  const practice = context.engine.population.practice(value);
  const resources = practice ? [toGpcOrganization(context.engine.population, practice)] : [];
  return gpcResponse(context.request, 200, searchsetBundle(context, resources));
}

export function readLocation(context: GpcContext): SimResponse {
  const id = context.request.params['id'] ?? '';
  const location = context.practice.locations.find((site) => site.id === id);
  if (!location) throw new SimError('not-found', `No location with id "${id}" at ${context.practice.ods}.`);
  return withEtag(context, toGpcLocation(context.engine.population, context.practice, location));
}
