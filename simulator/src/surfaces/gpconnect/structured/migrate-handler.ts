import type { control } from '@gpsim/contracts';
import { SimError } from '../../../domain/errors';
import { assertMigrationRelationship } from '../../../domain/pds-registration';
import type { SimResponse } from '../../../transport/types';
import type { GpcContext } from '../gpc-request';
import type { StructuredQuery } from './parameters';
import { patientNhsNumber } from './parameters';
import { answerStructuredRecord } from './structured-handler';

/**
 * POST /Patient/$gpc.migratestructuredrecord (GPC accessrecord_structured_development_migrate_patient_record.md;
 * reference/domain.md §1.7 "Migrate"): patientNHSNumber and includeFullRecord ↳
 * includeSensitiveInformation. Without includeFullRecord no clinical information is returned; with
 * it, every clinical area in full, whatever the structured capability and clinical-area switches
 * say. Sensitive (confidential) items need the JWT scope conf/R, else 400 CONFLICTING_VALUES. The
 * requesting organisation must be the patient's registered practice on PDS, else 403 NO_RELATIONSHIP.
 * Unlike getstructuredrecord, an unrecognised parameter is an error here (the spec's error table).
 */
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const invalidParameter = (field: string, message: string) =>
  new SimError('invalid-parameter', `${field}: ${message}`, { field });
const invalidResource = (message: string) => new SimError('invalid-resource', message);

const MAX_PARAMETERS = 8;

interface MigrateQuery {
  nhsNumber: string;
  /** Present when includeFullRecord was sent. */
  fullRecord?: { includeSensitive: boolean };
}

function includeSensitive(entry: Json): boolean {
  const parts = entry['part'];
  if (parts !== undefined && !Array.isArray(parts)) throw invalidResource('includeFullRecord.part must be an array.');
  let found: boolean | undefined;
  for (const part of (parts ?? []) as unknown[]) {
    const name = isObject(part) ? part['name'] : undefined;
    if (name !== 'includeSensitiveInformation') {
      throw invalidParameter(`includeFullRecord.${String(name)}`, 'is not a part of includeFullRecord.');
    }
    if (found !== undefined) throw invalidParameter('includeSensitiveInformation', 'send it at most once.');
    const value = (part as Json)['valueBoolean'];
    if (typeof value !== 'boolean') throw invalidParameter('includeSensitiveInformation', 'send valueBoolean.');
    found = value;
  }
  if (found === undefined) {
    throw invalidParameter(
      'includeSensitiveInformation',
      'includeFullRecord needs its includeSensitiveInformation part.',
    );
  }
  return found;
}

function parseMigrateQuery(body: Buffer): MigrateQuery {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidResource('The request body is not JSON: send a FHIR Parameters resource.');
  }
  if (!isObject(parsed) || parsed['resourceType'] !== 'Parameters' || !Array.isArray(parsed['parameter'])) {
    throw invalidResource('The request body must be a FHIR Parameters resource with a parameter array.');
  }
  const list = parsed['parameter'] as unknown[];
  if (list.length > MAX_PARAMETERS) throw invalidResource(`At most ${MAX_PARAMETERS} parameters are accepted.`);
  if (list.length === 0) throw invalidParameter('Parameters', 'send patientNHSNumber and includeFullRecord.');
  let nhsNumber: string | undefined;
  let fullRecord: MigrateQuery['fullRecord'];
  for (const entry of list) {
    const name = isObject(entry) ? entry['name'] : undefined;
    if (!isObject(entry) || typeof name !== 'string') throw invalidResource('Every parameter needs a name.');
    if (name === 'patientNHSNumber') {
      if (nhsNumber !== undefined) throw invalidParameter(name, 'send it at most once.');
      nhsNumber = patientNhsNumber(entry);
    } else if (name === 'includeFullRecord') {
      if (fullRecord !== undefined) throw invalidParameter(name, 'send it at most once.');
      fullRecord = { includeSensitive: includeSensitive(entry) };
    } else {
      throw invalidParameter(name, 'is not a parameter of $gpc.migratestructuredrecord.');
    }
  }
  if (nhsNumber === undefined) {
    throw invalidParameter('patientNHSNumber', 'the patientNHSNumber parameter is mandatory.');
  }
  return fullRecord === undefined ? { nhsNumber } : { nhsNumber, fullRecord };
}

/** Every clinical area, each in full. */
function fullQuery(nhsNumber: string): StructuredQuery {
  return {
    nhsNumber,
    allergies: { includeResolved: true },
    medication: { includeIssues: true },
    consultations: {},
    problems: {},
    immunisations: { includeNotGiven: true, includeStatus: true },
    uncategorised: {},
    investigations: {},
    referrals: {},
    diary: {},
    unrecognised: [],
  };
}

const allAreas: control.PracticeSettings['gpconnect']['clinicalAreas'] = {
  allergies: true,
  medication: true,
  consultations: true,
  problems: true,
  immunisations: true,
  uncategorised: true,
  investigations: true,
  referrals: true,
  diary: true,
};

export async function migrateStructuredRecord(context: GpcContext): Promise<SimResponse> {
  const query = parseMigrateQuery(context.request.body);
  const sensitive = query.fullRecord?.includeSensitive === true;
  if (sensitive && context.token.confidentiality !== 'R') {
    throw new SimError(
      'invalid-request',
      'includeSensitiveInformation is true but the JWT requested_scope is conf/N: send "patient/*.read conf/R" to receive confidential items, or set includeSensitiveInformation to false.',
      { field: 'includeSensitiveInformation', detail: { spineCode: 'CONFLICTING_VALUES' } },
    );
  }
  const structured = query.fullRecord ? fullQuery(query.nhsNumber) : { nhsNumber: query.nhsNumber, unrecognised: [] };
  // Only the practice PDS now names as registered GP may migrate the record (403 NO_RELATIONSHIP).
  return answerStructuredRecord(context, structured, allAreas, sensitive, async (patient) => {
    const registered = await context.engine.pdsRegistrations.registeredOds(patient.nhsNumber, context.practice.ods);
    assertMigrationRelationship(patient.nhsNumber, registered, context.token.organization.ods);
  });
}
