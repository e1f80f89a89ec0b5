import { randomUUID } from 'node:crypto';
import type { GpcContext } from './gpc-request';
import type { Resource } from './stu3';
import { profile } from './stu3';

/** GPConnect-Searchset-Bundle-1: a searchset whose entries carry fullUrls under the service root. */
export function searchsetBundle(context: GpcContext, resources: readonly Resource[]) {
  const root = `${context.engine.baseUrl}/${context.practice.ods}/STU3/1/gpconnect`;
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: {
      lastUpdated: context.engine.clock.nowDate().toISOString(),
      profile: [profile('GPConnect-Searchset-Bundle-1')],
    },
    type: 'searchset',
    total: resources.length,
    entry: resources.map((resource) => ({
      fullUrl: `${root}/${resource.resourceType}/${resource.id ?? ''}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}
