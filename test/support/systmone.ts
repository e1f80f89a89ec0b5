import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { control } from '@gpsim/contracts';
import { parseXml } from '@gpsim/simulator/surfaces/shared/xml';
import type { XmlElement } from '@gpsim/simulator/surfaces/shared/xml';

type Partner = control.Manifest['partners'][number];

export interface ClientIntegrationCall {
  partner: Partner;
  fn: string;
  parameters?: string;
  requestUid?: string;
  functionVersion?: string;
  deviceId?: string;
  apiKey?: string;
}

/** A ClientIntegrationRequest document in the shape of the public example (reference/domain.md §2.2). */
export function clientIntegrationRequest(call: ClientIntegrationCall): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<ClientIntegrationRequest>',
    `<RequestUID>${call.requestUid ?? randomUUID()}</RequestUID>`,
    `<Function>${call.fn}</Function>`,
    `<APIKey>${call.apiKey ?? call.partner.apiKey}</APIKey>`,
    `<DeviceID>${call.deviceId ?? call.partner.deviceId}</DeviceID>`,
    '<DeviceVersion>1.0.0</DeviceVersion>',
    `<FunctionVersion>${call.functionVersion ?? '1.0'}</FunctionVersion>`,
    `<FunctionParameters>${call.parameters ?? ''}</FunctionParameters>`,
    '</ClientIntegrationRequest>',
  ].join('');
}

export function identity(nhsNumber: string): string {
  return `<Identity><NhsNumber>${nhsNumber}</NhsNumber></Identity>`;
}

/** The error code of a ClientIntegrationResponse, or undefined when it succeeded. */
export function errorCode(response: XmlElement): string | undefined {
  return response.children.find((element) => element.name === 'Error')?.children.find((e) => e.name === 'Code')?.text;
}

export function find(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) current = current?.children.find((candidate) => candidate.name === name);
  return current;
}

export function findAll(element: XmlElement | undefined, name: string): XmlElement[] {
  if (!element) return [];
  return element.children.flatMap((candidate) => [
    ...(candidate.name === name ? [candidate] : []),
    ...findAll(candidate, name),
  ]);
}

export async function postClientIntegration(
  baseUrl: string,
  ods: string,
  body: string,
  user?: string,
): Promise<{ status: number; xml: XmlElement; text: string }> {
  const query = user ? `?user=${encodeURIComponent(user)}` : '';
  const response = await fetch(`${baseUrl}/systmone/${ods}/client-integration${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body,
  });
  const text = await response.text();
  return { status: response.status, xml: parseXml(text), text };
}

/** A raw TCP client: writes the bytes, then collects what comes back until `until` says it is whole. */
export function tcpExchange(
  port: number,
  chunks: (string | Buffer)[],
  until: (received: Buffer) => boolean,
  timeoutMs = 5_000,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms; got ${received.length} bytes`));
    }, timeoutMs);
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      if (until(received)) {
        clearTimeout(timer);
        socket.end();
        resolve(received);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export const responseComplete = (received: Buffer): boolean =>
  /<\/ClientIntegrationResponse>\s*$/.test(received.toString('utf8'));

export function lengthPrefixed(document: string): Buffer {
  const body = Buffer.from(document, 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

/** Validates a device for a user through the Internet SystmOne passcode flow (/__sim/devices, /__sim/mailbox). */
export async function trustDevice(
  baseUrl: string,
  user: { username: string; email?: string | undefined },
  deviceId: string,
) {
  if (user.email === undefined) throw new Error(`${user.username} has no work email, so cannot validate a device`);
  const post = (path: string, body: unknown) =>
    fetch(`${baseUrl}/__sim/devices/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const login = (await (await post('login', { username: user.username, password: 'secret', deviceId })).json()) as {
    status?: string;
  };
  if (login.status === 'trusted') return;
  if (login.status !== 'passcode-sent') throw new Error(`device login failed: ${JSON.stringify(login)}`);
  const mailbox = (await (await fetch(`${baseUrl}/__sim/mailbox?to=${encodeURIComponent(user.email)}`)).json()) as {
    messages: { body: string }[];
  };
  // Newest first; the passcode mail names the device it is for.
  const mail = mailbox.messages.find((message) => message.body.includes(`(${deviceId})`));
  const passcode = /passcode is (\d{6})/.exec(mail?.body ?? '')?.[1] ?? '';
  const verified = await post('verify', { username: user.username, deviceId, passcode });
  if (verified.status !== 200) throw new Error(`device ${deviceId} was not trusted: ${await verified.text()}`);
}
