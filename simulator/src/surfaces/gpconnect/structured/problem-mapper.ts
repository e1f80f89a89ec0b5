import type { Problem } from '../../../domain/clinical-record';
import type { Resource } from '../stu3';
import { profile } from '../stu3';
import type { BundleBuilder } from './bundle-builder';
import { codeable } from './bundle-builder';

const SIGNIFICANCE = 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ProblemSignificance-1';
const RELATED_CONTENT =
  'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-RelatedClinicalContent-1';

/**
 * CareConnect-GPC-ProblemHeader-Condition-1: category problem-list-item, significance major|minor,
 * and the items linked to the problem as relatedClinicalContent (only those present in the Bundle).
 */
export function toGpcProblem(builder: BundleBuilder, problem: Problem, linked: ReadonlyMap<string, string>): Resource {
  const asserter = builder.recorder(problem.recorderIndex);
  const related = problem.linkedIds.flatMap((id) => {
    const reference = linked.get(id);
    return reference ? [{ url: RELATED_CONTENT, valueReference: { reference } }] : [];
  });
  return {
    resourceType: 'Condition',
    id: problem.id,
    meta: { profile: [profile('CareConnect-GPC-ProblemHeader-Condition-1')] },
    extension: [{ url: SIGNIFICANCE, valueCode: problem.significance }, ...related],
    identifier: builder.identifier(problem),
    clinicalStatus: problem.status,
    category: [
      {
        coding: [
          { system: 'http://hl7.org/fhir/condition-category', code: 'problem-list-item', display: 'Problem List Item' },
        ],
      },
    ],
    code: codeable(problem.concept),
    subject: builder.subject,
    onsetDateTime: problem.date,
    ...(problem.endDate ? { abatementDateTime: problem.endDate } : {}),
    assertedDate: problem.recorded,
    ...(asserter ? { asserter } : {}),
  };
}
