/** Uncollected messages leave the inbox five days after delivery (MESH API spec, Message expiration). */
export const INBOX_RETENTION_MS = 5 * 24 * 60 * 60 * 1000;
