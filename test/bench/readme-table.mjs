// Writes the README's side-by-side table (between the bench:peers markers) from bench/results/peers.json,
// so the figures the README quotes are exactly what `npm run bench -- peers` measured.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const readmePath = join(root, 'README.md');
const peers = JSON.parse(readFileSync(join(root, 'bench', 'results', 'peers.json'), 'utf8'));
const START = '<!-- bench:peers:start -->';
const END = '<!-- bench:peers:end -->';

const number = (value) => (value === undefined ? '—' : Math.round(value).toLocaleString('en-GB'));
const cell = (endpoint) => {
  if (endpoint === undefined) return '—';
  if (endpoint.failed) return `failed: ${endpoint.failed.slice(0, 80)}`;
  return `${number(endpoint.requestsPerSecond)} req/s, p50 ${endpoint.p50Ms} ms, p99 ${endpoint.p99Ms} ms`;
};
const rss = (server) => Math.max(server.patientRead?.rssMiB ?? 0, server.structuredRecord?.rssMiB ?? 0) || undefined;
const { settings, machine, ratios } = peers;
const lines = [
  START,
  `Side by side in one run (\`npm run bench -- peers\`, ${peers.date.slice(0, 10)}): ${machine.cpus}-core ${machine.cpuModel}, Node ${machine.node}, autocannon ${settings.connections} connections, ${settings.warmupS} s warm-up, median of ${settings.rounds} × ${settings.durationS} s rounds interleaved across servers, load generator on the same cores. ${peers.note}`,
  '',
  '| server | GP Connect patient read | structured record (`standard`) | RSS |',
  '|---|---|---|---|',
  ...peers.servers.map((server) =>
    server.unavailable
      ? `| ${server.name} | could not run here: ${server.unavailable.slice(0, 120)} | — | — |`
      : `| ${server.name} ${server.version ?? ''}${server.note ? ` (${server.note})` : ''} | ${cell(server.patientRead)} | ${cell(server.structuredRecord)} | ${number(rss(server))} MiB |`,
  ),
  '',
  `gpsim against the fastest peer: patient read ${ratios.patientRead.toFastestPeer ?? '—'}× (${ratios.patientRead.fastestPeer ?? '—'}), structured record ${ratios.structuredRecord.toFastestPeer ?? '—'}× (${ratios.structuredRecord.fastestPeer ?? '—'}); against the bare node:http ceiling: ${ratios.patientRead.toCeiling ?? '—'} and ${ratios.structuredRecord.toCeiling ?? '—'}. Targets: ≥ 1.5× the fastest peer and ≥ 0.5 of the ceiling. gpsim does the real work (routing, SSP headers and audit JWT checked, patient resolved, access rules, audit row written, journal); the peers return fixed bytes.`,
  END,
];
const readme = readFileSync(readmePath, 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start === -1 || end === -1) throw new Error(`README.md has no ${START} ... ${END} markers`);
writeFileSync(readmePath, `${readme.slice(0, start)}${lines.join('\n')}${readme.slice(end + END.length)}`);
