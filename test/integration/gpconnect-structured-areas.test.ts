import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import type { ClinicalRecord } from '@gpsim/simulator/domain/clinical-record';
import type { GpcReply, ManifestPractice, Resource } from '../support/gpconnect';
import { INTERACTION, gpcClient } from '../support/gpconnect';
import { smallEstate, startTestGpsim } from '../support/gpsim';

/**
 * What each clinical area brings into the structured Bundle besides its primary items (GPC 1.6.2
 * accessrecord_structured_development_retrieve_patient_record.md, "Immunisations", "Referrals";
 * accessrecord_structured_development_lists_for_message_structure.md). Expectations are computed
 * from the patient's record as the engine holds it, not written down.
 */
const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
const LIST_CODES = 'http://snomed.info/sct';
const IMMUNISATIONS = '1102181000000102';
const UNCATEGORISED = '826501000000100';

const resourcesOf = (reply: GpcReply) =>
  ((reply.body['entry'] as { resource: Resource }[] | undefined) ?? []).map((entry) => entry.resource);
const listCoded = (reply: GpcReply, code: string) =>
  resourcesOf(reply).find(
    (resource) =>
      resource.resourceType === 'List' &&
      JSON.stringify((resource['code'] as { coding: unknown[] }).coding).includes(`"${code}"`),
  );
const referencesOf = (list: Resource | undefined) =>
  ((list?.['entry'] as { item: { reference: string } }[] | undefined) ?? []).map((entry) => entry.item.reference);

