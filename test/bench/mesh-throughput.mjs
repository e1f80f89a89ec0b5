// MESH send + receive throughput for 10 KB and 5 MB messages, and server memory while one 95 MB
// message streams in and out (partner mailbox to partner mailbox on the GPSIM_TEST workflow).
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { startBenchGpsim, waitForHealth } from './bench-gpsim.mjs';

const port = 43300;
const base = `http://127.0.0.1:${port}`;
const server = startBenchGpsim(port);

const rssMiB = () =>
  Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

try {
  await waitForHealth(base);
  const manifest = await (await fetch(`${base}/__sim/fixtures`)).json();
  const mailbox = (partner) => manifest.mailboxes.find((m) => m.partner === partner);
  const sender = mailbox('gpsim-demo');
  const recipient = mailbox('gpsim-pharmacy');
  const secret = manifest.mesh.sharedSecret;
  const meshBase = manifest.mesh.baseUrl;

  const token = (box) => {
    const nonce = randomUUID();
    const timestamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 12);
    const hmac = createHmac('sha256', secret).update(`${box.id}:${nonce}:1:${box.password}:${timestamp}`).digest('hex');
    return `NHSMESH ${box.id}:${nonce}:1:${timestamp}:${hmac}`;
  };
  const mesh = (box, method, path, init = {}) =>
    fetch(`${meshBase}/messageexchange/${box.id}${path}`, {
      method,
      ...init,
      headers: { authorization: token(box), accept: 'application/vnd.mesh.v2+json', ...init.headers },
    });
  const send = async (body) => {
    const response = await mesh(sender, 'POST', '/outbox', {
      body,
      duplex: 'half',
      headers: { 'mex-to': recipient.id, 'mex-workflowid': 'GPSIM_TEST', 'content-type': 'application/octet-stream' },
    });
    if (response.status !== 202) throw new Error(`send answered ${response.status}: ${await response.text()}`);
    return (await response.json()).message_id;
  };
  const receiveAll = async () => {
    let received = 0;
    let bytes = 0;
    for (;;) {
      const inbox = await (await mesh(recipient, 'GET', '/inbox')).json();
      if (inbox.messages.length === 0) return { received, bytes };
      for (const id of inbox.messages) {
        const download = await mesh(recipient, 'GET', `/inbox/${id}`);
        for await (const chunk of download.body) bytes += chunk.length;
        const ack = await mesh(recipient, 'PUT', `/inbox/${id}/status/acknowledged`);
        await ack.arrayBuffer();
        received++;
      }
    }
  };

  async function roundTrip(label, size, count, concurrency) {
    const payload = Buffer.alloc(size, 0x61);
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          next++;
          await send(payload);
        }
      }),
    );
    const sent = performance.now();
    const { received, bytes } = await receiveAll();
    const done = performance.now();
    if (received !== count || bytes !== size * count)
      throw new Error(`${label}: received ${received} messages, ${bytes} bytes`);
    return {
      label,
      messages: count,
      sendPerSecond: Math.round(count / ((sent - started) / 1000)),
      receivePerSecond: Math.round(count / ((done - sent) / 1000)),
      roundTripPerSecond: Math.round(count / ((done - started) / 1000)),
      megabytesPerSecond: Math.round(((size * count * 2) / (done - started) / 1000) * 10) / 10,
    };
  }

  await roundTrip('warm-up', 10 * 1024, 50, 5);
  const small = await roundTrip('10 KB', 10 * 1024, 500, 10);
  const large = await roundTrip('5 MB', 5 * 1024 * 1024, 20, 4);

  // 95 MB streamed from a generator: neither side ever holds the whole message.
  const size = 95 * 1024 * 1024;
  const baseline = rssMiB();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB())), 50);
  const chunk = Buffer.alloc(1024 * 1024, 0x62);
  await send(
    Readable.toWeb(
      Readable.from(
        (function* () {
          for (let i = 0; i < 95; i++) yield chunk;
        })(),
      ),
    ),
  );
  const { bytes } = await receiveAll();
  clearInterval(sampler);
  if (bytes !== size) throw new Error(`streamed ${bytes} of ${size} bytes`);
  process.stdout.write(
    JSON.stringify({
      summary: {
        tenKbRoundTripsPerSecond: small.roundTripPerSecond,
        fiveMbRoundTripsPerSecond: large.roundTripPerSecond,
        fiveMbMegabytesPerSecond: large.megabytesPerSecond,
        streaming95MbRssGrowthMiB: peak - baseline,
      },
      small,
      large,
      streaming: { bytes: size, baselineRssMiB: baseline, peakRssMiB: peak },
    }),
  );
} finally {
  server.kill('SIGTERM');
}
