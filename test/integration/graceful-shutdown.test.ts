import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { control } from '@gpsim/contracts';
import { requireBuiltCli, startCli } from '../support/cli';
import { MeshTestClient } from '../support/mesh-client';

jest.setTimeout(60_000);

describe('graceful shutdown on SIGTERM', () => {
  let dataDir: string;
  beforeAll(() => {
    requireBuiltCli();
    dataDir = mkdtempSync(join(tmpdir(), 'gpsim-drain-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finishes a request still uploading when SIGTERM arrives, refuses new connections, then exits 0', async () => {
    const cli = await startCli([
      '--port',
      '0',
      '--backup-port',
      'none',
      '--tcp-port',
      'none',
      '--patients-per-practice',
      '100',
      '--data-dir',
      dataDir,
    ]);
    const url = /listening on (http:\/\/[^\s]+) \(s11\)/.exec(cli.output())?.[1] as string;
    const manifest = control.Manifest.parse(await (await fetch(`${url}/__sim/fixtures`)).json());
    const demo = manifest.mailboxes.find((mailbox) => mailbox.partner === 'gpsim-demo');
    const practice = manifest.mailboxes.find((mailbox) => mailbox.ods === manifest.practices[0]?.ods);
    if (!demo || !practice) throw new Error('no mailboxes');
    const mesh = new MeshTestClient(manifest.mesh.baseUrl, demo, manifest.mesh.sharedSecret, () => new Date());
    const body = Buffer.alloc(64 * 1024, 'a');

    // A MESH upload whose body arrives in two halves, with SIGTERM sent between them.
    const target = new URL(`${manifest.mesh.baseUrl}/messageexchange/${demo.id}/outbox`);
    const upload = request({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      headers: {
        authorization: mesh.token(),
        accept: 'application/vnd.mesh.v2+json',
        'content-type': 'application/octet-stream',
        'content-length': String(body.length),
        'mex-to': practice.id,
        'mex-workflowid': 'GPFED_CONSULT_REPORT',
      },
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      upload.on('response', (response: IncomingMessage) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      upload.on('error', reject);
    });
    upload.write(body.subarray(0, body.length / 2));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = new Promise<number | null>((resolve) => cli.process.once('exit', (code) => resolve(code)));
    cli.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));

    await expect(fetch(`${url}/__sim/health`)).rejects.toThrow();
    upload.end(body.subarray(body.length / 2));
    const reply = await answered;
    expect(reply.status).toBe(202);
    expect(JSON.parse(reply.text)).toHaveProperty('message_id');
    expect(await exited).toBe(0);
    expect(cli.output()).toContain('finishing in-flight requests');
  });
});
