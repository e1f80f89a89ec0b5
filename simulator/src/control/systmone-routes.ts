import { control } from '@gpsim/contracts';
import { SimError } from '../domain/errors';
import type { Practice } from '../domain/estate';
import type { Engine } from '../engine';
import { desktopUser, selectPatient, setTcpDesktop, tcpDesktop } from '../surfaces/systmone/desktops';
import { jsonResponse, parseJsonBody } from '../transport/json';
import type { Route } from '../transport/types';

function systmOnePractice(engine: Engine, ods: string): Practice {
  const practice = engine.population.practice(ods);
  if (!practice)
    throw new SimError('practice-not-found', `No practice ${ods}; GET /__sim/practices lists them.`, { field: 'ods' });
  if (practice.system !== 'systmone') {
    throw new SimError(
      'invalid-parameter',
      `Practice ${ods} runs EMIS Web; SystmOne desktops exist only at SystmOne practices.`,
      { field: 'ods' },
    );
  }
  return practice;
}

/** Steering the simulated SystmOne desktops: the selected patient, and which desktop the TCP port reaches. */
export function systmOneRoutes(engine: Engine): Route[] {
  return [
    {
      method: 'POST',
      path: '/__sim/systmone/selection',
      handler: async (request) => {
        const body = parseJsonBody(request, control.SystmOneSelection);
        const practice = systmOnePractice(engine, body.ods);
        const user = desktopUser(practice, body.username);
        const patient = engine.population.byNhsNumber(body.nhsNumber)?.patient;
        if (!patient || patient.practiceIndex !== practice.index) {
          throw new SimError('patient-not-found', `No patient ${body.nhsNumber} is registered at ${practice.ods}.`, {
            field: 'nhsNumber',
          });
        }
        await selectPatient(engine, practice, user, patient.nhsNumber);
        request.annotations.ods = practice.ods;
        request.annotations.interaction = 'systmone-select-patient';
        return jsonResponse(200, { ods: practice.ods, username: user.username, nhsNumber: patient.nhsNumber });
      },
    },
    {
      method: 'GET',
      path: '/__sim/systmone/tcp-desktop',
      handler: async () => jsonResponse(200, (await tcpDesktop(engine)) ?? {}),
    },
    {
      method: 'POST',
      path: '/__sim/systmone/tcp-desktop',
      handler: async (request) => {
        const body = parseJsonBody(request, control.SystmOneTcpDesktop);
        const practice = systmOnePractice(engine, body.ods);
        const user = desktopUser(practice, body.username);
        await setTcpDesktop(engine, { ods: practice.ods, username: user.username });
        return jsonResponse(200, { ods: practice.ods, username: user.username });
      },
    },
  ];
}
