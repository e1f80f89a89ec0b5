#!/usr/bin/env node
import cluster from 'node:cluster';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, Option } from 'commander';
import { reportWorkerReady, runCluster, workerOptions } from './cluster';
import type { GpsimOptions } from './config/options';
import { OptionError, optionSpecs, resolveOptions } from './config/options';
import { buildManifest } from './control/manifest';
import { artefactText, publishedArtefacts } from './control/published-contracts';
import { normaliseNhsNumber } from './domain/nhs-number';
import { Engine } from './engine';
import { DEFAULT_ESTATE_SPEC } from './population/estate-generator';
import { Population } from './population/population';
import { createLogger, gpsimVersion, startGpsim } from './main';
import { SqliteStore } from './store/sqlite/sqlite-store';
import type { PactVerifyFlags } from './verify/pact-verify';
import { pactVerifyCommand } from './verify/pact-verify';
import { VerifySetupError } from './verify/runner';
import type { VerifyFlags } from './verify/verify-command';
import { verifyCommand } from './verify/verify-command';

type FlagValues = Partial<Record<keyof GpsimOptions, string>> & { config?: string };

function withEstateOptions(command: Command): Command {
  for (const spec of optionSpecs) {
    command.addOption(new Option(spec.flag, `${spec.description} [env ${spec.env}]`));
  }
  command.addOption(new Option('--config <file>', 'YAML file of option names and values [env GPSIM_CONFIG]'));
  return command;
}

function optionsFrom(flags: FlagValues): GpsimOptions {
  const { config, ...rest } = flags;
  return resolveOptions({ flags: rest, env: process.env, configFile: config ?? process.env.GPSIM_CONFIG });
}

/** Builds the estate in this process, without listening, for commands that only read it. */
function offlineEngine(options: GpsimOptions): Engine {
  const engine = new Engine({
    estate: {
      seed: options.seed,
      practices: options.practices,
      patientsPerPractice: options.patientsPerPractice,
      populationDate: options.populationDate,
    },
    store: new SqliteStore(':memory:'),
    logger: createLogger('silent'),
    version: gpsimVersion(),
    journalCapacity: 1,
    patientCacheSize: options.patientCache,
    recordCacheSize: options.recordCache,
  });
  const base = options.publicUrl ?? `http://${options.host}:${options.port}`;
  engine.nodes = [{ name: 's11', url: base }];
  if (options.backupPort !== null)
    engine.nodes.push({ name: 's12', url: `http://${options.host}:${options.backupPort}` });
  return engine;
}

function defaultUrl(): string {
  return `http://127.0.0.1:${process.env.GPSIM_PORT ?? 4100}`;
}

