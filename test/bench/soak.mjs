// Soak: mixed traffic (FHIR R4 reads, PDS reads, EMIS record filings, MESH send/receive/acknowledge,
// journal reads) against one gpsim for N minutes, sampling its RSS and the latency of each window.
// Flat memory and no latency drift are the pass marks. Writes bench/results/soak.json and soak.svg.
//   node test/bench/soak.mjs [--minutes 60] [--sample-s 60] [--clients 8]
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { startBenchGpsim, waitForHealth } from './bench-gpsim.mjs';

const argument = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const minutes = argument('minutes', 60);
const sampleS = argument('sample-s', 60);
const clients = argument('clients', 8);

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = startBenchGpsim(port, { args: ['--patients-per-practice', '2000'] });
const rssMiB = () =>
  Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

try {
  await waitForHealth(base);
  const manifest = await (await fetch(`${base}/__sim/fixtures`)).json();
  const backend = manifest.clients.find((client) => client.type === 'backend' && client.clientSecret);
  const token = async () => {
    const response = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${backend.clientId}:${backend.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=system%2F*.rs',
    });
    return (await response.json()).access_token;
  };
  let bearer = await token();
  const patients = manifest.archetypes.map((archetype) => archetype.nhsNumber);
  const emisPractice = manifest.practices.find((practice) => practice.system === 'emis');
  const emisPatient = manifest.archetypes.find((a) => a.ods === emisPractice.ods && a.key === 'standard').nhsNumber;
  const partner = manifest.partners.find((candidate) => candidate.name === 'gpsim-demo');
  const emis = async (method, body) =>
    (
      await fetch(`${base}/emis/partner-api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json();
  const logon = async () =>
    (
      await emis('InitializeWithID', {
        ClientId: partner.clientId,
        ClientSecret: partner.clientSecret,
        OrganisationId: emisPractice.ods,
      })
    ).Result.SessionId;
  let emisSession = await logon();
  const mailbox = (name) => manifest.mailboxes.find((m) => m.partner === name);
  const sender = mailbox('gpsim-demo');
  const recipient = mailbox('gpsim-pharmacy');
  const meshToken = (box) => {
    const nonce = randomUUID();
    const timestamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 12);
    const hmac = createHmac('sha256', manifest.mesh.sharedSecret)
      .update(`${box.id}:${nonce}:1:${box.password}:${timestamp}`)
      .digest('hex');
    return `NHSMESH ${box.id}:${nonce}:1:${timestamp}:${hmac}`;
  };
  const mesh = (box, method, path, init = {}) =>
    fetch(`${manifest.mesh.baseUrl}/messageexchange/${box.id}${path}`, {
      method,
      ...init,
      headers: { authorization: meshToken(box), accept: 'application/vnd.mesh.v2+json', ...init.headers },
    });

  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  const operations = [
    async () => {
      const response = await fetch(
        `${base}/fhir/R4/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${pick(patients)}`,
        { headers: { Authorization: `Bearer ${bearer}` } },
      );
      if (response.status === 401) bearer = await token();
      await response.arrayBuffer();
      return response.status;
    },
    async () => {
      const response = await fetch(`${base}/spine/pds/FHIR/R4/Patient/${pick(patients)}`, {
        headers: { 'X-Request-ID': randomUUID() },
      });
      await response.arrayBuffer();
      return response.status;
    },
    async () => {
      const filed = await emis('FileRecord', {
        SessionId: emisSession,
        NhsNumber: emisPatient,
        IdempotencyKey: randomUUID(),
        Consultation: { Narrative: { Line: ['Soak test review'] } },
      });
      if (filed.Outcome !== 'Success') emisSession = await logon();
      return filed.Outcome === 'Success' ? 200 : 400;
    },
    async () => {
      const sent = await mesh(sender, 'POST', '/outbox', {
        headers: { 'content-type': 'application/octet-stream', 'mex-to': recipient.id, 'mex-workflowid': 'GPSIM_TEST' },
        body: Buffer.alloc(10 * 1024, 'x'),
      });
      const { message_id: id } = await sent.json();
      if (!id) return sent.status;
      await (await mesh(recipient, 'GET', `/inbox/${id}`)).arrayBuffer();
      const acked = await mesh(recipient, 'PUT', `/inbox/${id}/status/acknowledged`);
      await acked.arrayBuffer();
      return acked.status;
    },
    async () => {
      const response = await fetch(`${base}/__sim/journal?limit=50`);
      await response.arrayBuffer();
      return response.status;
    },
  ];

  const samples = [];
  let window = [];
  let errors = 0;
  let total = 0;
  const started = Date.now();
  const until = started + minutes * 60_000;
  const sampler = setInterval(() => {
    const sorted = [...window].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    const sample = {
      minute: Math.round(((Date.now() - started) / 60_000) * 100) / 100,
      rssMiB: rssMiB(),
      requests: sorted.length,
      p50Ms: Math.round(at(0.5) * 10) / 10,
      p95Ms: Math.round(at(0.95) * 10) / 10,
      errors,
      /** The machine's 1-minute load average: latency is only comparable between samples at similar load. */
      loadAverage: Math.round(loadavg()[0] * 10) / 10,
    };
    samples.push(sample);
    console.log(JSON.stringify(sample));
    window = [];
  }, sampleS * 1000);

  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      let turn = client;
      while (Date.now() < until) {
        const operation = operations[turn++ % operations.length];
        const begun = performance.now();
        try {
          const status = await operation();
          if (status >= 500) errors++;
        } catch {
          errors++;
        }
        window.push(performance.now() - begun);
        total++;
      }
    }),
  );
  clearInterval(sampler);

  const first = samples[0];
  const last = samples[samples.length - 1];
  const result = {
    what: `soak: ${clients} clients of mixed traffic for ${minutes} min, sampled every ${sampleS} s`,
    machineLoadAverage: samples.length
      ? { min: Math.min(...samples.map((s) => s.loadAverage)), max: Math.max(...samples.map((s) => s.loadAverage)) }
      : null,
    totalRequests: total,
    serverErrors: errors,
    rssGrowthMiB: last && first ? last.rssMiB - first.rssMiB : null,
    p95DriftMs: last && first ? Math.round((last.p95Ms - first.p95Ms) * 10) / 10 : null,
    samples,
  };
  writeFileSync('bench/results/soak.json', `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync('bench/results/soak.svg', plot(samples));
  console.log(JSON.stringify({ ...result, samples: undefined }));
} finally {
  server.kill('SIGTERM');
}

/** RSS (MiB, blue) and p95 latency (ms, red) against minutes, as a small self-contained SVG. */
function plot(samples) {
  const width = 640;
  const height = 320;
  const pad = 40;
  const maxMinute = Math.max(...samples.map((s) => s.minute), 1);
  const maxRss = Math.max(...samples.map((s) => s.rssMiB), 1) * 1.2;
  const maxP95 = Math.max(...samples.map((s) => s.p95Ms), 1) * 1.2;
  const x = (minute) => pad + (minute / maxMinute) * (width - 2 * pad);
  const line = (value, max) =>
    samples.map(
      (s) => `${x(s.minute).toFixed(1)},${(height - pad - (value(s) / max) * (height - 2 * pad)).toFixed(1)}`,
    );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="black"/>
<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="black"/>
<text x="${width / 2}" y="${height - 8}" text-anchor="middle">minutes (0 to ${maxMinute})</text>
<text x="${pad}" y="${pad - 8}" fill="steelblue">RSS MiB (max axis ${Math.round(maxRss)})</text>
<text x="${width - pad}" y="${pad - 8}" fill="firebrick" text-anchor="end">p95 ms (max axis ${Math.round(maxP95)})</text>
<polyline fill="none" stroke="steelblue" stroke-width="2" points="${line((s) => s.rssMiB, maxRss).join(' ')}"/>
<polyline fill="none" stroke="firebrick" stroke-width="2" points="${line((s) => s.p95Ms, maxP95).join(' ')}"/>
</svg>
`;
}
