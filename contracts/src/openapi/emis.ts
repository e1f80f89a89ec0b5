import { z } from 'zod';
import * as emis from '../emis';
import type { SurfaceContract } from './operation';
import { json } from './response';

const emisOutcome = z.looseObject({ Outcome: z.enum(['Success', 'Failure', 'Error']) });
export const emisContract: SurfaceContract = {
  surface: 'emis',
  title: 'gpsim EMIS partner API (EMIS Open–style)',
  description: 'EMIS partner API methods over HTTP; JSON or XML with the same PascalCase fields.',
  operations: [
    {
      method: 'post',
      path: '/emis/partner-api/InitializeWithID',
      operationId: 'initializeWithId',
      summary: 'Log on (InitializeWithID)',
      tags: ['emis'],
      body: { contentType: 'application/json', schema: emis.InitializeWithId },
      responses: { 200: json(emis.success(emis.SessionResult)), default: json(emis.EmisError, 'Error') },
    },
    {
      method: 'post',
      path: '/emis/partner-api/{method}',
      operationId: 'callMethod',
      summary: 'Call a partner API method (GetMatchedPatient, GetMedicalRecord, FileRecord, ...)',
      tags: ['emis'],
      responses: { 200: json(emisOutcome), default: json(emis.EmisError, 'Error') },
    },
  ],
};
