import type { FhirResource } from './fhir-types';
import type { Paging } from './search-params';

export interface SearchsetInput {
  /** The service root, e.g. http://127.0.0.1:4100/fhir/R4. */
  base: string;
  resourceType: string;
  /** The search parameters this server used, in the order received; paging is added here. */
  params: readonly (readonly [string, string])[];
  paging: Paging;
  /** How many resources match in all, across every page. */
  total: number;
  /** The resources of this page. */
  resources: readonly FhirResource[];
}

/**
 * A searchset Bundle page. Paging is by offset: `next` repeats the search with `_offset` moved on
 * by `_count`, so it works without server-side state (a reset or a written entry may shift later
 * pages, as on any live system). `_count=0` asks for the total alone and has no next page.
 */
export function searchsetBundle(input: SearchsetInput): Record<string, unknown> {
  const { base, resourceType, params, paging, total, resources } = input;
  const link = (offset: number) => {
    const query = new URLSearchParams();
    for (const [name, value] of params) query.append(name, value);
    query.set('_count', String(paging.count));
    if (offset > 0) query.set('_offset', String(offset));
    return `${base}/${resourceType}?${query.toString()}`;
  };
  const links = [{ relation: 'self', url: link(paging.offset) }];
  if (paging.count > 0 && paging.offset + paging.count < total) {
    links.push({ relation: 'next', url: link(paging.offset + paging.count) });
  }
  if (paging.count > 0 && paging.offset > 0) {
    links.push({ relation: 'previous', url: link(Math.max(0, paging.offset - paging.count)) });
  }
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: links,
    ...(resources.length > 0
      ? {
          entry: resources.map((resource) => ({
            fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
            resource,
            search: { mode: 'match' },
          })),
        }
      : {}),
  };
}

/** The slice of matches a page shows. */
export function pageOf<T>(matches: readonly T[], paging: Paging): T[] {
  return matches.slice(paging.offset, paging.offset + paging.count);
}
