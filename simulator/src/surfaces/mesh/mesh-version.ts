import type { SimRequest } from '../../transport/types';

export const V2_MEDIA_TYPE = 'application/vnd.mesh.v2+json';

/** The API version asked for by Accept: v2 for application/vnd.mesh.v2+json, v1 otherwise (MESH API spec). */
export function apiVersion(request: SimRequest): 1 | 2 {
  return /application\/vnd\.mesh\.v2\+json/i.test(request.headers.accept ?? '') ? 2 : 1;
}
