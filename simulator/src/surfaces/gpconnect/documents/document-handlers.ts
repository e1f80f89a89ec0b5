import type { RecordDocument } from '../../../domain/clinical-record';
import { SimError } from '../../../domain/errors';
import { assertRecordShareable } from '../../../domain/gp-connect-access';
import type { Patient } from '../../../domain/patient';
import { isShareableEntry } from '../../../domain/patient-access';
import type { SimResponse } from '../../../transport/types';
import { auditGpcAccess } from '../audit-access';
import { searchsetBundle } from '../bundle';
import { toGpcOrganization, toGpcPractitioner, toGpcPractitionerRole } from '../directory-mappers';
import type { GpcContext } from '../gpc-request';
import { gpcResponse } from '../operation-outcome';
import { toGpcPatient } from '../patient-mapper';
import type { Resource } from '../stu3';
import { ODS_ORGANIZATION_CODE } from '../stu3';
import { documentsRoot, toGpcAuthorOrganization, toGpcDocumentReference } from './document-reference-mapper';
import { renderPdf } from './pdf';
import { documentContent } from '../../../domain/document-content';

/** GPC access_documents_development_search_patient_documents.md: consumers MUST send all five. */
const mandatoryIncludes = [
  'DocumentReference:subject:Patient',
  'DocumentReference:custodian:Organization',
  'DocumentReference:author:Organization',
  'DocumentReference:author:Practitioner',
];
const MANDATORY_REVINCLUDE = 'PractitionerRole:practitioner';
/** Documents above this size cannot be retrieved through GP Connect (404 NO_RECORD_FOUND). */
export const DOCUMENT_LIMIT_BYTES = 5 * 1024 * 1024;

const invalidParameter = (field: string, message: string) =>
  new SimError('invalid-parameter', `${field}: ${message}`, { field });

interface DocumentFilter {
  from?: string;
  to?: string;
  authorOds?: string;
  description?: string;
}

function parseFilter(query: URLSearchParams): DocumentFilter {
  const includes = query.getAll('_include');
  const missing = mandatoryIncludes.find((include) => !includes.includes(include));
  if (missing) throw invalidParameter('_include', `the mandatory _include=${missing} is missing.`);
  if (!query.getAll('_revinclude:recurse').includes(MANDATORY_REVINCLUDE)) {
    throw invalidParameter(
      '_revinclude:recurse',
      `the mandatory _revinclude:recurse=${MANDATORY_REVINCLUDE} is missing.`,
    );
  }
  const filter: DocumentFilter = {};
  const created = query.getAll('created');
  if (created.length > 2) throw invalidParameter('created', 'send at most two: one ge and one le.');
  for (const value of created) {
    const match = /^(ge|le)(\d{4}-\d{2}-\d{2})$/.exec(value);
    if (!match?.[2] || Number.isNaN(Date.parse(match[2]))) {
      throw invalidParameter('created', `"${value}" must be ge or le followed by a date YYYY-MM-DD.`);
    }
    const key = match[1] === 'ge' ? 'from' : 'to';
    if (filter[key] !== undefined) throw invalidParameter('created', `send ${match[1]} at most once.`);
    filter[key] = match[2];
  }
  const author = query.get('author');
  if (author !== null) {
    const bar = author.indexOf('|');
    if (bar < 0 || author.slice(0, bar) !== ODS_ORGANIZATION_CODE || author.slice(bar + 1) === '') {
      throw invalidParameter('author', `search by ODS code: author=${ODS_ORGANIZATION_CODE}|{ODS code}.`);
    }
    filter.authorOds = author.slice(bar + 1);
  }
  const description = query.get('description');
  if (description !== null && description.trim() !== '') filter.description = description.trim().toLowerCase();
  return filter;
}

function matches(document: RecordDocument, filter: DocumentFilter): boolean {
  const created = document.date.slice(0, 10);
  if (filter.from !== undefined && created < filter.from) return false;
  if (filter.to !== undefined && created > filter.to) return false;
  if (filter.authorOds !== undefined && document.author.ods !== filter.authorOds) return false;
  if (filter.description !== undefined && !document.title.toLowerCase().includes(filter.description)) return false;
  return true;
}

