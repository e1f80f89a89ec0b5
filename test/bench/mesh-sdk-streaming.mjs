// The client SDK's MESH streaming: a 100 MB and a 300 MB message, each sent from a generated stream
// in 10 MB chunks through MeshClient and downloaded through its streaming download, while the client
// process's memory is sampled. The claim: client memory does not grow with the message size — the
// peak is one chunk plus garbage the collector has not reached yet, and nothing is retained.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { GpsimControl, MeshClient } from '@gpsim/client';
import { startBenchGpsim, waitForHealth } from './bench-gpsim.mjs';

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = startBenchGpsim(port);
const MiB = 2 ** 20;
const rssMiB = () => Math.round(process.memoryUsage().rss / MiB);
/** Live JavaScript memory: the heap plus the buffers outside it. */
const liveMiB = () => {
  const usage = process.memoryUsage();
  return Math.round((usage.heapUsed + usage.external) / MiB);
};
/** Collects garbage until buffers freed by finalisers are gone too. */
const settle = async () => {
  for (let pass = 0; pass < 3; pass++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
};
const serverRssMiB = () =>
  Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

try {
  await waitForHealth(base);
  const manifest = await new GpsimControl({ baseUrl: base }).fixtures();
  const mailbox = (partner) => manifest.mailboxes.find((candidate) => candidate.partner === partner);
  const client = (partner) =>
    new MeshClient({
      baseUrl: manifest.mesh.baseUrl,
      mailboxId: mailbox(partner).id,
      password: mailbox(partner).password,
      sharedSecret: manifest.mesh.sharedSecret,
      chunkSize: 10 * MiB,
      timeoutMs: 120_000,
    });
  const sender = client('gpsim-demo');
  const recipient = client('gpsim-pharmacy');
  const piece = new Uint8Array(MiB).fill(0x62);

  async function roundTrip(sizeMiB) {
    async function* generated() {
      for (let i = 0; i < sizeMiB; i++) yield piece;
    }
    await settle();
    const rssBaseline = rssMiB();
    const liveBaseline = liveMiB();
    let rssPeak = rssBaseline;
    let livePeak = liveBaseline;
    let serverPeak = serverRssMiB();
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMiB());
      livePeak = Math.max(livePeak, liveMiB());
      serverPeak = Math.max(serverPeak, serverRssMiB());
    }, 25);
    const started = performance.now();
    const { message_id: messageId } = await sender.send({
      to: mailbox('gpsim-pharmacy').id,
      workflowId: 'GPSIM_TEST',
      content: { stream: generated(), size: sizeMiB * MiB },
    });
    const sent = performance.now();
    const message = await recipient.download(messageId);
    let bytes = 0;
    for await (const chunk of message.body) bytes += chunk.length;
    await recipient.acknowledge(messageId);
    const done = performance.now();
    clearInterval(sampler);
    if (bytes !== sizeMiB * MiB) throw new Error(`downloaded ${bytes} of ${sizeMiB * MiB} bytes`);
    await settle();
    return {
      messageMiB: sizeMiB,
      chunks: message.totalChunks,
      clientRssGrowthMiB: rssPeak - rssBaseline,
      clientLivePeakGrowthMiB: livePeak - liveBaseline,
      clientRetainedMiB: liveMiB() - liveBaseline,
      serverPeakRssMiB: serverPeak,
      sendMegabytesPerSecond: Math.round((sizeMiB / ((sent - started) / 1000)) * 10) / 10,
      downloadMegabytesPerSecond: Math.round((sizeMiB / ((done - sent) / 1000)) * 10) / 10,
    };
  }

  const hundred = await roundTrip(100);
  const threeHundred = await roundTrip(300);
  process.stdout.write(
    JSON.stringify({
      summary: {
        chunkMiB: 10,
        livePeakGrowthMiB100: hundred.clientLivePeakGrowthMiB,
        livePeakGrowthMiB300: threeHundred.clientLivePeakGrowthMiB,
        retainedMiB300: threeHundred.clientRetainedMiB,
      },
      runs: [hundred, threeHundred],
      note: 'measured on a shared, loaded machine',
    }),
  );
} finally {
  server.kill('SIGTERM');
}
