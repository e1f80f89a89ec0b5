import { createHash, randomBytes } from 'node:crypto';
import { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { smallEstate, startTestGpsim } from '../support/gpsim';

const SAMPLE_APP = 'gpsim-sample-app';

// Starting chromium takes seconds on a loaded machine; each step below is bounded by its own waits.
jest.setTimeout(30_000);

/**
 * Internet SystmOne two-factor device authentication in a browser (seeds/internet-systmone-guide.txt,
 * "Two-Factor Authentication"): a sign-in from an unknown device is held until the one-time passcode
 * e-mailed to the user is entered; the device is then trusted. Debian's chromium, a real gpsim on a free port.
 */
describe('device sign-in with an e-mailed passcode, then a launch from the console', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let user: control.Manifest['users'][number];
  let appUrl: string;
  const spaced = (nhs: string) => `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;

  /** A standalone SMART sign-in (PKCE S256) of the sample app, as a partner app would start it. */
  const authorizeUrl = () => {
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: SAMPLE_APP,
      redirect_uri: appUrl,
      scope: 'openid fhirUser user/*.read',
      state: randomBytes(8).toString('hex'),
      aud: `${gpsim.url}/fhir/R4`,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    return `${gpsim.url}/oauth/authorize?${query.toString()}`;
  };

  const signIn = async () => {
    await page.goto(authorizeUrl());
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill('any password');
    await page.getByRole('button', { name: 'Allow' }).click();
  };

  /** The newest passcode in the console's Mailbox page, read in a second tab as the user would. */
  const passcodeFromMailbox = async (): Promise<string> => {
    const mail = await context.newPage();
    await mail.goto(`${gpsim.url}/#/mailbox`);
    const newest = mail.locator('ul.mail li', { hasText: `To ${user.email}` }).first();
    const body = (await newest.locator('pre').textContent()) as string;
    await mail.close();
    return /passcode is (\d{6})/.exec(body)?.[1] as string;
  };

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures`)).json());
    const systmOne = manifest.practices.find((practice) => practice.system === 'systmone')?.ods;
    user = manifest.users.find(
      (candidate) => candidate.ods === systmOne && candidate.email && !candidate.otherRoles?.length,
    ) as control.Manifest['users'][number];
    appUrl = `${gpsim.url}/__sim/sample-app/`;
    const registered = await fetch(`${gpsim.url}/__sim/clients`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ clientId: SAMPLE_APP, type: 'public', launchUrl: appUrl, redirectUris: [appUrl] }),
    });
    expect(registered.ok).toBe(true);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    page = await context.newPage();
    // The practice's device step is switched on from the console's estate page.
    await page.goto(`${gpsim.url}/#/estate`);
    await page.locator(`#switch-${user.ods}-deviceTrust`).check();
    await page.waitForFunction(
      async ([url, ods]) =>
        ((await (await fetch(`${url}/__sim/practices/${ods}`)).json()) as { settings: { deviceTrust: boolean } })
          .settings.deviceTrust,
      [gpsim.url, user.ods],
    );
  });
  afterAll(async () => {
    await browser?.close();
    await gpsim?.close();
  });

  it('holds a SystmOne sign-in from an unknown browser until the passcode from the mailbox is entered', async () => {
    expect(user.email).toBeTruthy();
    await signIn();
    await page.getByText(/on a device this practice does not yet trust/).waitFor();
    const cookie = (await context.cookies(`${gpsim.url}/oauth/authorize`)).find(
      (candidate) => candidate.name === 'gpsim_device',
    );
    expect(cookie?.httpOnly).toBe(true);

    await page.getByLabel('Passcode').fill('not-the-code');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page
      .getByRole('alert')
      .getByText(/Wrong passcode: 4 tries left/)
      .waitFor();

    const passcode = await passcodeFromMailbox();
    expect(passcode).toMatch(/^\d{6}$/);
    await page.getByLabel('Passcode').fill(passcode);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.href.startsWith(appUrl) && url.searchParams.has('code'));
  });

  it('lets the now trusted browser sign in again without a passcode', async () => {
    await signIn();
    await page.waitForURL((url) => url.href.startsWith(appUrl) && url.searchParams.has('code'));
    const audit = (await (await fetch(`${gpsim.url}/__sim/audit?limit=200`)).json()) as {
      events: { action: string; user?: string }[];
    };
    const deviceActions = audit.events
      .filter((event) => event.user === user.username && event.action.startsWith('device-'))
      .map((event) => event.action);
    expect(deviceActions).toEqual(
      expect.arrayContaining(['device-passcode-sent', 'device-passcode-wrong', 'device-passcode-accepted']),
    );
  });

  it('launches the sample app from the console patient banner as that user, and the app shows the patient', async () => {
    const standard = manifest.archetypes.find(
      (candidate) => candidate.key === 'standard' && candidate.ods === user.ods,
    ) as control.Manifest['archetypes'][number];
    await page.goto(`${gpsim.url}/#/patient/${standard.nhsNumber}`);
    await page.getByLabel('As user').selectOption(user.username);
    const [app] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Launch app' }).click(),
    ]);
    await app.getByText('Launched: read from the FHIR server').waitFor();
    const shown = (await app.locator('#patient-name').textContent()) as string;
    expect(standard.name).toContain(shown.split(' ').pop() as string);
    expect(await app.locator('#patient-nhs').textContent()).toBe(spaced(standard.nhsNumber));
    await app.close();
  });
});