describe('GP Connect structured record: what each clinical area carries', () => {
  let gpsim: RunningGpsim;
  let practice: ManifestPractice;
  let gpc: ReturnType<typeof gpcClient>;
  let standard: string;
  let record: ClinicalRecord;

  const structured = (...parameters: unknown[]) =>
    gpc({
      method: 'POST',
      root: 'structured',
      path: '/Patient/$gpc.getstructuredrecord',
      interaction: INTERACTION.getStructuredRecord,
      body: {
        resourceType: 'Parameters',
        parameter: [{ name: 'patientNHSNumber', valueIdentifier: { system: NHS, value: standard } }, ...parameters],
      },
    });

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    const manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    practice = manifest.practices[0] as ManifestPractice;
    gpc = gpcClient(practice, (manifest.consumers[0] as { asid: string }).asid);
    standard = manifest.archetypes.find((entry) => entry.key === 'standard' && entry.ods === practice.ods)
      ?.nhsNumber as string;
    const found = gpsim.engine.population.byNhsNumber(standard);
    if (!found) throw new Error('the standard archetype is not in the population');
    record = await gpsim.engine.records.record(found.patient);
  });
  afterAll(() => gpsim.close());

  describe('immunisations (retrieve_patient_record.md "Immunisations"; immunization_guidance.md)', () => {
    const immunisations = (...parts: unknown[]) =>
      structured(parts.length === 0 ? { name: 'includeImmunisations' } : { name: 'includeImmunisations', part: parts });
    const notGivenIds = () =>
      record.immunisations.filter((item) => item.status === 'not-done').map((item) => `Immunization/${item.id}`);
    const statusIds = () =>
      record.observations.filter((item) => item.immunisationStatus).map((item) => `Observation/${item.id}`);

    it('has record data for both part parameters (a declined flu vaccine and the dissent recorded with it)', () => {
      expect(notGivenIds().length).toBeGreaterThan(0);
      expect(statusIds().length).toBeGreaterThan(0);
    });

    it('returns given immunisations only by default, and the consent/dissent Observations (includeStatus defaults to true)', async () => {
      const reply = await immunisations();
      expect(reply.status).toBe(200);
      const references = referencesOf(listCoded(reply, IMMUNISATIONS));
      const given = record.immunisations
        .filter((item) => item.status === 'completed')
        .map((i) => `Immunization/${i.id}`);
      expect(references.filter((reference) => reference.startsWith('Immunization/')).sort()).toEqual(given.sort());
      for (const id of notGivenIds()) expect(references).not.toContain(id);
      expect(references).toEqual(expect.arrayContaining(statusIds()));
      const dissent = resourcesOf(reply).find((resource) => `Observation/${resource.id}` === statusIds()[0]);
      expect(dissent).toMatchObject({
        resourceType: 'Observation',
        meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Observation-1'] },
        code: { coding: [expect.objectContaining({ system: LIST_CODES, code: '268559007' })] },
      });
    });

    it('returns not-given immunisations (notGiven true) only with includeNotGiven true', async () => {
      const reply = await immunisations({ name: 'includeNotGiven', valueBoolean: true });
      const references = referencesOf(listCoded(reply, IMMUNISATIONS));
      expect(references).toEqual(expect.arrayContaining(notGivenIds()));
      const notGiven = resourcesOf(reply).filter((resource) => notGivenIds().includes(`Immunization/${resource.id}`));
      expect(notGiven.map((resource) => resource['notGiven'])).toEqual(notGivenIds().map(() => true));
    });

    it('leaves the consent/dissent Observations out with includeStatus false', async () => {
      const reply = await immunisations({ name: 'includeStatus', valueBoolean: false });
      const references = referencesOf(listCoded(reply, IMMUNISATIONS));
      expect(references.some((reference) => reference.startsWith('Observation/'))).toBe(false);
      expect(resourcesOf(reply).some((resource) => `Observation/${resource.id}` === statusIds()[0])).toBe(false);
    });

    it('never returns the consent/dissent Observations as uncategorised data', async () => {
      const reply = await structured({ name: 'includeUncategorisedData' });
      const references = referencesOf(listCoded(reply, UNCATEGORISED));
      expect(references.length).toBeGreaterThan(0);
      for (const id of statusIds()) expect(references).not.toContain(id);
    });
  });

  describe('the related-problems List (lists_for_message_structure.md "The secondary list for related problems")', () => {
    const LINKED = 'problems-linked-problems-not-relating-to-the-primary-query';
    const linkedProblemIds = () =>
      record.problems
        .filter((problem) => record.referrals.some((referral) => problem.linkedIds.includes(referral.id)))
        .map((problem) => `Condition/${problem.id}`);

    it('lists, and carries, the problems linked to the referrals a referrals query returns', async () => {
      expect(linkedProblemIds().length).toBeGreaterThan(0);
      const reply = await structured({ name: 'includeReferrals' });
      const list = listCoded(reply, LINKED);
      expect(list).toMatchObject({
        title: 'Problems - linked problems not relating to the primary query',
        code: {
          coding: [{ system: 'https://fhir.hl7.org.uk/STU3/CodeSystem/GPConnect-SecondaryListValues-1', code: LINKED }],
        },
      });
      expect(referencesOf(list).sort()).toEqual(linkedProblemIds().sort());
      const conditions = resourcesOf(reply).filter((resource) => resource.resourceType === 'Condition');
      expect(conditions.map((resource) => `Condition/${resource.id}`).sort()).toEqual(linkedProblemIds().sort());
    });

    it('is one List even when several areas are asked for', async () => {
      const reply = await structured(
        { name: 'includeReferrals' },
        { name: 'includeMedication' },
        { name: 'includeDiaryEntries' },
      );
      const lists = resourcesOf(reply).filter((resource) => JSON.stringify(resource['code'] ?? '').includes(LINKED));
      expect(lists).toHaveLength(1);
    });

    it('is absent when the problems query itself returns every linked problem', async () => {
      const reply = await structured({ name: 'includeReferrals' }, { name: 'includeProblems' });
      expect(reply.status).toBe(200);
      expect(listCoded(reply, LINKED)).toBeUndefined();
    });

    it('is absent when no returned item is linked to a problem', async () => {
      const reply = await structured({ name: 'includeProblems' });
      expect(listCoded(reply, LINKED)).toBeUndefined();
    });
  });

  describe('referrals (referralrequest.md; retrieve_patient_record.md "Referrals")', () => {
    const referralsReply = () => structured({ name: 'includeReferrals' });
    const byReference = (reply: GpcReply) =>
      new Map(resourcesOf(reply).map((resource) => [`${resource.resourceType}/${resource.id ?? ''}`, resource]));

    it('carries each referral with status unknown, its main code in reasonCode and never in serviceRequested', async () => {
      const reply = await referralsReply();
      const referrals = resourcesOf(reply).filter((resource) => resource.resourceType === 'ReferralRequest');
      expect(referrals.map((resource) => resource.id).sort()).toEqual(record.referrals.map((item) => item.id).sort());
      for (const resource of referrals) {
        const source = record.referrals.find((item) => item.id === resource.id);
        expect(resource).toMatchObject({
          status: 'unknown',
          intent: 'order',
          reasonCode: [{ coding: [expect.objectContaining({ code: source?.concept.code })] }],
        });
        expect(resource['serviceRequested']).toBeUndefined();
        expect(resource['reasonReference']).toBeUndefined();
      }
    });

    it('references the recipient service as a HealthcareService provided by an Organization, both in the Bundle', async () => {
      const reply = await referralsReply();
      const bundle = byReference(reply);
      const referral = record.referrals.find((item) => item.recipient);
      const resource = bundle.get(`ReferralRequest/${referral?.id ?? ''}`);
      const recipient = (resource?.['recipient'] as { reference: string }[] | undefined)?.[0]?.reference ?? '';
      expect(recipient).toMatch(/^HealthcareService\//);
      const service = bundle.get(recipient);
      expect(service).toMatchObject({
        meta: { profile: ['https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-HealthcareService-1'] },
        name: referral?.service,
      });
      const provider = bundle.get((service?.['providedBy'] as { reference: string }).reference);
      expect(provider).toMatchObject({
        resourceType: 'Organization',
        identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: referral?.recipient?.ods }],
      });
    });

    it('references the referral letter as a DocumentReference (metadata only) in supportingInfo', async () => {
      const reply = await referralsReply();
      const bundle = byReference(reply);
      const referral = record.referrals.find((item) => item.letterId);
      const letter = record.documents.find((document) => document.id === referral?.letterId);
      expect(letter).toBeDefined();
      const resource = bundle.get(`ReferralRequest/${referral?.id ?? ''}`);
      expect(resource?.['supportingInfo']).toEqual([{ reference: `DocumentReference/${letter?.id ?? ''}` }]);
      const document = bundle.get(`DocumentReference/${letter?.id ?? ''}`);
      expect(document).toMatchObject({
        meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-DocumentReference-1'] },
        content: [
          { attachment: expect.objectContaining({ url: expect.stringMatching(/\/gpconnect\/documents\/Binary\//) }) },
        ],
      });
      expect(
        (document?.['content'] as { attachment: Record<string, unknown> }[])[0]?.attachment['data'],
      ).toBeUndefined();
      expect(resourcesOf(reply).some((item) => item.resourceType === 'Binary')).toBe(false);
    });

    it('carries the letter when the referral comes in with a consultation or a problem too', async () => {
      for (const area of ['includeConsultations', 'includeProblems']) {
        const bundle = byReference(await structured({ name: area }));
        const referral = record.referrals.find((item) => bundle.has(`ReferralRequest/${item.id}`) && item.letterId);
        expect(referral).toBeDefined();
        expect(bundle.has(`DocumentReference/${referral?.letterId ?? ''}`)).toBe(true);
      }
    });
  });
});
