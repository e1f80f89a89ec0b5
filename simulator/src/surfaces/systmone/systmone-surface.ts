import type { Engine } from '../../engine';
import type { Surface } from '../../transport/types';
import { handleClientIntegration } from './client-integration';
import { renderSystmOneError, xmlResponse } from './systmone-errors';
import { defaultXmlLimits } from '../shared/xml';

export const SYSTMONE_ROOT = '/systmone';

/**
 * SystmOne Client Integration over HTTP, for clients that cannot open the TCP port: the same XML
 * documents as the TCP listener (approximate: TPP's real API is TCP-only and local to the client).
 */
export function createSystmOneSurface(engine: Engine): Surface {
  return {
    name: 'systmone',
    prefixes: [SYSTMONE_ROOT],
    routes: [
      {
        method: 'POST',
        path: `${SYSTMONE_ROOT}/:ods/client-integration`,
        handler: async (request) => {
          const result = await handleClientIntegration(
            engine,
            request.params.ods ?? '',
            request.query.get('user') ?? undefined,
            request.body,
            request.annotations,
          );
          return xmlResponse(result.status, result.body);
        },
      },
    ],
    renderError: renderSystmOneError,
    maxBodyBytes: defaultXmlLimits.maxBytes,
  };
}
