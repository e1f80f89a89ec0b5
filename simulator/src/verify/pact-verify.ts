import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import type * as Pact from '@pact-foundation/pact';
import { UnknownProviderStateError, applyProviderState, parseProviderState, resetTarget } from './provider-states';
import { gpConnectHeaders } from './request-auth';
import { VerifySetupError, loadContext } from './runner';

export interface PactVerifyFlags {
  pact: string;
  target: string;
}

/** The pact files a --pact names: the file itself, or every .json file of a directory. */
export function pactFiles(path: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new VerifySetupError(`--pact ${path}: no such file or directory.`);
  }
  const files = isDirectory
    ? readdirSync(path)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => join(path, name))
    : [path];
  if (files.length === 0) throw new VerifySetupError(`--pact ${path}: the directory holds no .json pact file.`);
  return files;
}

/** Every provider state a pact names (pact spec 2 `providerState`, 3 and 4 `providerStates[].name`). */
export function providerStatesOf(pact: unknown): string[] {
  const interactions = (pact as { interactions?: unknown }).interactions;
  if (!Array.isArray(interactions)) return [];
  const states = new Set<string>();
  for (const interaction of interactions as Record<string, unknown>[]) {
    if (typeof interaction['providerState'] === 'string') states.add(interaction['providerState']);
    const list = interaction['providerStates'];
    if (Array.isArray(list)) {
      for (const entry of list as { name?: unknown }[]) if (typeof entry.name === 'string') states.add(entry.name);
    }
  }
  return [...states];
}

/**
 * gpsim pact-verify: replays consumer pacts against a gpsim with @pact-foundation/pact's Verifier.
 * Every provider state must be in the vocabulary (checked before anything runs; the Verifier itself
 * would only warn about a state it has no handler for). The target is reset before and after each
 * interaction, and its states are applied on top of one another. GP Connect requests get a fresh audit JWT
 * for the target, as `gpsim verify` sends, since the one recorded by the consumer expires and names
 * the consumer's mock server. Exit 0 when every interaction matched, 1 when any did not.
 */
export async function pactVerifyCommand(
  flags: PactVerifyFlags,
  out: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const files = pactFiles(flags.pact);
  const states = new Set<string>();
  for (const file of files) {
    let pact: unknown;
    try {
      pact = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new VerifySetupError(`${file} is not a pact file: ${(error as Error).message}`);
    }
    for (const state of providerStatesOf(pact)) states.add(state);
  }
  for (const state of states) {
    try {
      parseProviderState(state);
    } catch (error) {
      if (error instanceof UnknownProviderStateError) throw new VerifySetupError(error.message);
      throw error;
    }
  }
  const context = await loadContext(flags.target);
  let pactModule: typeof Pact;
  try {
    pactModule = await import('@pact-foundation/pact');
  } catch {
    throw new VerifySetupError(
      'gpsim pact-verify runs the Pact verifier: npm install --save-dev @pact-foundation/pact@16.0.0 next to gpsim.',
    );
  }
  // The Verifier's request filter is an express middleware; only headers and path are touched.
  const refreshGpConnectJwt = (
    request: { headers: IncomingHttpHeaders; path: string },
    _response: unknown,
    next: () => void,
  ) => {
    const interaction = request.headers['ssp-interactionid'];
    if (typeof interaction === 'string' && request.headers.authorization !== undefined) {
      request.headers.authorization = gpConnectHeaders(context, interaction, request.path).Authorization;
    }
    next();
  };
  out.write(`gpsim pact-verify: ${files.length} pact file(s) against ${context.baseUrl}\n`);
  try {
    await new pactModule.Verifier({
      provider: 'gpsim',
      providerBaseUrl: context.baseUrl,
      pactUrls: files,
      logLevel: 'error',
      requestFilter: refreshGpConnectJwt,
      // One reset around each interaction, so that an interaction naming several states gets them all.
      beforeEach: () => resetTarget(context.baseUrl),
      afterEach: () => resetTarget(context.baseUrl),
      stateHandlers: Object.fromEntries(
        [...states].map((state) => [state, () => applyProviderState(context.baseUrl, state, { reset: false })]),
      ),
    }).verifyProvider();
  } catch (error) {
    out.write(`pact verification failed: ${(error as Error).message}\n`);
    return 1;
  }
  out.write('every interaction matched\n');
  return 0;
}
