import { emis } from '@gpsim/contracts';
import { isSimError } from '../../domain/errors';
import type { EmisFunction } from '../../domain/partners';
import { emisFunctions } from '../../domain/partners';
import type { Engine } from '../../engine';
import type { Surface } from '../../transport/types';
import { defaultXmlLimits } from '../shared/xml';
import { emisResponse, readBody } from './emis-codec';
import { emisError, renderEmisError } from './emis-errors';
import { callMethod } from './methods';
import { logon } from './sessions';

export const EMIS_ROOT = '/emis/partner-api';

/**
 * An EMIS partner API over HTTP (approximate: EMIS Open–style payloads after the legacy Partner
 * API's method set, reference/domain.md §2.3): InitializeWithID logon for a session, then one POST
 * per method carrying the SessionId, in XML or the same fields as JSON.
 */
export function createEmisSurface(engine: Engine): Surface {
  return {
    name: 'emis',
    prefixes: ['/emis'],
    routes: [
      {
        method: 'POST',
        path: `${EMIS_ROOT}/InitializeWithID`,
        handler: async (request) => {
          request.annotations.interaction = 'InitializeWithID';
          const body = readBody(request, 'InitializeWithID', emis.InitializeWithId);
          const created = await logon(engine, body);
          request.annotations.clientId = created.partner.name;
          request.annotations.ods = created.practice.ods;
          return emisResponse(request, 200, 'InitializeWithID', {
            Outcome: 'Success',
            Result: {
              SessionId: created.id,
              ExpiresAt: new Date(created.expiresAt).toISOString(),
              OrganisationId: created.practice.ods,
              UserName: created.user.username,
            },
          });
        },
      },
      {
        method: 'POST',
        path: `${EMIS_ROOT}/:method`,
        handler: async (request) => {
          const name = request.params['method'] ?? '';
          if (!(emisFunctions as readonly string[]).includes(name)) {
            throw emisError(
              'not-implemented',
              'UnknownMethod',
              `Unknown method ${name}; gpsim supports InitializeWithID, ${emisFunctions.join(', ')}.`,
            );
          }
          request.annotations.interaction = name;
          try {
            const result = await callMethod(engine, name as EmisFunction, request);
            return emisResponse(request, 200, name, { Outcome: 'Success', Result: result });
          } catch (error) {
            // A refusal of a known partner is audited too (the call never reached a patient-level audit).
            if (isSimError(error) && request.annotations.clientId !== undefined) {
              await engine.audit({
                surface: 'emis',
                action: `call:${name}`,
                clientId: request.annotations.clientId,
                ...(request.annotations.ods !== undefined ? { organisation: request.annotations.ods } : {}),
                reason: error.message,
                traceId: request.traceId,
                outcome: 'refused',
              });
            }
            throw error;
          }
        },
      },
    ],
    renderError: renderEmisError,
    maxBodyBytes: defaultXmlLimits.maxBytes,
  };
}
