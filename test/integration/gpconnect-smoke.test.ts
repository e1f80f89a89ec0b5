import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { INTERACTION, gpcClient } from '../support/gpconnect';
import { smallEstate, startTestGpsim } from '../support/gpsim';

describe('smoke', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
  });
  afterAll(() => gpsim.close());
  it('works', async () => {
    const practice = manifest.practices[0]!;
    const gpc = gpcClient(practice, manifest.consumers[0]!.asid);
    const standard = manifest.archetypes.find((a) => a.key === 'standard' && a.ods === practice.ods)!;
    const meta = await gpc({ path: '/metadata', interaction: INTERACTION.metadata, scope: 'organization/*.read' });
    console.log(meta.status, JSON.stringify(meta.body).slice(0, 300));
    const find = await gpc({ path: `/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${standard.nhsNumber}`, interaction: INTERACTION.searchPatient });
    console.log(find.status, JSON.stringify(find.body).slice(0, 1500));
    const rec = await gpc({ method: 'POST', root: 'structured', path: '/Patient/$gpc.getstructuredrecord', interaction: INTERACTION.getStructuredRecord, body: { resourceType: 'Parameters', parameter: [
      { name: 'patientNHSNumber', valueIdentifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: standard.nhsNumber } },
      { name: 'includeAllergies', part: [{ name: 'includeResolvedAllergies', valueBoolean: true }] },
      { name: 'includeMedication' }, { name: 'includeProblems' }, { name: 'includeImmunisations' }, { name: 'includeUncategorisedData' }, { name: 'includeInvestigations' }, { name: 'includeReferrals' }, { name: 'includeDiaryEntries' },
    ] } });
    const entries = (rec.body['entry'] as { resource: { resourceType: string } }[] | undefined) ?? [];
    const counts: Record<string, number> = {};
    for (const e of entries) counts[e.resource.resourceType] = (counts[e.resource.resourceType] ?? 0) + 1;
    console.log(rec.status, counts, JSON.stringify(rec.body).slice(0, 600));
  });
});
