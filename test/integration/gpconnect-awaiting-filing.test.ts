import { randomUUID } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import type { GpcReply, ManifestPractice } from '../support/gpconnect';
import { INTERACTION, gpcClient } from '../support/gpconnect';
import { smallEstate, startTestGpsim } from '../support/gpsim';

/**
 * The data-awaiting-filing List warning (GPC accessrecord_structured_development_list.md; reference/domain.md
 * §1.7): a patient with items still in the practice workflow gets the warning on every List, with
 * the spec's text; data still in the filing workflow is never returned.
 */
type Resource = { resourceType: string; [element: string]: unknown };
const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
const TEXT =
  /^Patient record contains some items in the GP practice workflow that have not been reviewed for inclusion in this message; information recorded before \d\d-[A-Z][a-z]{2}-\d{4} may be missing\.$/;

const lists = (reply: GpcReply) =>
  ((reply.body['entry'] as { resource: Resource }[] | undefined) ?? [])
    .map((entry) => entry.resource)
    .filter((resource) => resource.resourceType === 'List');
const warned = (list: Resource) => JSON.stringify(list['extension']).includes('"data-awaiting-filing"');

describe('GP Connect data-awaiting-filing warning', () => {
  let gpsim: RunningGpsim;
  let practice: ManifestPractice;
  let nhsNumber: string;
  let record: () => Promise<GpcReply>;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    const manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    practice = manifest.practices[0] as ManifestPractice;
    const standard = manifest.archetypes.find((entry) => entry.key === 'standard' && entry.ods === practice.ods);
    nhsNumber = standard?.nhsNumber as string;
    const gpc = gpcClient(practice, (manifest.consumers[0] as { asid: string }).asid);
    record = () =>
      gpc({
        method: 'POST',
        root: 'structured',
        path: '/Patient/$gpc.getstructuredrecord',
        interaction: INTERACTION.getStructuredRecord,
        body: {
          resourceType: 'Parameters',
          parameter: [
            { name: 'patientNHSNumber', valueIdentifier: { system: NHS, value: nhsNumber } },
            { name: 'includeMedication' },
            { name: 'includeReferrals' },
          ],
        },
      });
  });
  afterAll(() => gpsim.close());

  const addTask = (ods: string, patient: string) =>
    gpsim.engine.tasks.create({
      ods,
      type: 'document',
      title: 'Discharge summary to file',
      nhsNumber: patient,
      source: { surface: 'control', sender: 'test', reference: randomUUID() },
    });

  it('has no warning while the workflow holds nothing for the patient', async () => {
    const reply = await record();
    expect(reply.status).toBe(200);
    expect(lists(reply).some(warned)).toBe(false);
  });

  it('ignores items at another practice', async () => {
    const other = gpsim.engine.population.practices[1];
    if (!other) throw new Error('the small estate has two practices');
    await addTask(other.ods, nhsNumber);
    expect(lists(await record()).some(warned)).toBe(false);
  });

  it('warns on every List, with the spec text, while an item for the patient is open, and stops once it is filed', async () => {
    const { task } = await addTask(practice.ods, nhsNumber);
    const reply = await record();
    const all = lists(reply);
    // Medication and referrals, and the related-problems List (lists_for_message_structure.md) of the standard record.
    expect(all.length).toBe(3);
    expect(all.every(warned)).toBe(true);
    const notes = all.flatMap((list) => (list['note'] as { text: string }[]).map((note) => note.text));
    expect(notes.some((text) => TEXT.test(text))).toBe(true);

    await gpsim.engine.tasks.change(task.id, { by: 'test', status: 'completed' });
    expect(lists(await record()).some(warned)).toBe(false);
  });
});
