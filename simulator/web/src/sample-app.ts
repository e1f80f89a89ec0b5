/**
 * The sample partner app: a browser SMART app (SMART App Launch 2.x, EHR launch) with a public
 * client and PKCE S256. It discovers gpsim's authorisation server from the launch's iss, gets a
 * code, swaps it for a token and reads the patient in context with it.
 */
const CLIENT_ID = 'gpsim-sample-app';
const out = document.getElementById('result') as HTMLElement;
const redirectUri = `${location.origin}${location.pathname}`;

function say(text: string, kind: 'info' | 'error' = 'info'): void {
  out.textContent = text;
  out.className = kind;
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

async function begin(iss: string, launch: string): Promise<void> {
  const discovery = (await (await fetch(`${iss}/.well-known/smart-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(state, JSON.stringify({ verifier, iss, tokenEndpoint: discovery.token_endpoint }));
  const authorize = new URL(discovery.authorization_endpoint);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: redirectUri,
    launch,
    scope: 'launch openid fhirUser patient/*.read',
    state,
    aud: iss,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })) {
    authorize.searchParams.set(name, value);
  }
  location.assign(authorize.toString());
}

async function complete(code: string, state: string): Promise<void> {
  const saved = sessionStorage.getItem(state);
  if (!saved) return say('This sign-in was not started here (unknown state); launch the app again.', 'error');
  sessionStorage.removeItem(state);
  const { verifier, iss, tokenEndpoint } = JSON.parse(saved) as {
    verifier: string;
    iss: string;
    tokenEndpoint: string;
  };
  const tokenResponse = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: CLIENT_ID,
      code_verifier: verifier,
    }),
  });
  const token = (await tokenResponse.json()) as { access_token?: string; patient?: string; error_description?: string };
  if (!token.access_token || !token.patient)
    return say(`Token request failed: ${token.error_description ?? tokenResponse.status}`, 'error');
  history.replaceState(null, '', redirectUri);
  const read = await fetch(`${iss}/Patient/${encodeURIComponent(token.patient)}`, {
    headers: { Authorization: `Bearer ${token.access_token}`, Accept: 'application/fhir+json' },
  });
  if (!read.ok) return say(`Reading the patient failed with ${read.status}.`, 'error');
  const patient = (await read.json()) as {
    name?: { given?: string[]; family?: string }[];
    identifier?: { system: string; value: string }[];
  };
  const name = patient.name?.[0];
  const nhsNumber =
    patient.identifier?.find((identifier) => identifier.system === 'https://fhir.nhs.uk/Id/nhs-number')?.value ?? '';
  (document.getElementById('patient-name') as HTMLElement).textContent = [...(name?.given ?? []), name?.family]
    .filter(Boolean)
    .join(' ');
  (document.getElementById('patient-nhs') as HTMLElement).textContent = nhsNumber.replace(
    /^(\d{3})(\d{3})(\d{4})$/,
    '$1 $2 $3',
  );
  say('Launched: read from the FHIR server with the access token.');
}

const params = new URLSearchParams(location.search);
const code = params.get('code');
const state = params.get('state');
const iss = params.get('iss');
const launch = params.get('launch');
const failure = params.get('error');
const run = failure
  ? Promise.resolve(
      say(`The authorisation server refused: ${failure} ${params.get('error_description') ?? ''}`, 'error'),
    )
  : code && state
    ? complete(code, state)
    : iss && launch
      ? begin(iss, launch)
      : Promise.resolve(say('Launch this app from a patient banner in the gpsim console.'));
run.catch((error: unknown) => say(`The launch failed: ${(error as Error).message}`, 'error'));
