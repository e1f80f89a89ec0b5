import { emisWorkflowView, presentTask, systmOneTaskView } from '@gpsim/simulator/domain/task-presentation';
import type { Task } from '@gpsim/simulator/domain/tasks';

const delivered: Task = {
  id: 't1',
  ods: 'A00001',
  type: 'document',
  title: 'Consultation report for Alice Abbot , NHS Number 9990000018, seen at Example Pharmacy, ODS Code FX001',
  status: 'new',
  urgency: 'routine',
  nhsNumber: '9990000018',
  source: { surface: 'mesh', sender: 'GPSIMDEMO01', reference: 'local-1' },
  links: ['20260112091403000_A1B2C3'],
  comments: [],
  version: 1,
  createdAt: '2026-01-12T09:14:03.000Z',
  updatedAt: '2026-01-12T09:14:03.000Z',
  history: [],
};

describe('task presentation per GP system', () => {
  it('shows a MESH document in SystmOne as a Document Management task for the Doctors group, linked to the message', () => {
    // Inbound items become SystmOne Tasks routed by task rules to a group such as "Doctors" (reference/domain.md §2.5).
    expect(systmOneTaskView(delivered)).toEqual({
      system: 'systmone',
      taskType: 'Document Management',
      urgency: 'Normal',
      status: 'Outstanding',
      assignedTo: { kind: 'Group', name: 'Doctors' },
      linkedDocument: '20260112091403000_A1B2C3',
    });
  });

  it('files the same document in EMIS Workflow Manager under Document Management, awaiting filing, then Filed', () => {
    expect(emisWorkflowView(delivered)).toMatchObject({
      folder: 'Document Management',
      category: 'Awaiting Filing',
      status: 'Awaiting Action',
    });
    expect(emisWorkflowView({ ...delivered, status: 'completed' }).status).toBe('Filed');
  });

  it('puts partner tasks in the EMIS Tasks folder with the named user, and keeps a partner task type in SystmOne', () => {
    const task: Task = {
      ...delivered,
      type: 'Medication Review',
      urgency: 'urgent',
      status: 'completed',
      assignee: { kind: 'user', id: 'jsmith2304' },
      links: [],
    };
    expect(emisWorkflowView(task)).toMatchObject({
      folder: 'Tasks',
      category: 'Medication Review',
      priority: 'Urgent',
      status: 'Completed',
      assignedTo: { kind: 'User', name: 'jsmith2304' },
    });
    expect(systmOneTaskView(task)).toMatchObject({ taskType: 'Medication Review', urgency: 'Urgent' });
    expect(systmOneTaskView(task)).not.toHaveProperty('linkedDocument');
  });

  it("picks the view of the practice's system", () => {
    expect(presentTask(delivered, 'systmone').system).toBe('systmone');
    expect(presentTask(delivered, 'emis').system).toBe('emis');
  });
});
