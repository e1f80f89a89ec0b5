import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { parseXml } from '@gpsim/simulator/surfaces/shared/xml';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import {
  clientIntegrationRequest,
  errorCode,
  find,
  identity,
  lengthPrefixed,
  responseComplete,
  tcpExchange,
} from '../support/systmone';

type Partner = control.Manifest['partners'][number];

describe('SystmOne Client Integration TCP listener', () => {
  let gpsim: RunningGpsim;
  let port: number;
  let manifest: control.Manifest;
  let demo: Partner;
  let ods: string;
  let nhsNumber: string;

  beforeAll(async () => {
    gpsim = await startTestGpsim({ ...smallEstate, tcpPort: 0 });
    manifest = control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures`)).json());
    port = manifest.endpoints.systmOneTcpPort as number;
    expect(port).toBe(gpsim.tcpPort);
    demo = manifest.partners.find((p) => p.name === 'gpsim-demo') as Partner;
    // By default the TCP port reaches the first SystmOne practice in the manifest.
    ods = manifest.practices.find((p) => p.system === 'systmone')?.ods as string;
    nhsNumber = manifest.archetypes.find((a) => a.ods === ods && a.key === 'standard')?.nhsNumber as string;
  });
  afterAll(() => gpsim.close());

  const searchRequest = (requestUid = randomUUID()) =>
    clientIntegrationRequest({
      partner: demo,
      fn: 'PatientSearch',
      requestUid,
      parameters: `<NhsNumber>${nhsNumber}</NhsNumber>`,
    });

  it('answers a bare XML document (read-until-idle framing) as real clients send it, even in small pieces', async () => {
    const requestUid = randomUUID();
    const document = searchRequest(requestUid);
    const pieces = [document.slice(0, 10), document.slice(10, 50), document.slice(50)];
    const received = await tcpExchange(port, pieces, responseComplete);
    const xml = parseXml(received);
    expect(find(xml, 'RequestUID')?.text).toBe(requestUid);
    expect(find(xml, 'Response', 'Patients', 'Patient', 'Identity', 'NHSNumber')?.text).toBe(nhsNumber);
  });

  it('answers two bare documents sent back to back on one connection, in order', async () => {
    const first = randomUUID();
    const second = randomUUID();
    const received = await tcpExchange(
      port,
      [`${searchRequest(first)}\n${searchRequest(second)}`],
      (bytes) => (bytes.toString('utf8').match(/<\/ClientIntegrationResponse>/g) ?? []).length === 2,
    );
    const uids = [...received.toString('utf8').matchAll(/<RequestUID>([^<]+)<\/RequestUID>/g)].map((m) => m[1]);
    expect(uids).toEqual([first, second]);
  });

  it('ends a request at a pause when the document never closes, and answers MalformedXML', async () => {
    const received = await tcpExchange(port, ['<ClientIntegrationRequest><RequestUID>x'], responseComplete);
    expect(errorCode(parseXml(received))).toBe('MalformedXML');
  });

  it('answers length-prefixed requests with a length-prefixed reply, several on one connection', async () => {
    const first = randomUUID();
    const second = randomUUID();
    const received = await tcpExchange(
      port,
      [Buffer.concat([lengthPrefixed(searchRequest(first)), lengthPrefixed(searchRequest(second))])],
      (bytes) => {
        if (bytes.length < 4) return false;
        const firstLength = bytes.readUInt32BE(0);
        if (bytes.length < 4 + firstLength + 4) return false;
        return bytes.length >= 8 + firstLength + bytes.readUInt32BE(4 + firstLength);
      },
    );
    const firstLength = received.readUInt32BE(0);
    const replies = [parseXml(received.subarray(4, 4 + firstLength)), parseXml(received.subarray(8 + firstLength))];
    expect(replies.map((reply) => find(reply, 'RequestUID')?.text)).toEqual([first, second]);
  });

  it('serves concurrent clients independently', async () => {
    const uids = Array.from({ length: 8 }, () => randomUUID());
    const replies = await Promise.all(uids.map((uid) => tcpExchange(port, [searchRequest(uid)], responseComplete)));
    expect(replies.map((reply) => find(parseXml(reply), 'RequestUID')?.text)).toEqual(uids);
  });

  it('survives a client that disconnects mid-request', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(searchRequest().slice(0, 40));
        socket.destroy();
        resolve();
      });
    });
    const received = await tcpExchange(port, [searchRequest()], responseComplete);
    expect(errorCode(parseXml(received))).toBeUndefined();
  });

  it('refuses an oversized request with RequestTooLarge and hangs up', async () => {
    const huge = `<ClientIntegrationRequest><RequestUID>${'a'.repeat(1024 * 1024 + 10)}`;
    const received = await tcpExchange(port, [huge], responseComplete);
    expect(errorCode(parseXml(received))).toBe('RequestTooLarge');
  });

  it('refuses entity expansion ("billion laughs") without expanding anything', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><ClientIntegrationRequest><RequestUID>&lol2;</RequestUID></ClientIntegrationRequest>`;
    const received = await tcpExchange(port, [bomb], responseComplete);
    expect(errorCode(parseXml(received))).toBe('MalformedXML');
  });

  it('answers an unknown function with UnknownFunction', async () => {
    const received = await tcpExchange(
      port,
      [clientIntegrationRequest({ partner: demo, fn: 'FormatHardDrive' })],
      responseComplete,
    );
    expect(errorCode(parseXml(received))).toBe('UnknownFunction');
  });

  it('reaches another practice desktop once POST /__sim/systmone/tcp-desktop chooses it', async () => {
    const other = manifest.practices.filter((p) => p.system === 'systmone')[1]?.ods;
    expect(other).toBeDefined();
    const switched = await fetch(`${gpsim.url}/__sim/systmone/tcp-desktop`, {
      method: 'POST',
      body: JSON.stringify({ ods: other }),
    });
    expect(switched.status).toBe(200);
    const received = await tcpExchange(
      port,
      [clientIntegrationRequest({ partner: demo, fn: 'GetPatientRecord', parameters: identity(nhsNumber) })],
      responseComplete,
    );
    expect(errorCode(parseXml(received))).toBe('PatientNotFound');
    await fetch(`${gpsim.url}/__sim/systmone/tcp-desktop`, { method: 'POST', body: JSON.stringify({ ods }) });
  });

  it('journals TCP traffic against the partner like HTTP traffic', async () => {
    await tcpExchange(port, [searchRequest()], responseComplete);
    const journal = (await (await fetch(`${gpsim.url}/__sim/journal?surface=systmone`)).json()) as control.JournalPage;
    expect(
      journal.entries.some((entry) => entry.clientId === 'gpsim-demo' && entry.interaction === 'PatientSearch'),
    ).toBe(true);
  });
});
