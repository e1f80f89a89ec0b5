// SystmOne GetPatientRecord over HTTP and over the TCP port (length-prefixed framing): throughput
// and latency at 20 concurrent clients. Every request reads a different patient, because the API
// allows one record read per patient per device every 30 s (reference/domain.md §5.4).
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBenchGpsim, waitForHealth } from './bench-gpsim.mjs';

const port = 43200;
const tcpPort = 43235;
const base = `http://127.0.0.1:${port}`;
const CONCURRENCY = 20;
const REQUESTS = 2000;
const server = startBenchGpsim(port, { tcpPort, args: ['--store', 'memory'] });
try {
  await waitForHealth(base);
  const manifest = await (await fetch(`${base}/__sim/fixtures`)).json();
  const demo = manifest.partners.find((partner) => partner.name === 'gpsim-demo');
  const [httpPractice, tcpPractice] = manifest.practices.filter((candidate) => candidate.system === 'systmone');
  // The TCP port reaches the second SystmOne practice, so the two runs read different patients.
  await fetch(`${base}/__sim/systmone/tcp-desktop`, { method: 'POST', body: JSON.stringify({ ods: tcpPractice.ods }) });
  const { Population } = await import(join(process.cwd(), 'simulator', 'dist', 'population', 'population.js'));
  const { DEFAULT_ESTATE_SPEC } = await import(
    join(process.cwd(), 'simulator', 'dist', 'population', 'estate-generator.js')
  );
  const population = new Population({ ...DEFAULT_ESTATE_SPEC, seed: manifest.seed });
  const listOf = (ods) => {
    const practice = population.practice(ods);
    const count = Math.min(practice.listSize, REQUESTS);
    return Array.from({ length: count }, (_, i) => population.patientAt(practice, i).nhsNumber);
  };
  const request = (nhsNumber) =>
    `<ClientIntegrationRequest><RequestUID>${randomUUID()}</RequestUID><Function>GetPatientRecord</Function>` +
    `<APIKey>${demo.apiKey}</APIKey><DeviceID>${demo.deviceId}</DeviceID><DeviceVersion>1</DeviceVersion>` +
    `<FunctionVersion>1.0</FunctionVersion><FunctionParameters><Identity><NhsNumber>${nhsNumber}</NhsNumber>` +
    `</Identity></FunctionParameters></ClientIntegrationRequest>`;
  const http = await measure(
    listOf(httpPractice.ods),
    async () => {
      const client = {
        async send(document) {
          const response = await fetch(`${base}/systmone/${httpPractice.ods}/client-integration`, {
            method: 'POST',
            headers: { 'content-type': 'application/xml' },
            body: document,
          });
          return response.text();
        },
        close() {},
      };
      return client;
    },
    request,
  );
  const tcp = await measure(listOf(tcpPractice.ods), tcpClient, request);
  process.stdout.write(JSON.stringify({ summary: { http: http.summary, tcp: tcp.summary, concurrency: CONCURRENCY } }));
} finally {
  server.kill('SIGTERM');
}

async function measure(nhsNumbers, newClient, request) {
  const latencies = [];
  let throttled = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const client = await newClient();
      while (next < nhsNumbers.length) {
        const nhsNumber = nhsNumbers[next++];
        const sent = performance.now();
        const reply = await client.send(request(nhsNumber));
        latencies.push(performance.now() - sent);
        if (reply.includes('<Code>Throttled</Code>')) throttled++;
      }
      client.close();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 100) / 100;
  if (throttled > 0) throw new Error(`bench: ${throttled} requests throttled`);
  return {
    summary: {
      requestsPerSecond: Math.round(latencies.length / seconds),
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      requests: latencies.length,
    },
  };
}

function tcpClient() {
  return new Promise((resolve, reject) => {
    const socket = connect(tcpPort, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let waiting;
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32BE(0)) {
        const length = buffer.readUInt32BE(0);
        const reply = buffer.subarray(4, 4 + length).toString('utf8');
        buffer = buffer.subarray(4 + length);
        waiting?.(reply);
      }
    });
    socket.on('error', reject);
    socket.on('connect', () =>
      resolve({
        send(document) {
          const body = Buffer.from(document);
          const header = Buffer.alloc(4);
          header.writeUInt32BE(body.length, 0);
          return new Promise((done) => {
            waiting = done;
            socket.write(Buffer.concat([header, body]));
          });
        },
        close() {
          socket.end();
        },
      }),
    );
  });
}
