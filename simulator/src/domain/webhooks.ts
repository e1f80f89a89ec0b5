import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SimClock } from './clock';
import { SimError } from './errors';
import type { Task } from './tasks';
import type { TaskService } from './task-service';
import type { SubscriptionRepository } from '../store/store';

export interface StoredSubscription {
  id: string;
  url: string;
  events: string[];
  ods?: string;
  createdAt: string;
  /** Signs every delivery; shown to the subscriber once, on creation. */
  secret: string;
}

export interface DeliveryRecord {
  deliveryId: string;
  subscriptionId: string;
  event: string;
  attempt: number;
  status: number | 'network-error';
  at: string;
}

const MAX_SUBSCRIPTIONS = 50;
const DELIVERY_LOG = 500;
const ATTEMPT_TIMEOUT_MS = 5000;

/**
 * Webhook subscriptions to task changes: each delivery is a JSON POST signed with
 * `X-Gpsim-Signature: sha256=<hex HMAC-SHA256(secret, body)>`, retried with back-off when the
 * receiver fails or cannot be reached. Deliveries run in the background, in real time (they are
 * network I/O), and never slow the change that caused them.
 */
export class WebhookService {
  private readonly log: DeliveryRecord[] = [];

  constructor(
    private readonly repository: SubscriptionRepository,
    private readonly clock: SimClock,
    tasks: TaskService,
    private readonly logger: Logger,
    /** Waits before each retry, in real milliseconds. */
    private readonly retryDelaysMs: readonly number[] = [500, 2000, 5000],
  ) {
    tasks.onChange((task, action) => this.onTaskChange(task, action));
  }

  async subscribe(input: { url: string; events: string[]; ods?: string }): Promise<StoredSubscription> {
    if ((await this.repository.count()) >= MAX_SUBSCRIPTIONS) {
      throw new SimError(
        'conflict',
        `There are already ${MAX_SUBSCRIPTIONS} subscriptions; DELETE /__sim/subscriptions/{id} one first.`,
      );
    }
    const subscription: StoredSubscription = {
      id: randomUUID(),
      url: input.url,
      events: [...new Set(input.events)],
      ...(input.ods !== undefined ? { ods: input.ods } : {}),
      createdAt: this.clock.nowDate().toISOString(),
      secret: randomBytes(24).toString('hex'),
    };
    await this.repository.add(subscription);
    return subscription;
  }

  list(): Promise<StoredSubscription[]> {
    return this.repository.list();
  }

  async remove(id: string): Promise<void> {
    if (!(await this.repository.remove(id))) throw new SimError('not-found', `No subscription ${id}.`);
  }

  deliveries(subscriptionId: string): DeliveryRecord[] {
    return this.log.filter((record) => record.subscriptionId === subscriptionId);
  }

  private async onTaskChange(task: Task, action: string): Promise<void> {
    const event = `task.${action}`;
    const subscriptions = (await this.repository.list()).filter(
      (subscription) =>
        subscription.events.includes(event) && (subscription.ods === undefined || subscription.ods === task.ods),
    );
    for (const subscription of subscriptions) {
      const body = JSON.stringify({
        id: randomUUID(),
        type: event,
        occurredAt: this.clock.nowDate().toISOString(),
        data: { task },
      });
      void this.deliver(subscription, event, body);
    }
  }

  private async deliver(subscription: StoredSubscription, event: string, body: string): Promise<void> {
    const deliveryId = randomUUID();
    const signature = `sha256=${createHmac('sha256', subscription.secret).update(body).digest('hex')}`;
    for (let attempt = 1; attempt <= this.retryDelaysMs.length + 1; attempt++) {
      let status: number | 'network-error';
      try {
        const response = await fetch(subscription.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-gpsim-event': event,
            'x-gpsim-delivery': deliveryId,
            'x-gpsim-attempt': String(attempt),
            'x-gpsim-signature': signature,
          },
          body,
          signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        });
        await response.arrayBuffer();
        status = response.status;
      } catch {
        status = 'network-error';
      }
      this.record({
        deliveryId,
        subscriptionId: subscription.id,
        event,
        attempt,
        status,
        at: new Date().toISOString(),
      });
      if (typeof status === 'number' && status >= 200 && status < 300) return;
      const wait = this.retryDelaysMs[attempt - 1];
      if (wait === undefined) break;
      await new Promise<void>((resolve) => setTimeout(resolve, wait).unref());
    }
    this.logger.warn({ subscription: subscription.id, url: subscription.url, event }, 'webhook delivery gave up');
  }

  private record(record: DeliveryRecord): void {
    this.log.push(record);
    if (this.log.length > DELIVERY_LOG) this.log.shift();
  }
}
