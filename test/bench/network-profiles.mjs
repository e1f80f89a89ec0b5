// npm run bench:network: the standard archetype's SystmOne GetPatientRecord over HTTP under each
// network profile, side by side with the Internet SystmOne guide's "Patient Retrieval" row.
// Run `npm run build` first (npm test does).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startBenchGpsim, waitForHealth } from './bench-gpsim.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'simulator', 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('bench:network: simulator/dist is missing; run "npm run build" first.');
  process.exit(2);
}
const { networkProfiles } = await import(join(root, 'simulator', 'dist', 'faults', 'network-profiles.js'));
const SAMPLES = 5;
const port = 43300;
const base = `http://127.0.0.1:${port}`;
const server = startBenchGpsim(port, { args: ['--store', 'memory'] });
try {
  await waitForHealth(base);
  const manifest = await (await fetch(`${base}/__sim/fixtures`)).json();
  const demo = manifest.partners.find((partner) => partner.name === 'gpsim-demo');
  const ods = manifest.practices.find((practice) => practice.system === 'systmone').ods;
  const nhsNumber = manifest.archetypes.find((a) => a.ods === ods && a.key === 'standard').nhsNumber;
  const document =
    `<ClientIntegrationRequest><RequestUID>bench</RequestUID><Function>GetPatientRecord</Function>` +
    `<APIKey>${demo.apiKey}</APIKey><DeviceID>${demo.deviceId}</DeviceID><DeviceVersion>1</DeviceVersion>` +
    `<FunctionVersion>1.0</FunctionVersion><FunctionParameters><Identity><NhsNumber>${nhsNumber}</NhsNumber>` +
    `</Identity></FunctionParameters></ClientIntegrationRequest>`;
  const read = async () => {
    // The API allows one record read per patient per device every 30 s: move the simulated clock.
    await fetch(`${base}/__sim/clock`, { method: 'POST', body: JSON.stringify({ advance: 'PT31S' }) });
    const started = performance.now();
    const response = await fetch(`${base}/systmone/${ods}/client-integration`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: document,
    });
    const bytes = (await response.arrayBuffer()).byteLength;
    if (response.status !== 200) throw new Error(`GetPatientRecord answered ${response.status}`);
    return { ms: performance.now() - started, bytes };
  };
  for (let i = 0; i < 5; i++) await read();
  const rows = [];
  for (const [profile, model] of Object.entries(networkProfiles)) {
    await fetch(`${base}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ match: { surface: 'systmone' }, fault: { kind: 'network', profile } }),
    });
    const samples = [];
    let bytes = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const sample = await read();
      samples.push(sample.ms);
      bytes = sample.bytes;
    }
    await fetch(`${base}/__sim/faults`, { method: 'DELETE' });
    samples.sort((a, b) => a - b);
    const medianS = samples[Math.floor(SAMPLES / 2)] / 1000;
    const deviation = (medianS - model.patientRetrievalS) / model.patientRetrievalS;
    rows.push({
      profile,
      bandwidth: `${model.bitsPerSecond / 1000} Kbps`,
      latency: `${model.latencyMs} ms`,
      'guide retrieval (s)': model.patientRetrievalS.toFixed(2),
      'gpsim median (s)': medianS.toFixed(3),
      deviation: `${(deviation * 100).toFixed(1)}%`,
      'within ±15%': Math.abs(deviation) <= 0.15 ? 'yes' : 'NO',
      'body bytes': bytes,
    });
  }
  console.table(rows);
  if (rows.some((row) => row['within ±15%'] !== 'yes')) process.exitCode = 1;
} finally {
  server.kill('SIGTERM');
}
