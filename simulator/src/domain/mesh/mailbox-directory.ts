import { createHash } from 'node:crypto';
import type { Estate } from '../../population/estate-generator';
import {
  SEND_DOCUMENT_ACK_WORKFLOW,
  SEND_DOCUMENT_WORKFLOW,
  TEST_WORKFLOW,
  UPDATE_RECORD_ACK_WORKFLOW,
  UPDATE_RECORD_WORKFLOW,
} from './workflows';

export interface Mailbox {
  id: string;
  password: string;
  ods?: string;
  partner?: string;
  workflows: { send: string[]; receive: string[] };
}

/** Partners with a MESH mailbox: the demo partner and a community pharmacy sending Update Record. */
const partners = [
  { partner: 'gpsim-demo', id: 'X26GPSIMDEMO' },
  { partner: 'gpsim-pharmacy', id: 'X26GPSIMPHARM' },
] as const;

/**
 * The estate's MESH mailboxes, fictitious and deterministic from the seed: one per practice
 * (`{ODS}OT001`, the ODS-prefixed style real mailbox ids follow) and one per partner. Mailbox
 * authorisation is explicit opt-in per workflow id and direction (GPCM integration_mesh.md).
 */
export class MailboxDirectory {
  readonly mailboxes: Mailbox[];
  readonly sharedSecret: string;
  private readonly byId: Map<string, Mailbox>;
  private readonly byOds: Map<string, Mailbox>;

  constructor(estate: Estate) {
    const secretOf = (what: string): string =>
      createHash('sha256').update(`gpsim-mesh|${estate.spec.seed}|${what}`).digest('hex').slice(0, 24);
    this.sharedSecret = `gpsim-shared-${secretOf('environment')}`;
    const practiceMailboxes: Mailbox[] = estate.practices.map((practice) => ({
      id: `${practice.ods}OT001`,
      password: secretOf(practice.ods),
      ods: practice.ods,
      workflows: {
        send: [SEND_DOCUMENT_ACK_WORKFLOW, UPDATE_RECORD_ACK_WORKFLOW],
        receive: [SEND_DOCUMENT_WORKFLOW, UPDATE_RECORD_WORKFLOW],
      },
    }));
    const partnerMailboxes: Mailbox[] = partners.map(({ partner, id }) => ({
      id,
      password: secretOf(partner),
      partner,
      workflows: {
        send: [SEND_DOCUMENT_WORKFLOW, UPDATE_RECORD_WORKFLOW, TEST_WORKFLOW],
        receive: [SEND_DOCUMENT_ACK_WORKFLOW, UPDATE_RECORD_ACK_WORKFLOW, TEST_WORKFLOW],
      },
    }));
    this.mailboxes = [...practiceMailboxes, ...partnerMailboxes];
    this.byId = new Map(this.mailboxes.map((mailbox) => [mailbox.id, mailbox]));
    this.byOds = new Map(practiceMailboxes.map((mailbox) => [mailbox.ods as string, mailbox]));
  }

  get(id: string): Mailbox | undefined {
    return this.byId.get(id.toUpperCase());
  }

  ofPractice(ods: string): Mailbox | undefined {
    return this.byOds.get(ods);
  }
}
