import { control } from '@gpsim/contracts';
import type { StoredSubscription } from '../domain/webhooks';
import type { Engine } from '../engine';
import { jsonResponse, parseJsonBody } from '../transport/json';
import type { Route } from '../transport/types';

/** POST/GET /__sim/subscriptions, DELETE /__sim/subscriptions/{id}, GET …/{id}/deliveries: task webhooks. */
export function subscriptionRoutes(engine: Engine): Route[] {
  return [
    {
      method: 'POST',
      path: '/__sim/subscriptions',
      handler: async (request) => {
        const body = parseJsonBody(request, control.SubscriptionRequest);
        const created = await engine.webhooks.subscribe(body);
        return jsonResponse(201, {
          ...publicView(created),
          secret: created.secret,
        } satisfies control.CreatedSubscription);
      },
    },
    {
      method: 'GET',
      path: '/__sim/subscriptions',
      handler: async () => jsonResponse(200, { subscriptions: (await engine.webhooks.list()).map(publicView) }),
    },
    {
      method: 'DELETE',
      path: '/__sim/subscriptions/:id',
      handler: async (request) => {
        await engine.webhooks.remove(request.params.id ?? '');
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      path: '/__sim/subscriptions/:id/deliveries',
      handler: (request) => jsonResponse(200, { deliveries: engine.webhooks.deliveries(request.params.id ?? '') }),
    },
  ];
}

function publicView(subscription: StoredSubscription): control.Subscription {
  return {
    id: subscription.id,
    url: subscription.url,
    events: subscription.events as control.Subscription['events'],
    ...(subscription.ods !== undefined ? { ods: subscription.ods } : {}),
    createdAt: subscription.createdAt,
  };
}