/** The patient of the practice addressed whose record may be shared, or the spec's refusal. */
async function shareablePatient(context: GpcContext, patient: Patient | undefined, asked: string): Promise<Patient> {
  if (!patient || patient.practiceIndex !== context.practice.index) {
    throw new SimError('patient-not-found', `No patient ${asked} is registered at ${context.practice.ods}.`);
  }
  try {
    assertRecordShareable(patient, patient.nhsNumber);
  } catch (error) {
    await auditGpcAccess(context, patient, 'refused');
    throw error;
  }
  return patient;
}

/** GET /Patient/{id}/DocumentReference (CareConnect-GPC-DocumentReference-1 in a searchset). */
export async function searchDocuments(context: GpcContext): Promise<SimResponse> {
  const { engine, practice, request } = context;
  const filter = parseFilter(request.query);
  const id = request.params['id'] ?? '';
  const patient = await shareablePatient(context, engine.population.patientById(id), `with id "${id}"`);
  const record = await engine.records.record(patient);
  const documents = record.documents.filter((document) => isShareableEntry(document) && matches(document, filter));
  const { population } = engine;
  const resources = new Map<string, Resource>();
  const add = (resource: Resource) => resources.set(`${resource.resourceType}/${resource.id ?? ''}`, resource);
  add(toGpcPatient(population, patient, practice, { versionId: '1' }));
  add(toGpcOrganization(population, practice));
  const usualGp = practice.staff[patient.usualGpIndex];
  if (usualGp) {
    add(toGpcPractitioner(usualGp));
    add(toGpcPractitionerRole(population, practice, usualGp));
  }
  const root = documentsRoot(engine.baseUrl, practice);
  for (const document of documents) {
    add(toGpcAuthorOrganization(document.author));
    add(toGpcDocumentReference(population, practice, patient, document, root));
  }
  await auditGpcAccess(context, patient);
  return gpcResponse(request, 200, searchsetBundle(context, [...resources.values()]));
}

/**
 * GET /Binary/{id}: the document's content (what a partner filed, else rendered on demand from its metadata). Documents over
 * 5 MB cannot be retrieved through GP Connect and answer 404 NO_RECORD_FOUND.
 */
export async function readBinary(context: GpcContext): Promise<SimResponse> {
  const { engine, request } = context;
  const id = request.params['id'] ?? '';
  // Partner-filed documents carry written-entry ids; computed ones document ids.
  const decoded = engine.population.decodeId(id, 'document') ?? engine.population.decodeId(id, 'write');
  const notFound = () =>
    new SimError('not-found', `No document with id "${id}"; find documents with Patient/{id}/DocumentReference.`);
  if (!decoded) throw notFound();
  const patient = await shareablePatient(context, engine.population.patient(decoded.owner), `owning document "${id}"`);
  const document = (await engine.records.record(patient)).documents.find((candidate) => candidate.id === id);
  if (!document || !isShareableEntry(document)) throw notFound();
  await auditGpcAccess(context, patient);
  if (document.sizeBytes > DOCUMENT_LIMIT_BYTES) {
    throw new SimError(
      'not-found',
      `Document "${id}" is ${document.sizeBytes} bytes, over the 5 MB GP Connect limit; ask the practice to send it another way.`,
    );
  }
  const filed = await documentContent(engine.store.settings, document.id);
  if (filed) {
    return gpcResponse(request, 200, {
      resourceType: 'Binary',
      id: document.id,
      contentType: document.contentType,
      content: filed.toString('base64'),
    });
  }
  const pdf = renderPdf([
    document.title,
    document.description,
    `Patient: ${patient.name.given.join(' ')} ${patient.name.family}, NHS number ${patient.nhsNumber}`,
    `Author: ${document.author.name} (${document.author.ods})`,
    `Created ${document.date}; filed ${document.indexed}`,
    'Simulated document generated by gpsim. Fictitious data.',
  ]);
  return gpcResponse(request, 200, {
    resourceType: 'Binary',
    id: document.id,
    contentType: document.contentType,
    content: pdf.toString('base64'),
  });
}
