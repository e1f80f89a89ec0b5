import { randomUUID } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import type { Task } from '@gpsim/simulator/domain/tasks';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { MeshTestClient } from '../support/mesh-client';

/** `--workflow-actor auto`: practice items are filed after a delay of simulated time, so CI sees business acks. */
describe('auto-actor', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;

  beforeAll(async () => {
    gpsim = await startTestGpsim({ ...smallEstate, workflowActor: 'auto', workflowActorDelay: 'PT10M' });
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
  });
  afterAll(() => gpsim.close());

  it('files a Send Document item once the delay has passed on the simulated clock, and the 30001 ack reaches the sender', async () => {
    const mailbox = manifest.mailboxes.find((candidate) => candidate.partner === 'gpsim-demo');
    const archetype = manifest.archetypes.find((candidate) => candidate.key === 'standard');
    const patient = gpsim.engine.population.byNhsNumber(archetype?.nhsNumber as string)?.patient;
    if (!mailbox || !archetype || !patient) throw new Error('fixtures incomplete');
    const demo = new MeshTestClient(manifest.mesh.baseUrl, mailbox, manifest.mesh.sharedSecret, () =>
      gpsim.engine.clock.nowDate(),
    );
    const [year, month, day] = patient.birthDate.split('-');
    const headerId = randomUUID();
    const bundle = JSON.stringify({
      resourceType: 'Bundle',
      type: 'message',
      entry: [{ resource: { resourceType: 'MessageHeader', id: headerId } }],
    });
    const sent = await demo.send(
      `GPPROVIDER_${patient.nhsNumber}_${day}${month}${year}_${patient.name.family}`,
      'GPFED_CONSULT_REPORT',
      bundle,
      { 'mex-subject': 'Auto-filed report', 'mex-localid': randomUUID() },
    );
    expect(sent.status).toBe(202);
    const codes = async (): Promise<string[]> => {
      const found: string[] = [];
      for (const id of await demo.inbox()) {
        const text = (await demo.download(id)).bytes.toString('utf8');
        found.push(/"code":"(\d{5})"/.exec(text)?.[1] ?? 'none');
        await demo.acknowledge(id);
      }
      return found;
    };
    expect(await codes()).toEqual(['20013']);
    const listed = async (): Promise<Task[]> =>
      ((await (await fetch(`${gpsim.url}/__sim/tasks?ods=${archetype.ods}`)).json()) as { tasks: Task[] }).tasks;
    expect((await listed()).map((task) => task.status)).toEqual(['new']);

    await fetch(`${gpsim.url}/__sim/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: 'PT11M' }),
    });
    expect(await codes()).toEqual(['30001']);
    const [task] = await listed();
    expect(task?.status).toBe('completed');
    expect(task?.history.at(-1)?.by).toBe('auto-actor');
  });
});
