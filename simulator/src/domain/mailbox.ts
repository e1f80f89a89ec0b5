import type { SimClock } from './clock';

export interface MailMessage {
  seq: number;
  /** Simulated time it was sent (ISO 8601). */
  sent: string;
  to: string;
  subject: string;
  body: string;
}

/** The most messages kept; older ones drop off, so memory stays bounded. */
const CAPACITY = 1000;

/**
 * gpsim's outgoing email: what the simulated systems send to staff (device passcodes) lands here
 * instead of a real inbox, for people and tests to read at GET /__sim/mailbox.
 */
export class Mailbox {
  private messages: MailMessage[] = [];
  private lastSeq = 0;

  constructor(private readonly clock: SimClock) {}

  send(message: Omit<MailMessage, 'seq' | 'sent'>): MailMessage {
    const stored = { seq: ++this.lastSeq, sent: this.clock.nowDate().toISOString(), ...message };
    this.messages.push(stored);
    if (this.messages.length > CAPACITY) this.messages.shift();
    return stored;
  }

  /** Newest first, optionally only those to one address. */
  list(query: { to?: string; limit?: number } = {}): MailMessage[] {
    const to = query.to?.toLowerCase();
    const matching = this.messages.filter((message) => to === undefined || message.to.toLowerCase() === to);
    return matching.reverse().slice(0, query.limit ?? 100);
  }

  clear(): void {
    this.messages = [];
  }
}
