import { SimError } from '../../domain/errors';
import type { SendRequest } from '../../domain/mesh/mesh-service';
import { meshError } from '../../domain/mesh/mesh-service';
import type { SimRequest } from '../../transport/types';

const MAX_SUBJECT = 500;
const MAX_HEADER = 1000;
const meshHeaders = [
  'mex-to',
  'mex-workflowid',
  'mex-chunk-range',
  'mex-subject',
  'mex-localid',
  'mex-filename',
  'mex-content-checksum',
  'mex-content-compressed',
  'mex-content-encrypted',
  'mex-from',
] as const;

/**
 * Reads the send headers (MESH API spec, Send message): mex-to and mex-workflowid required,
 * mex-subject at most 500 characters, no control characters anywhere (error 06).
 */
export function readSendHeaders(request: SimRequest): SendRequest {
  for (const name of meshHeaders) {
    const value = request.headers[name];
    if (value === undefined) continue;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value) || value.length > (name === 'mex-subject' ? MAX_SUBJECT : MAX_HEADER)) {
      throw malformed(
        name,
        name === 'mex-subject'
          ? `mex-subject must be at most ${MAX_SUBJECT} characters without control characters.`
          : `${name} is malformed.`,
      );
    }
  }
  const to = request.headers['mex-to']?.trim();
  if (!to)
    throw meshError(
      'invalid-request',
      '08',
      'TO_DTS missing: send mex-to with the recipient mailbox or a GPPROVIDER_ routing string.',
      'mex-to',
    );
  const workflowId = request.headers['mex-workflowid']?.trim();
  if (!workflowId) throw malformed('mex-workflowid', 'mex-workflowid is required.');
  const header = (name: (typeof meshHeaders)[number]): string | undefined => request.headers[name]?.trim() || undefined;
  const flag = (name: 'mex-content-compressed' | 'mex-content-encrypted'): boolean | undefined => {
    const value = header(name);
    return value === undefined ? undefined : value.toUpperCase() === 'Y';
  };
  const fields: SendRequest = { to, workflowId };
  const chunkRange = header('mex-chunk-range');
  if (chunkRange !== undefined) fields.chunkRange = chunkRange;
  const subject = header('mex-subject');
  if (subject !== undefined) fields.subject = subject;
  const localId = header('mex-localid');
  if (localId !== undefined) fields.localId = localId;
  const fileName = header('mex-filename');
  if (fileName !== undefined) fields.fileName = fileName;
  const checksum = header('mex-content-checksum');
  if (checksum !== undefined) fields.checksum = checksum;
  const compressed = flag('mex-content-compressed');
  if (compressed !== undefined) fields.compressed = compressed;
  const encrypted = flag('mex-content-encrypted');
  if (encrypted !== undefined) fields.encrypted = encrypted;
  const contentType = request.headers['content-type'];
  if (contentType !== undefined) fields.contentType = contentType;
  const contentEncoding = request.headers['content-encoding'];
  if (contentEncoding !== undefined) fields.contentEncoding = contentEncoding;
  return fields;
}

function malformed(field: string, message: string): SimError {
  return new SimError('invalid-request', `MalformedControlFile: ${message}`, {
    field,
    detail: { meshCode: '06', meshEvent: 'TRANSFER' },
  });
}
