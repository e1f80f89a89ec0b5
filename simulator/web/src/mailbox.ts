import { api } from './api.js';
import { h, show } from './dom.js';

interface MailMessage {
  seq: number;
  sent: string;
  to: string;
  subject: string;
  body: string;
}

/** The mailbox device sign-in passcodes are sent to (Internet SystmOne device trust). */
export async function mailboxPage(main: HTMLElement): Promise<void> {
  const { messages } = await api<{ messages: MailMessage[] }>('/__sim/mailbox?limit=100');
  show(
    main,
    h('h1', {}, 'Mailbox'),
    h('p', { class: 'lede' }, 'Passcodes sent to staff when they sign in on an untrusted device.'),
    messages.length === 0
      ? h('p', {}, 'No mail yet.')
      : h(
          'ul',
          { class: 'mail' },
          messages
            .slice()
            .reverse()
            .map((message) =>
              h(
                'li',
                {},
                h('h2', {}, message.subject),
                h('p', { class: 'meta' }, `To ${message.to} · ${message.sent}`),
                h('pre', {}, message.body),
              ),
            ),
        ),
  );
}
