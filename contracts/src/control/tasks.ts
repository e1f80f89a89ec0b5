import { z } from 'zod';

const TaskAssigneeBody = z.object({
  kind: z.enum(['user', 'team', 'role']),
  id: z.string().min(1).max(200),
});

/**
 * What practice staff do with an item (POST /__sim/tasks/{id}): complete it, file it to the
 * record, reassign it, or reject it with a reason. `version` guards against lost updates.
 */
export const TaskAction = z.object({
  action: z.enum(['start', 'complete', 'file', 'reassign', 'reject', 'comment']),
  by: z.string().min(1).max(200).optional().describe('Who acts (a username); "practice-staff" when omitted.'),
  version: z.number().int().positive().optional(),
  reason: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe(
      'Required to reject. For a MESH document the business ack is 30002 (patient not known here), or 30003 (no longer registered) when the reason starts with "30003".',
    ),
  assignee: TaskAssigneeBody.optional().describe('Required to reassign.'),
  comment: z.string().min(1).max(4000).optional(),
});
export type TaskAction = z.infer<typeof TaskAction>;
