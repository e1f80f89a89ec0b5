import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { MeshTestClient } from '../support/mesh-client';
import { clientIntegrationRequest, find, postClientIntegration } from '../support/systmone';

const SEND_DOCUMENT = 'GPFED_CONSULT_REPORT';
const ACK_WORKFLOW = 'GPFED_CONSULT_REPORT_ACK';

// Starting chromium takes seconds on a loaded machine; each step below is bounded by its own waits.
jest.setTimeout(30_000);

/** The console in Debian's chromium (never a downloaded browser), against a real gpsim on a free port. */
describe('web console in a browser', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let browser: Browser;
  let page: Page;
  const archetype = (key: string, system: 'emis' | 'systmone') => {
    const ods = manifest.practices.find((practice) => practice.system === system)?.ods;
    return manifest.archetypes.find(
      (candidate) => candidate.key === key && candidate.ods === ods,
    ) as control.Manifest['archetypes'][number];
  };
  const spaced = (nhs: string) => `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures`)).json());
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  });
  afterAll(async () => {
    await browser?.close();
    await gpsim?.close();
  });

  it('serves the console at / with a strict Content-Security-Policy and lists the estate', async () => {
    const response = await page.goto(`${gpsim.url}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
    await page.getByRole('heading', { name: 'Practices' }).waitFor();
    for (const practice of manifest.practices) {
      await page.getByRole('cell', { name: practice.ods, exact: true }).waitFor();
    }
  });

  it('switches a practice capability off from the estate page (PATCH /__sim/practices/{ods})', async () => {
    const ods = manifest.practices[0]?.ods as string;
    await page.goto(`${gpsim.url}/#/estate`);
    const structured = page.locator(`#switch-${ods}-gpconnect-structured`);
    await structured.uncheck();
    await page.waitForFunction(
      async ([url, practice]) => {
        const response = await fetch(`${url}/__sim/practices/${practice}`);
        return (
          ((await response.json()) as { settings: { gpconnect: { structured: boolean } } }).settings.gpconnect
            .structured === false
        );
      },
      [gpsim.url, ods],
    );
    await structured.check();
  });

  it('finds a patient by NHS number typed 3-3-4 and by name, with archetype badges', async () => {
    const standard = archetype('standard', 'emis');
    await page.goto(`${gpsim.url}/#/patients`);
    await page.getByLabel('Find a patient').fill(spaced(standard.nhsNumber));
    await page.getByLabel('Find a patient').press('Enter');
    await page.locator(`#patient-results a[href="#/patient/${standard.nhsNumber}"]`).waitFor();
    expect(await page.locator('#patient-results tbody tr').count()).toBe(1);
    expect(await page.locator('#patient-results').textContent()).toContain(spaced(standard.nhsNumber));

    const family = standard.name.split(' ').pop() as string;
    await page.getByLabel('Find a patient').fill(family);
    await page.getByLabel('Find a patient').press('Enter');
    const row = page.locator('#patient-results tbody tr', {
      has: page.locator(`a[href="#/patient/${standard.nhsNumber}"]`),
    });
    expect(await row.locator('.badge.archetype').textContent()).toBe('standard');
  });

  it('shows the record banner with NHS number and the sensitive and deceased alerts', async () => {
    const sensitive = archetype('sensitive', 'emis');
    await page.goto(`${gpsim.url}/#/patient/${sensitive.nhsNumber}`);
    const banner = page.getByRole('region', { name: 'Patient banner' });
    await banner.getByText(spaced(sensitive.nhsNumber)).waitFor();
    await banner.getByText(/Sensitive record/).waitFor();
    await page.getByRole('region', { name: 'Problems' }).waitFor();

    const deceased = archetype('deceased', 'emis');
    await page.goto(`${gpsim.url}/#/patient/${deceased.nhsNumber}`);
    await page
      .getByRole('region', { name: 'Patient banner' })
      .getByText(/^Deceased /)
      .waitFor();
  });

  it('"Open in SystmOne" sets the desktop selection that GetCurrentSelection then returns', async () => {
    const standard = archetype('standard', 'systmone');
    await page.goto(`${gpsim.url}/#/patient/${standard.nhsNumber}`);
    await page.getByRole('button', { name: 'Open in SystmOne' }).click();
    await page
      .getByRole('status')
      .getByText(/now has .* selected/)
      .waitFor();
    const username = await page.getByLabel('As user').inputValue();
    const demo = manifest.partners.find(
      (partner) => partner.name === 'gpsim-demo',
    ) as control.Manifest['partners'][number];
    const { xml } = await postClientIntegration(
      gpsim.url,
      standard.ods,
      clientIntegrationRequest({ partner: demo, fn: 'GetCurrentSelection', parameters: '' }),
      username,
    );
    expect(find(xml, 'Response', 'Patient', 'Identity', 'NHSNumber')?.text).toBe(standard.nhsNumber);
  });

  it('"Launch app" runs a SMART EHR launch with PKCE and the sample app shows the patient it read', async () => {
    const standard = archetype('standard', 'emis');
    await page.goto(`${gpsim.url}/#/patient/${standard.nhsNumber}`);
    const [app] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('button', { name: 'Launch app' }).click(),
    ]);
    await app.getByText('Launched: read from the FHIR server').waitFor();
    const shown = (await app.locator('#patient-name').textContent()) as string;
    expect(standard.name).toContain(shown.split(' ').pop() as string);
    expect(await app.locator('#patient-nhs').textContent()).toBe(spaced(standard.nhsNumber));
    await app.close();
  });

  it('shows a MESH document in the practice inbox; completing it sends the 30001 ack and files it, highlighted, to the record', async () => {
    const standard = archetype('standard', 'emis');
    const mailbox = manifest.mailboxes.find(
      (candidate) => candidate.partner === 'gpsim-demo',
    ) as control.Manifest['mailboxes'][number];
    const mesh = new MeshTestClient(manifest.mesh.baseUrl, mailbox, manifest.mesh.sharedSecret, () =>
      gpsim.engine.clock.nowDate(),
    );
    const [year, month, day] = standard.birthDate.split('-');
    const surname = standard.name.split(' ').pop() as string;
    const headerId = randomUUID();
    const subject = `Consultation report ${headerId.slice(0, 8)}`;
    const sent = await mesh.send(
      `GPPROVIDER_${standard.nhsNumber}_${day}${month}${year}_${surname}`,
      SEND_DOCUMENT,
      itkBundle(headerId, standard.nhsNumber, mailbox.id),
      { 'mex-subject': subject, 'content-type': 'application/fhir+json' },
    );
    expect(sent.status).toBe(202);

    await page.goto(`${gpsim.url}/#/inbox/${standard.ods}`);
    const item = page.locator('li.task', { hasText: subject });
    const ackCount = async () =>
      Number(/acks sent: (\d+)/.exec((await item.locator('.acks').textContent()) ?? '')?.[1]);
    const before = await ackCount();
    expect(before).toBeGreaterThanOrEqual(0);
    await item.getByRole('button', { name: 'Complete' }).click();
    await page.locator('li.task.status-completed', { hasText: subject }).waitFor();
    // The business ack (30001) joins the count the item shows.
    expect(await ackCount()).toBe(before + 1);

    const acks: string[] = [];
    for (const id of await mesh.inbox()) {
      const download = await mesh.download(id);
      if (download.headers.get('mex-workflowid') === ACK_WORKFLOW) acks.push(download.bytes.toString('utf8'));
    }
    expect(acks.some((ack) => ack.includes(headerId) && ack.includes('30001'))).toBe(true);

    // Completing a Send Document files it to the record, where the console highlights it as written back.
    await page.goto(`${gpsim.url}/#/patient/${standard.nhsNumber}`);
    const filed = page.getByRole('region', { name: 'Documents' }).locator('li.written-back', { hasText: subject });
    await filed.getByText(`Written by ${mailbox.id} via mesh`).waitFor();
  });

  it('starting national-outage shows the outage banner and the journal streams the failing requests', async () => {
    await page.goto(`${gpsim.url}/#/scenarios`);
    await page.getByRole('button', { name: 'Start national-outage' }).click();
    await page.getByRole('alert').filter({ hasText: 'Outage active' }).waitFor();

    await page.goto(`${gpsim.url}/#/journal`);
    await page.locator('table.journal').waitFor();
    const emis = archetype('standard', 'emis');
    const failed = await fetch(`${gpsim.url}/emis/GetMedicalRecord`, { method: 'POST', body: '{}' });
    expect(failed.status).toBe(503);
    await page.locator('tr.journal-row.status-5xx', { hasText: '/emis/GetMedicalRecord' }).first().waitFor();
    expect(emis.ods).toBeTruthy();
    await fetch(`${gpsim.url}/__sim/scenarios/stop`, { method: 'POST', body: '{}' });
  });

  it('adds a rate-limit rule from the form, lists it with its parameters, and the surface answers 429 past the quota', async () => {
    await page.goto(`${gpsim.url}/#/scenarios`);
    await page.getByLabel('Surface').selectOption('fhir-r4');
    await page.getByLabel('Fault', { exact: true }).selectOption('rate-limit');
    await page.getByLabel('Requests per window').fill('2');
    await page.getByLabel('Window (s)').fill('86400');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('cell', { name: 'rate-limit limit=2 windowS=86400' }).waitFor();
    const statuses: number[] = [];
    for (let request = 0; request < 3; request++) statuses.push((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status);
    expect(statuses).toEqual([200, 200, 429]);
    await fetch(`${gpsim.url}/__sim/faults`, { method: 'DELETE' });
  });

  it('charts the run on the report page and lists who read which record on the audit page', async () => {
    await page.goto(`${gpsim.url}/#/report`);
    await page.getByRole('img', { name: 'Latency percentiles over time' }).waitFor();
    await page.getByRole('img', { name: 'Requests and failures over time' }).locator('rect.failures').first().waitFor();
    await page.goto(`${gpsim.url}/#/audit`);
    const standard = archetype('standard', 'emis');
    await page
      .getByRole('link', { name: spaced(standard.nhsNumber) })
      .first()
      .waitFor();
  });

  it('opens a journal row with headers and bodies, the Authorization header masked', async () => {
    await page.goto(`${gpsim.url}/#/journal`);
    await page.locator('table.journal').waitFor();
    await fetch(`${gpsim.url}/fhir/R4/Patient?family=Smith`, {
      headers: { Authorization: 'Bearer very-secret-token' },
    });
    const row = page.locator('tr.journal-row', { hasText: '/fhir/R4/Patient' }).first();
    await row.click();
    const detail = page.locator('#journal-detail');
    await detail.getByText('authorization: Bearer ••••••').waitFor();
    expect(await detail.textContent()).not.toContain('very-secret-token');
  });

  it('at 1024x768 no page scrolls sideways, every form control has an accessible name, and the keyboard reaches the navigation', async () => {
    const standard = archetype('standard', 'emis');
    const hashes = [
      '#/estate',
      '#/patients',
      `#/patient/${standard.nhsNumber}`,
      `#/inbox/${standard.ods}`,
      '#/scenarios',
      '#/journal',
      '#/audit',
      '#/mailbox',
      '#/report',
    ];
    for (const hash of hashes) {
      await page.goto(`${gpsim.url}/${hash}`);
      await page.locator('h1').first().waitFor();
      // Evaluated in the page as text: the test project compiles without the DOM library.
      const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect([hash, overflow]).toEqual([hash, 0]);
      // WCAG 2.2 SC 4.1.2 Name, Role, Value: every control has a name assistive technology can read.
      const unnamed = await page.evaluate(`[...document.querySelectorAll('input, select, textarea, button')]
        .filter((control) => !(control.labels?.length || control.getAttribute('aria-label') ||
          control.getAttribute('aria-labelledby') || (control.tagName === 'BUTTON' && control.textContent.trim())))
        .map((control) => control.outerHTML.slice(0, 120))`);
      expect([hash, unnamed]).toEqual([hash, []]);
      // Each page moves focus to its content; going back with the keyboard lands in the navigation.
      let inNav = false;
      for (let press = 0; press < 3 && !inNav; press += 1) {
        await page.keyboard.press('Shift+Tab');
        inNav = (await page.evaluate(
          `Boolean(document.activeElement?.closest('nav[aria-label="Console"]'))`,
        )) as boolean;
      }
      expect([hash, inNav]).toEqual([hash, true]);
    }
  });

  it('saves a 1280x800 screenshot of each page (GPSIM_SCREENSHOTS_DIR for the README set)', async () => {
    const standard = archetype('standard', 'emis');
    const pages: [name: string, hash: string][] = [
      ['estate', '#/estate'],
      ['patients', '#/patients'],
      ['record', `#/patient/${standard.nhsNumber}`],
      ['inbox', `#/inbox/${standard.ods}`],
      ['scenarios', '#/scenarios'],
      ['journal', '#/journal'],
      ['audit', '#/audit'],
      ['mailbox', '#/mailbox'],
      ['report', '#/report'],
    ];
    const dir = process.env.GPSIM_SCREENSHOTS_DIR ?? join(__dirname, 'artifacts');
    mkdirSync(dir, { recursive: true });
    const shooter = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      for (const [name, hash] of pages) {
        // The scenarios page is shown during an outage, banner and active rules included.
        const outage = name === 'scenarios';
        if (outage) await fetch(`${gpsim.url}/__sim/scenarios/national-outage/start`, { method: 'POST', body: '{}' });
        await shooter.goto(`${gpsim.url}/${hash}`);
        await shooter.locator('h1').first().waitFor();
        if (outage) await shooter.getByRole('alert').filter({ hasText: 'Outage active' }).waitFor();
        await shooter.screenshot({ path: join(dir, `${name}.png`) });
        if (outage) await fetch(`${gpsim.url}/__sim/scenarios/stop`, { method: 'POST', body: '{}' });
      }
    } finally {
      await shooter.close();
    }
  });
});

/** A minimal ITK3 Send Document bundle (GP Connect Messaging): MessageHeader asking for both acks, and the patient. */
function itkBundle(headerId: string, nhsNumber: string, sender: string): string {
  return JSON.stringify({
    resourceType: 'Bundle',
    type: 'message',
    entry: [
      {
        resource: {
          resourceType: 'MessageHeader',
          id: headerId,
          extension: [
            {
              url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-ITK-MessageHandling-2',
              extension: [
                { url: 'BusAckRequested', valueBoolean: true },
                { url: 'InfAckRequested', valueBoolean: true },
                { url: 'RecipientType', valueCoding: { code: 'FA' } },
              ],
            },
          ],
          event: { system: 'https://fhir.nhs.uk/STU3/CodeSystem/ITK-MessageEvent-2', code: 'ITK007C' },
          source: { endpoint: sender },
        },
      },
      {
        resource: {
          resourceType: 'Patient',
          identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber }],
        },
      },
    ],
  });
}
