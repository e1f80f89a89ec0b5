import { api } from './api.js';
import { auditPage } from './audit.js';
import { h, show } from './dom.js';
import { estatePage } from './estate.js';
import { inboxPage } from './inbox.js';
import { journalPage } from './journal.js';
import { mailboxPage } from './mailbox.js';
import { patientsPage, recordPage } from './patients.js';
import { reportPage } from './report.js';
import { outageRules, scenariosPage } from './scenarios.js';
import type { FaultRule } from './types.js';

const OUTAGE_POLL_MS = 2000;
const main = document.getElementById('main') as HTMLElement;
const banner = document.getElementById('outage-banner') as HTMLElement;
let leavePage: (() => void) | undefined;

/** Hash routes, so the console is one static page and every view has a link. */
async function route(): Promise<void> {
  leavePage?.();
  leavePage = undefined;
  const [path = '', queryText = ''] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const query = new URLSearchParams(queryText);
  for (const link of document.querySelectorAll('nav a')) {
    const current =
      (link.getAttribute('href') ?? '').replace(/^#\//, '') ===
      (parts[0] === 'patient' ? 'patients' : (parts[0] ?? 'estate'));
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  try {
    switch (parts[0]) {
      case 'patients':
        return await patientsPage(main, query.get('q') ?? '');
      case 'patient':
        return await recordPage(main, parts[1] ?? '');
      case 'inbox':
        return await inboxPage(main, parts[1]);
      case 'scenarios':
        return await scenariosPage(main);
      case 'journal':
        leavePage = journalPage(main);
        return;
      case 'audit':
        return await auditPage(main, query.get('nhs') ?? '');
      case 'mailbox':
        return await mailboxPage(main);
      case 'report':
        return await reportPage(main);
      default:
        return await estatePage(main);
    }
  } catch (error) {
    show(main, h('h1', {}, 'Something went wrong'), h('p', { role: 'alert' }, (error as Error).message));
  } finally {
    main.focus({ preventScroll: true });
  }
}

async function watchOutage(): Promise<void> {
  try {
    const { rules } = await api<{ rules: FaultRule[] }>('/__sim/faults');
    const failing = outageRules(rules);
    banner.hidden = failing.length === 0;
    if (failing.length > 0) {
      const names = [...new Set(failing.map((rule) => rule.scenario ?? rule.label ?? `${rule.fault.kind} rule`))];
      show(
        banner,
        h('strong', {}, 'Outage active: '),
        names.join(', '),
        ` (${failing.length} failing rule${failing.length === 1 ? '' : 's'}). `,
        h('a', { href: '#/scenarios' }, 'Scenarios and faults'),
      );
    }
  } catch {
    // The next poll tries again; a failing console call must not hide the page.
  }
  setTimeout(() => void watchOutage(), OUTAGE_POLL_MS);
}

window.addEventListener('hashchange', () => void route());
void route();
void watchOutage();
