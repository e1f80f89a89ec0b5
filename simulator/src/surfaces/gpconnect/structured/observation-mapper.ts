import type { InvestigationReport, Observation } from '../../../domain/clinical-record';
import type { Resource } from '../stu3';
import { profile } from '../stu3';
import type { BundleBuilder } from './bundle-builder';
import { codeable } from './bundle-builder';

const UCUM = 'http://unitsofmeasure.org';

/** CareConnect-GPC-Observation-1 (GPC _includes/accessrecord_structured/uncategorised_response1.json). */
export function toGpcObservation(builder: BundleBuilder, observation: Observation): Resource {
  const performer = builder.performer(observation.recorderIndex);
  return {
    resourceType: 'Observation',
    id: observation.id,
    meta: { profile: [profile('CareConnect-GPC-Observation-1')] },
    identifier: builder.identifier(observation),
    status: 'final',
    code: codeable(observation.concept),
    subject: builder.subject,
    effectiveDateTime: observation.date,
    issued: observation.recorded,
    ...(performer ? { performer: [performer] } : {}),
    ...(observation.value !== undefined
      ? {
          valueQuantity: {
            value: observation.value,
            unit: observation.unit ?? '',
            system: UCUM,
            code: observation.unit ?? '1',
          },
        }
      : {}),
    ...(observation.referenceRange
      ? {
          referenceRange: [
            { low: { value: observation.referenceRange.low }, high: { value: observation.referenceRange.high } },
          ],
        }
      : {}),
    ...(observation.components
      ? {
          component: observation.components.map((component) => ({
            code: codeable(component.concept),
            valueQuantity: { value: component.value, unit: component.unit, system: UCUM, code: component.unit },
          })),
        }
      : {}),
  };
}

/** A DiagnosticReport with its Specimen and result Observations (CareConnect-GPC-DiagnosticReport-1). */
export function toGpcInvestigation(
  builder: BundleBuilder,
  report: InvestigationReport,
  results: readonly Observation[],
): string {
  const specimenId = `${report.id}-specimen`;
  builder.add({
    resourceType: 'Specimen',
    id: specimenId,
    meta: { profile: [profile('CareConnect-GPC-Specimen-1')] },
    type: codeable(report.specimen),
    subject: builder.subject,
    collection: { collectedDateTime: report.date },
  });
  for (const result of results)
    builder.add({ ...toGpcObservation(builder, result), specimen: { reference: `Specimen/${specimenId}` } });
  builder.add({
    resourceType: 'DiagnosticReport',
    id: report.id,
    meta: { profile: [profile('CareConnect-GPC-DiagnosticReport-1')] },
    identifier: builder.identifier(report),
    status: 'final',
    category: {
      coding: [
        { system: 'http://hl7.org/fhir/v2/0074', code: 'PAT', display: 'Pathology (gross & histopath, not surgical)' },
      ],
    },
    code: codeable(report.concept),
    subject: builder.subject,
    issued: report.issued,
    specimen: [{ reference: `Specimen/${specimenId}` }],
    result: results.map((result) => ({ reference: `Observation/${result.id}` })),
  });
  return `DiagnosticReport/${report.id}`;
}
