import { randomUUID } from 'node:crypto';
import { control, emis, systmone } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { parseXml, xmlToPlain } from '@gpsim/simulator/surfaces/shared/xml';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { clientIntegrationRequest, errorCode, find, findAll, identity } from '../support/systmone';

type Partner = control.Manifest['partners'][number];
interface EmisReply {
  Outcome: 'Success' | 'Failure';
  Result?: Record<string, unknown>;
  Error?: { Code: string; Description: string };
}

describe('practice workflow through the partner APIs (SystmOne Tasks, EMIS Workflow Manager)', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let demo: Partner;
  let systmOneOds: string;
  let emisOds: string;

  const archetype = (key: string, ods: string) =>
    manifest.archetypes.find((a) => a.key === key && a.ods === ods)?.nhsNumber as string;
  const systmOneText = async (fn: string, parameters = '', ods = systmOneOds) =>
    (
      await fetch(`${gpsim.url}/systmone/${ods}/client-integration`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: clientIntegrationRequest({ partner: demo, fn, parameters }),
      })
    ).text();
  const systmOne = async (fn: string, parameters = '', ods = systmOneOds) =>
    parseXml(await systmOneText(fn, parameters, ods));
  const emisCall = async (method: string, body: Record<string, unknown>, ods = emisOds) => {
    const logon = await fetch(`${gpsim.url}/emis/partner-api/InitializeWithID`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ClientId: demo.clientId, ClientSecret: demo.clientSecret, OrganisationId: ods }),
    });
    const SessionId = ((await logon.json()) as EmisReply).Result?.['SessionId'] as string;
    const response = await fetch(`${gpsim.url}/emis/partner-api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ SessionId, ...body }),
    });
    return { status: response.status, body: (await response.json()) as EmisReply };
  };
  const staffAction = async (id: string, body: Record<string, unknown>) =>
    fetch(`${gpsim.url}/__sim/tasks/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures`)).json());
    demo = manifest.partners.find((p) => p.name === 'gpsim-demo') as Partner;
    systmOneOds = manifest.practices.find((p) => p.system === 'systmone')?.ods as string;
    emisOds = manifest.practices.find((p) => p.system === 'emis')?.ods as string;
  });
  afterAll(() => gpsim.close());

  describe('SystmOne GetTasks / GetTask', () => {
    let taskId: string;
    let nhsNumber: string;

    beforeAll(async () => {
      nhsNumber = archetype('standard', systmOneOds);
      const created = await systmOne(
        'CreateTask',
        `<Title>Review blood results</Title>${identity(nhsNumber)}<Urgent>true</Urgent><Group>Admin</Group>`,
      );
      taskId = find(created, 'Response', 'TaskUID')?.text as string;
      expect(taskId).toBeTruthy();
    });

    it('lists the item as a SystmOne Task: type, urgency, status and the group the task rules route it to', async () => {
      const text = await systmOneText('GetTasks');
      const parsed = systmone.GetTasksResponse.parse(xmlToPlain(parseXml(text), { dropEmpty: false }));
      const tasks = parsed.Response.Tasks === '' ? [] : parsed.Response.Tasks.Task;
      const task = tasks.find((candidate) => candidate['@TaskUID'] === taskId);
      expect(task).toMatchObject({
        '@TaskType': 'Third Party Task',
        '@Urgency': 'Urgent',
        '@Status': 'Outstanding',
        Subject: 'Review blood results',
        AssignedTo: { '@Kind': 'Group', '#text': 'Admin' },
        Identity: { NhsNumber: nhsNumber },
        Source: { '@Sender': 'gpsim-demo', '@Channel': 'systmone' },
      });
    });

    it('narrows by Status and by patient, and refuses a status SystmOne does not have', async () => {
      expect(await staffAction(taskId, { action: 'start', by: 'practice-staff' })).toHaveProperty('status', 200);
      const started = await systmOne('GetTasks', '<Status>Started</Status>');
      expect(findAll(started, 'Task').map((task) => task.attributes['TaskUID'])).toContain(taskId);
      const outstanding = await systmOne('GetTasks', '<Status>Outstanding</Status>');
      expect(findAll(outstanding, 'Task').map((task) => task.attributes['TaskUID'])).not.toContain(taskId);
      const forOther = await systmOne('GetTasks', identity(archetype('dissent', systmOneOds)));
      expect(errorCode(forOther)).toBeUndefined();
      expect(findAll(forOther, 'Task').map((task) => task.attributes['TaskUID'])).not.toContain(taskId);
      expect(errorCode(await systmOne('GetTasks', '<Status>Done</Status>'))).toBe('InvalidParameter');
    });

    it('GetTask returns one Task with the notes staff added', async () => {
      await staffAction(taskId, { action: 'comment', by: 'practice-staff', comment: 'Phoned the patient' });
      const text = await systmOneText('GetTask', `<TaskUID>${taskId}</TaskUID>`);
      const task = systmone.GetTaskResponse.parse(xmlToPlain(parseXml(text), { dropEmpty: false })).Response.Task;
      expect(task['@Status']).toBe('Started');
      expect(task.Notes).toMatchObject({ Note: [{ '@UserName': 'practice-staff', '#text': 'Phoned the patient' }] });
    });

    it("answers NotFound for another practice's item, as for a missing one", async () => {
      const emisTask = await emisCall('CreateTask', { Title: 'Elsewhere' });
      const id = emisTask.body.Result?.['TaskId'] as string;
      expect(errorCode(await systmOne('GetTask', `<TaskUID>${id}</TaskUID>`))).toBe('NotFound');
      expect(errorCode(await systmOne('GetTask', `<TaskUID>${randomUUID()}</TaskUID>`))).toBe('NotFound');
    });

    it('audits each read with the user, role and organisation', async () => {
      await systmOne('GetTasks', identity(nhsNumber));
      const { events } = (await (
        await fetch(`${gpsim.url}/__sim/audit?nhsNumber=${nhsNumber}&surface=systmone&limit=1000`)
      ).json()) as { events: { action: string; user?: string; role?: string; organisation?: string }[] };
      expect(events.filter((event) => event.action === 'read-tasks').at(-1)).toMatchObject({
        role: 'gp',
        organisation: systmOneOds,
        user: expect.any(String),
      });
    });
  });

  describe('EMIS GetWorkflowItems / GetWorkflowItem', () => {
    let itemId: string;

    beforeAll(async () => {
      const created = await emisCall('CreateTask', {
        Title: 'Update contact details',
        NhsNumber: archetype('standard', emisOds),
        Group: 'Admin',
        IdempotencyKey: randomUUID(),
      });
      itemId = created.body.Result?.['TaskId'] as string;
    });

    it('lists the item in the Tasks folder of Workflow Manager, assigned to the team', async () => {
      const { status, body } = await emisCall('GetWorkflowItems', { Folder: 'Tasks' });
      expect(status).toBe(200);
      const result = emis.success(emis.WorkflowItemsResult).parse(body).Result.WorkflowItems;
      const items = result === '' ? [] : (result.Item ?? []);
      expect(items.find((item) => item.ItemId === itemId)).toMatchObject({
        Folder: 'Tasks',
        Priority: 'Normal',
        Status: 'Awaiting Action',
        AssignedTo: { Kind: 'Team', Name: 'Admin' },
        Subject: 'Update contact details',
      });
    });

    it('shows a completed task as Completed and filters by status', async () => {
      expect(await staffAction(itemId, { action: 'complete', by: 'practice-staff' })).toHaveProperty('status', 200);
      const item = emis
        .success(emis.WorkflowItemResult)
        .parse((await emisCall('GetWorkflowItem', { ItemId: itemId })).body).Result.WorkflowItem;
      expect(item.Status).toBe('Completed');
      const waiting = emis
        .success(emis.WorkflowItemsResult)
        .parse((await emisCall('GetWorkflowItems', { Status: 'Awaiting Action' })).body).Result.WorkflowItems;
      expect(waiting === '' ? [] : (waiting.Item ?? []).map((entry) => entry.ItemId)).not.toContain(itemId);
    });

    it('refuses an unknown folder with InvalidParameter and another practice item with NotFound', async () => {
      const folder = await emisCall('GetWorkflowItems', { Folder: 'Inbox' });
      expect(folder.body.Error?.Code).toBe('InvalidParameter');
      const elsewhere = find(await systmOne('CreateTask', '<Title>Not for EMIS</Title>'), 'Response', 'TaskUID')?.text;
      const missing = await emisCall('GetWorkflowItem', { ItemId: elsewhere });
      expect(missing.body.Error?.Code).toBe('NotFound');
    });
  });

  it('GET /__sim/tasks gives each item the presentation of its practice system', async () => {
    const tasks = async (ods: string) =>
      ((await (await fetch(`${gpsim.url}/__sim/tasks?ods=${ods}`)).json()) as { tasks: { presentation: unknown }[] })
        .tasks;
    expect((await tasks(systmOneOds))[0]?.presentation).toMatchObject({
      system: 'systmone',
      taskType: expect.any(String),
    });
    expect((await tasks(emisOds))[0]?.presentation).toMatchObject({ system: 'emis', folder: expect.any(String) });
  });
});
