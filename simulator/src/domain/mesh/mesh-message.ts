/** A message in the simulated MESH: who sent it to whom, on which workflow, and where it stands. */
export type MeshMessageType = 'DATA' | 'REPORT';

/**
 * uploading: chunks still arriving; accepted: in the recipient's inbox; acknowledged: collected;
 * expired: left uncollected past retention (the sender was sent a non-delivery report); error:
 * could not be delivered (e.g. GP routing failed).
 */
export type MeshMessageStatus = 'uploading' | 'accepted' | 'acknowledged' | 'expired' | 'error';

export interface MeshMessage {
  id: string;
  sender: string;
  recipient: string;
  /** The Mex-To as sent (a mailbox id or a GPPROVIDER_ routing string). */
  to: string;
  workflowId: string;
  messageType: MeshMessageType;
  status: MeshMessageStatus;
  totalChunks: number;
  /** Bytes stored, across chunks. */
  size: number;
  subject?: string;
  localId?: string;
  fileName?: string;
  checksum?: string;
  compressed?: boolean;
  encrypted?: boolean;
  contentType?: string;
  contentEncoding?: string;
  /** For REPORT messages: the message reported on and the outcome. */
  linkedMessageId?: string;
  statusEvent?: string;
  statusCode?: string;
  statusDescription?: string;
  createdAt: string;
  /** When every chunk had arrived and the message reached the inbox. */
  acceptedAt?: string;
  /** Uncollected messages leave the inbox five days after delivery (MESH API spec, Message expiration). */
  expiresAt?: string;
  acknowledgedAt?: string;
  /** What the practice learnt from an ITK3 message it took into workflow, for the acks it owes. */
  itk?: ItkReceipt;
}

export interface ItkReceipt {
  messageHeaderId: string;
  businessAckRequested: boolean;
  infrastructureAckRequested: boolean;
  taskId: string;
  /** The ITK3 responses sent back to the sender for this message, oldest first. */
  acks?: SentAck[];
}

/** One ITK3 response the practice sent back over MESH. */
export interface SentAck {
  code: string;
  messageId: string;
  sentAt: string;
}
