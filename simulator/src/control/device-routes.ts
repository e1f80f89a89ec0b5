import { control } from '@gpsim/contracts';
import { SimError } from '../domain/errors';
import { findStaff } from '../domain/identity/staff-directory';
import type { Engine } from '../engine';
import { jsonResponse, parseJsonBody } from '../transport/json';
import type { Route } from '../transport/types';

/**
 * Internet SystmOne device sign-in over the control API (the SystmOne partner API uses the same
 * domain rules), and the mailbox the passcodes land in.
 */
export function deviceRoutes(engine: Engine): Route[] {
  const user = (username: string) => {
    const found = findStaff(engine.population, username);
    if (!found) {
      throw new SimError('not-found', `No user ${username}: pick one from the users in GET /__sim/fixtures.`, {
        field: 'username',
      });
    }
    return found;
  };
  return [
    {
      method: 'POST',
      path: '/__sim/devices/login',
      handler: async (request) => {
        const body = parseJsonBody(request, control.DeviceLogin);
        const staff = user(body.username);
        request.annotations.ods = staff.ods;
        return jsonResponse(200, await engine.devices.login(staff, body.deviceId));
      },
    },
    {
      method: 'POST',
      path: '/__sim/devices/verify',
      handler: async (request) => {
        const body = parseJsonBody(request, control.DeviceVerify);
        const staff = user(body.username);
        request.annotations.ods = staff.ods;
        return jsonResponse(200, {
          status: 'trusted',
          ...(await engine.devices.verify(staff, body.deviceId, body.passcode)),
        });
      },
    },
    {
      method: 'GET',
      path: '/__sim/mailbox',
      handler: (request) => {
        const to = request.query.get('to');
        const limit = request.query.get('limit');
        if (limit !== null && (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000)) {
          throw new SimError('invalid-parameter', 'limit must be a whole number from 1 to 1000.', { field: 'limit' });
        }
        const messages: control.MailMessage[] = engine.mailbox.list({
          ...(to === null ? {} : { to }),
          ...(limit === null ? {} : { limit: Number(limit) }),
        });
        return jsonResponse(200, { messages });
      },
    },
  ];
}
