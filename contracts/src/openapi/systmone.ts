import { ClientIntegrationRequest } from '../systmone/client-integration';
import type { SurfaceContract } from './operation';

export const systmoneContract: SurfaceContract = {
  surface: 'systmone',
  title: 'gpsim SystmOne Client Integration over HTTP',
  description: 'The SystmOne Client Integration XML functions over HTTP (the same as the TCP port).',
  operations: [
    {
      method: 'post',
      path: '/systmone/{ods}/client-integration',
      operationId: 'clientIntegration',
      summary: 'Call a Client Integration function',
      tags: ['systmone'],
      body: { contentType: 'application/xml', schema: ClientIntegrationRequest },
      responses: {
        200: { description: 'The function response (XML)', contentType: 'application/xml' },
        default: { description: 'A ClientIntegrationError (XML)', contentType: 'application/xml' },
      },
    },
  ],
};
