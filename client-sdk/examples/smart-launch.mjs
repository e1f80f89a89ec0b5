// @ts-check
// An EHR launch as an app sees it: iss and launch in, discovery, PKCE, authorize, token, refresh.
// Usage: node smart-launch.mjs [gpsim base URL, default http://127.0.0.1:4100]
import {
  GpsimControl,
  authorizeUrl,
  createPkce,
  discover,
  emisXContext,
  exchangeCode,
  parseLaunch,
  parseRedirect,
  refreshToken,
} from '@gpsim/client';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:4100';
const sim = new GpsimControl({ baseUrl });
const manifest = await sim.fixtures();
const emisPractice = manifest.practices.find((practice) => practice.system === 'emis');
const patient = manifest.archetypes.find(
  (archetype) => archetype.key === 'standard' && archetype.ods === emisPractice?.ods,
);
const user = manifest.users.find((candidate) => candidate.ods === emisPractice?.ods && candidate.role === 'gp');
const app = manifest.clients.find((candidate) => candidate.clientId === 'gpsim-demo');
if (!patient || !user || !app) throw new Error('The estate lacks an EMIS patient, GP or the demo app');

// The EHR opens the app with iss and launch (gpsim's console would do this in a browser).
const { url: launchUrl } = await sim.launch({
  ods: patient.ods,
  nhsNumber: patient.nhsNumber,
  username: user.username,
  app: { clientId: app.clientId },
  autoApprove: true,
});
const { iss, launch } = parseLaunch(launchUrl);
const configuration = await discover(iss);
const pkce = await createPkce();
const redirectUri = app.redirectUris[0] ?? '';
const state = crypto.randomUUID();
const authorize = authorizeUrl({
  configuration,
  clientId: app.clientId,
  redirectUri,
  scope: 'launch openid fhirUser patient/*.rs offline_access',
  state,
  aud: iss,
  launch,
  pkce,
});
// A browser would follow this; auto-approval answers straight away with the redirect.
const reply = await fetch(authorize, { redirect: 'manual' });
const { code } = parseRedirect(reply.headers.get('location') ?? '', state);
const token = await exchangeCode({
  configuration,
  clientId: app.clientId,
  code,
  redirectUri,
  codeVerifier: pkce.verifier,
});
const refreshed = await refreshToken({
  configuration,
  clientId: app.clientId,
  refreshToken: token.refresh_token ?? '',
});
console.log(
  JSON.stringify({
    patient: token.patient,
    nhsNumber: emisXContext(token)?.patient?.nhsNumber,
    refreshed: refreshed.access_token !== token.access_token,
  }),
);
