import { createHmac } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import { partnerCredentials } from '../partners';

export type OAuthClient = control.OAuthClient;

/** A secret that is the same for a seed on every machine, so docs and CI can rely on it. */
function derivedSecret(seed: string, clientId: string): string {
  return createHmac('sha256', `gpsim-client-secret:${seed}`).update(clientId).digest('base64url');
}

/**
 * The apps registered out of the box: the demo partner (a public SMART app), a confidential app,
 * an EMIS-X–style desktop app with a custom-scheme redirect, and a backend service for
 * client_credentials. Secrets derive from the seed. Each IM1 partner product is registered as a
 * backend client with its partner credentials, so it can call the EMIS API with a bearer token.
 */
export function defaultClients(seed: string): OAuthClient[] {
  return [
    {
      clientId: 'gpsim-demo',
      type: 'public',
      launchUrl: 'http://localhost:3000/launch',
      redirectUris: ['http://localhost:3000/callback', 'http://127.0.0.1:3000/callback'],
    },
    {
      clientId: 'gpsim-confidential-app',
      type: 'confidential',
      clientSecret: derivedSecret(seed, 'gpsim-confidential-app'),
      launchUrl: 'http://localhost:3001/launch',
      redirectUris: ['http://localhost:3001/callback'],
    },
    {
      clientId: 'gpsim-emisx-desktop',
      type: 'public',
      launchUrl: 'gpsim-desktop://launch',
      redirectUris: ['gpsim-desktop://callback'],
    },
    {
      clientId: 'gpsim-backend',
      type: 'backend',
      clientSecret: derivedSecret(seed, 'gpsim-backend'),
      redirectUris: [],
    },
    ...partnerCredentials(seed).map((partner): OAuthClient => ({
      clientId: partner.clientId,
      type: 'backend',
      clientSecret: partner.clientSecret,
      redirectUris: [],
    })),
  ];
}
