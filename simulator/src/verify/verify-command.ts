import { readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { toJson, toJunitXml, progressLine } from './report';
import { VerifySetupError, loadCases, loadContext, runVerify } from './runner';
import type { VerifySurface } from './verify-case';
import { verifySurfaces } from './verify-case';

export interface VerifyFlags {
  target?: string;
  surface: string;
  ods?: string;
  junit?: string;
  json?: string;
  only?: string;
  bail?: boolean;
  allowWrites?: boolean;
  config?: string;
}

/** The --config file: where a real environment differs from gpsim (its manifest, its credentials). */
const VerifyConfig = z
  .object({
    target: z.string().optional(),
    ods: z.string().optional(),
    manifest: z.string().optional().describe('A manifest file (the /__sim/fixtures shape) describing the target.'),
    headers: z.record(z.string(), z.record(z.string(), z.string())).optional().describe('Extra headers per surface.'),
  })
  .strict();

function readConfig(file: string): z.infer<typeof VerifyConfig> {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new VerifySetupError(`cannot read --config ${file}: ${(error as Error).message}`);
  }
  const parsed = VerifyConfig.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new VerifySetupError(`--config ${file}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/** gpsim verify: exit 0 when every selected case passed, 1 when any failed; setup errors throw (exit 2). */
export async function verifyCommand(flags: VerifyFlags, out: NodeJS.WritableStream = process.stderr): Promise<number> {
  const config = flags.config ? readConfig(flags.config) : {};
  const target = flags.target ?? config.target;
  if (!target) throw new VerifySetupError('say what to verify: --target <base URL or manifest URL>.');
  const surfaces: readonly VerifySurface[] =
    flags.surface === 'all'
      ? verifySurfaces
      : (verifySurfaces as readonly string[]).includes(flags.surface)
        ? [flags.surface as VerifySurface]
        : [];
  if (surfaces.length === 0) {
    throw new VerifySetupError(
      `--surface must be one of ${verifySurfaces.join(', ')} or all (got "${flags.surface}").`,
    );
  }
  const manifest = config.manifest ? (JSON.parse(readFileSync(config.manifest, 'utf8')) as unknown) : undefined;
  const ods = flags.ods ?? config.ods;
  const context = await loadContext(target, {
    ...(ods ? { ods } : {}),
    ...(manifest !== undefined ? { manifest } : {}),
    ...(config.headers ? { headers: config.headers } : {}),
  });
  const only = flags.only
    ?.split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
  out.write(`gpsim verify: ${surfaces.join(', ')} against ${context.baseUrl} (practice ${context.practice.ods})\n`);
  const results = await runVerify(context, loadCases(), {
    surfaces,
    ...(only ? { only } : {}),
    bail: flags.bail ?? false,
    allowWrites: flags.allowWrites ?? false,
    onResult: (result, index, total) => out.write(progressLine(result, index, total)),
  });
  if (flags.junit) writeFileSync(flags.junit, toJunitXml(results));
  if (flags.json) writeFileSync(flags.json, `${JSON.stringify(toJson(results), null, 2)}\n`);
  const failed = results.filter((result) => result.outcome === 'failed').length;
  const skipped = results.filter((result) => result.outcome === 'skipped').length;
  out.write(`${results.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped of ${results.length}\n`);
  if (results.length === 0) {
    out.write('no case matched: check --surface and --only.\n');
    return 1;
  }
  return failed > 0 ? 1 : 0;
}
