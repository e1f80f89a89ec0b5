import { randomUUID } from 'node:crypto';
import type { control } from '@gpsim/contracts';

/** What a case can name of its target: the manifest's practices, patients, mailboxes and partners. */
export interface VerifyContext {
  baseUrl: string;
  manifest: control.Manifest;
  practice: control.Manifest['practices'][number];
  /** Extra headers for every request of a surface, from the --config file (e.g. a supplier's credentials). */
  headers: Partial<Record<string, Record<string, string>>>;
}

type Practice = control.Manifest['practices'][number];

/**
 * Placeholders a case may use. Of the practice verified (--ods, else the first): {{ods}}, {{asid}},
 * {{gpconnectRoot}}, {{structuredRoot}}, {{documentsRoot}}, {{mailbox}}, {{nhs.<archetype>}},
 * {{partner.<field>}}. {{date+N}}: the date N days from today (YYYY-MM-DD). The same on the first practice of a GP system: {{systmone.ods}},
 * {{emis.partner.clientId}}, ... {{partnerMailbox}}: a partner's MESH mailbox. {{uuid}}: fresh each time.
 * {{backendClient.clientId}}, {{backendClient.clientSecret}}: a SMART backend-services client with a secret.
 */
export function placeholders(context: VerifyContext): (name: string) => string | undefined {
  const { manifest } = context;
  const practiceOf = (system: string): Practice | undefined =>
    context.practice.system === system ? context.practice : manifest.practices.find((p) => p.system === system);
  const ofPractice = (practice: Practice, name: string): string | undefined => {
    if (name === 'ods') return practice.ods;
    if (name === 'asid') return practice.asid;
    if (name === 'gpconnectRoot') return new URL(practice.serviceRoots.gpconnect).pathname;
    if (name === 'structuredRoot') return new URL(practice.serviceRoots.structured).pathname;
    if (name === 'documentsRoot') return new URL(practice.serviceRoots.documents).pathname;
    if (name === 'mailbox') return manifest.mailboxes.find((mailbox) => mailbox.ods === practice.ods)?.id;
    if (name.startsWith('nhs.')) {
      const key = name.slice(4);
      return manifest.archetypes.find((entry) => entry.key === key && entry.ods === practice.ods)?.nhsNumber;
    }
    if (name.startsWith('partner.')) {
      const partner = manifest.partners.find((candidate) => candidate.enabledAt.includes(practice.ods));
      const value = partner ? (partner as Record<string, unknown>)[name.slice(8)] : undefined;
      return typeof value === 'string' ? value : undefined;
    }
    return undefined;
  };
  return (name) => {
    if (name === 'uuid') return randomUUID();
    const days = /^date\+(\d{1,3})$/.exec(name)?.[1];
    if (days !== undefined) return new Date(Date.now() + Number(days) * 86_400_000).toISOString().slice(0, 10);
    if (name === 'partnerMailbox') return manifest.mailboxes.find((mailbox) => mailbox.partner)?.id;
    if (name === 'backendClient.clientId' || name === 'backendClient.clientSecret') {
      const client = manifest.clients.find((candidate) => candidate.type === 'backend' && candidate.clientSecret);
      return name.endsWith('Id') ? client?.clientId : client?.clientSecret;
    }
    const [head, ...rest] = name.split('.');
    if (head === 'systmone' || head === 'emis') {
      const practice = practiceOf(head);
      return practice ? ofPractice(practice, rest.join('.')) : undefined;
    }
    return ofPractice(context.practice, name);
  };
}

export class PlaceholderError extends Error {}

/** Fills {{placeholders}} in a string, or in every string of a JSON value. */
export function fill<T>(value: T, lookup: (name: string) => string | undefined): T {
  if (typeof value === 'string') {
    return value.replace(/\{\{\s*([\w.+-]+)\s*\}\}/g, (_whole, name: string) => {
      const found = lookup(name);
      if (found === undefined) throw new PlaceholderError(`the target's manifest has nothing for {{${name}}}`);
      return found;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => fill(item, lookup)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, lookup)])) as T;
  }
  return value;
}
