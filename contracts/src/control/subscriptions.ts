import { z } from 'zod';

/** Task events a webhook subscription may ask for (the task lifecycle's changes). */
export const taskEventTypes = [
  'task.created',
  'task.in-progress',
  'task.new',
  'task.completed',
  'task.rejected',
  'task.cancelled',
  'task.reassigned',
  'task.commented',
] as const;
export const TaskEventType = z.enum(taskEventTypes);

/** POST /__sim/subscriptions: where to send which task events. */
export const SubscriptionRequest = z.object({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .describe('The http(s) endpoint that receives the events as JSON POSTs.'),
  events: z.array(TaskEventType).min(1).max(taskEventTypes.length),
  ods: z.string().max(20).optional().describe('Only events of this practice; every practice when omitted.'),
});
export type SubscriptionRequest = z.infer<typeof SubscriptionRequest>;

export const Subscription = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(TaskEventType),
  ods: z.string().optional(),
  createdAt: z.string(),
});
export type Subscription = z.infer<typeof Subscription>;

/** Returned once, on creation: the secret that signs deliveries (X-Gpsim-Signature: sha256=HMAC of the body). */
export const CreatedSubscription = Subscription.extend({ secret: z.string() });
export type CreatedSubscription = z.infer<typeof CreatedSubscription>;