async function callRunning(url: string, path: string, init: RequestInit = {}): Promise<unknown> {
  const adminToken = process.env.GPSIM_ADMIN_TOKEN;
  const headers = new Headers(init.headers);
  // A gpsim listening beyond loopback wants its admin token on control API calls.
  if (adminToken) headers.set('X-Gpsim-Admin-Token', adminToken);
  let response: Response;
  try {
    response = await fetch(`${url.replace(/\/+$/, '')}${path}`, { ...init, headers });
  } catch {
    throw new OptionError(`no gpsim answered at ${url}; start one with "gpsim start" or pass --url.`);
  }
  const body = (await response.json()) as unknown;
  if (!response.ok) throw new OptionError(`gpsim at ${url} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

export function buildProgram(): Command {
  const program = new Command('gpsim')
    .description(
      'A deterministic sandbox of the UK GP systems: GP Connect, partner APIs, MESH and context launch over a fictitious estate.',
    )
    .version(gpsimVersion());

  withEstateOptions(program.command('start').description('start gpsim (nodes s11 and s12) over the estate')).action(
    async (flags: FlagValues) => {
      const options = cluster.isWorker ? workerOptions() : optionsFrom(flags);
      if (cluster.isPrimary && options.workers > 1) {
        await runCluster(options, createLogger(options.logLevel));
        return;
      }
      const running = await startGpsim(options);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) process.exit(1);
        stopping = true;
        running.engine.logger.info({ signal }, 'gpsim stopping: finishing in-flight requests');
        running.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      if (cluster.isWorker) {
        // Ctrl-C reaches the whole process group; the primary turns it into one SIGTERM per worker.
        process.on('SIGINT', () => undefined);
        reportWorkerReady(running.engine.nodes);
      } else {
        process.on('SIGINT', () => stop('SIGINT'));
      }
    },
  );

  withEstateOptions(
    program
      .command('fixtures')
      .description('print the estate manifest (from a running gpsim with --url, else computed here)')
      .option('--url <url>', 'read it from the gpsim running at this URL'),
  ).action(async (flags: FlagValues & { url?: string }) => {
    const { url, ...rest } = flags;
    const manifest = url
      ? await callRunning(url, '/__sim/fixtures')
      : await buildManifest(offlineEngine(optionsFrom(rest)));
    process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  });

  program
    .command('reset')
    .description('return a running gpsim to its seed state (changes dropped, clock back to wall time)')
    .option('--url <url>', 'the gpsim to reset', defaultUrl())
    .option('--seed <seed>', 'rebuild the estate from this seed')
    .action(async (flags: { url: string; seed?: string }) => {
      const result = await callRunning(flags.url, '/__sim/reset', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(flags.seed ? { seed: flags.seed } : {}),
      });
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });

  withEstateOptions(
    program
      .command('patient')
      .description('print a patient of the estate as computed from the seed')
      .argument('<nhsNumber>', 'NHS number (spaces allowed)')
      .option('--record', 'include the coded clinical record'),
  ).action((nhsNumber: string, flags: FlagValues & { record?: boolean }) => {
    const { record, ...rest } = flags;
    const engine = offlineEngine(optionsFrom(rest));
    const digits = normaliseNhsNumber(nhsNumber);
    const found = digits ? engine.population.byNhsNumber(digits) : undefined;
    if (!found)
      throw new OptionError(
        `no patient with NHS number ${nhsNumber} in this estate (seed ${engine.population.estate.spec.seed}).`,
      );
    const output = record ? { patient: found.patient, record: engine.population.record(found.patient) } : found.patient;
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  });

  program
    .command('contracts')
    .description(
      'write the published contracts (OpenAPI 3.1, JSON Schemas, CapabilityStatements) of the default estate',
    )
    .option('--out <dir>', 'directory to write them to', 'contracts/generated')
    .option('--check', 'write nothing; exit 1 if the directory differs from what would be written')
    .action((flags: { out: string; check?: boolean }) => {
      const estate = new Population(DEFAULT_ESTATE_SPEC).estate;
      const drifted: string[] = [];
      for (const [file, value] of Object.entries(publishedArtefacts(gpsimVersion(), estate))) {
        const path = join(flags.out, file);
        const text = artefactText(value);
        if (flags.check) {
          if (!existsSync(path) || readFileSync(path, 'utf8') !== text) drifted.push(file);
          continue;
        }
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
      }
      if (drifted.length > 0) {
        process.stderr.write(`gpsim: published contracts drifted: ${drifted.join(', ')}; run "npm run contracts".\n`);
        process.exitCode = 1;
      }
    });

  program
    .command('verify')
    .description('run the contract cases against a target (gpsim, another version, or a supplier test environment)')
    .option('--target <url>', 'base URL, or the URL of a manifest in the /__sim/fixtures shape')
    .option('--surface <name>', 'gpconnect, mesh, systmone, emis, smart or all', 'all')
    .option('--ods <code>', 'the practice to verify (default: the first in the manifest)')
    .option('--only <tags>', 'comma-separated tags or case ids')
    .option('--bail', 'stop at the first failure')
    .option('--allow-writes', 'also run cases that change the target (bookings, sends)')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--json <file>', 'write a JSON report')
    .option('--config <file>', 'YAML: target, ods, manifest (file), headers per surface')
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await verifyCommand(flags);
    });

  program
    .command('pact-verify')
    .description('verify consumer pacts against a gpsim; provider states from the documented vocabulary')
    .requiredOption('--pact <file|dir>', 'a pact file, or a directory of them')
    .option('--target <url>', 'the gpsim to verify', defaultUrl())
    .action(async (flags: PactVerifyFlags) => {
      process.exitCode = await pactVerifyCommand(flags);
    });

  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      const message =
        error instanceof OptionError || error instanceof RangeError || error instanceof VerifySetupError
          ? error.message
          : String(error);
      process.stderr.write(`gpsim: ${message}\n`);
      process.exit(2);
    });
}
