import type { RecordDocument } from '../../../domain/clinical-record';
import type { Practice } from '../../../domain/estate';
import type { Patient } from '../../../domain/patient';
import type { Population } from '../../../population/population';
import type { Resource } from '../stu3';
import { ODS_ORGANIZATION_CODE, SNOMED, dataIdentifierSystem, organizationId, profile } from '../stu3';

/** The Access Document service root of a practice, where a DocumentReference's Binary is retrieved. */
export function documentsRoot(baseUrl: string, practice: Practice): string {
  return `${baseUrl}/${practice.ods}/STU3/1/gpconnect/documents`;
}

/** The organisation that wrote a document (CareConnect-GPC-Organization-1). */
export function toGpcAuthorOrganization(author: RecordDocument['author']): Resource {
  return {
    resourceType: 'Organization',
    id: `ods-${author.ods}`,
    meta: { profile: [profile('CareConnect-GPC-Organization-1')] },
    identifier: [{ system: ODS_ORGANIZATION_CODE, value: author.ods }],
    name: author.name,
  };
}

/**
 * CareConnect-GPC-DocumentReference-1: a document's metadata, with the Binary's URL on the Access
 * Document root. Access Document searches return it; the structured record carries it for a
 * referral letter (metadata only: GPC retrieve_patient_record.md, "do not include the binary file").
 * The author is `Organization/ods-{ODS}` (toGpcAuthorOrganization), which the caller adds too.
 */
export function toGpcDocumentReference(
  population: Population,
  practice: Practice,
  patient: Patient,
  document: RecordDocument,
  root: string,
): Resource {
  return {
    resourceType: 'DocumentReference',
    id: document.id,
    meta: { profile: [profile('CareConnect-GPC-DocumentReference-1')] },
    identifier: [{ system: dataIdentifierSystem(practice), value: document.id }],
    status: 'current',
    type: { coding: [{ system: SNOMED, code: document.type.code, display: document.type.display }] },
    subject: { reference: `Patient/${patient.id}` },
    created: document.date,
    indexed: document.indexed,
    author: [{ reference: `Organization/ods-${document.author.ods}` }],
    custodian: { reference: `Organization/${organizationId(population, practice)}` },
    description: document.title,
    content: [
      {
        attachment: {
          contentType: document.contentType,
          url: `${root}/Binary/${document.id}`,
          size: document.sizeBytes,
          title: document.title,
        },
      },
    ],
  };
}
