import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** The packaging tests' tools: a promisified execFile, the repository root and its TypeScript compiler. */
export const run = promisify(execFile);
export const root = resolve(__dirname, '..', '..');
export const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

export interface PackResult {
  filename: string;
  files: { path: string }[];
}

/** `npm pack` of one workspace into `destination` (or only its file list, with `dryRun`). */
export async function pack(workspace: string, destination: string, dryRun = false): Promise<PackResult> {
  const args = ['pack', '--json', '--pack-destination', destination, ...(dryRun ? ['--dry-run'] : [])];
  const { stdout } = await run('npm', args, { cwd: join(root, workspace) });
  return (JSON.parse(stdout) as PackResult[])[0] as PackResult;
}
