import type { Allergy } from '../../../domain/clinical-record';
import type { Resource } from '../stu3';
import { profile } from '../stu3';
import type { BundleBuilder } from './bundle-builder';
import { codeable } from './bundle-builder';

const END_EXTENSION = profile('Extension-CareConnect-GPC-AllergyIntoleranceEnd-1');

/** CareConnect-GPC-AllergyIntolerance-1 (GPC _includes/accessrecord_structured/allergies_response2.json). */
export function toGpcAllergy(builder: BundleBuilder, allergy: Allergy): Resource {
  const recorder = builder.recorder(allergy.recorderIndex);
  const resolved = allergy.clinicalStatus === 'resolved';
  return {
    resourceType: 'AllergyIntolerance',
    id: allergy.id,
    meta: { profile: [profile('CareConnect-GPC-AllergyIntolerance-1')] },
    ...(resolved
      ? {
          extension: [
            { url: END_EXTENSION, extension: [{ url: 'endDate', valueDateTime: allergy.endDate ?? allergy.date }] },
          ],
        }
      : {}),
    identifier: builder.identifier(allergy),
    clinicalStatus: allergy.clinicalStatus,
    verificationStatus: 'unconfirmed',
    type: allergy.type,
    category: [allergy.category],
    code: codeable(allergy.concept),
    patient: builder.subject,
    onsetDateTime: allergy.date,
    assertedDate: allergy.recorded,
    ...(recorder ? { recorder } : {}),
    ...(allergy.reaction ? { reaction: [{ manifestation: [codeable(allergy.reaction)] }] } : {}),
  };
}
