import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stepScript, type CommandDocument } from '../../../src/documents/assemble';

/**
 * Emulates what the SSM Agent does with a Command document step, as far as a script can tell:
 * - rejects a command whose parameter value fails `allowedPattern`, matched like SSM does (an unanchored Go regexp;
 *   for these patterns JavaScript's `RegExp.test` has the same semantics);
 * - fills in defaults, substitutes `{{ Name }}` text in the script (old and current agents both do), and, for
 *   `interpolationType: ENV_VAR` on a current agent, exports `SSM_<Name>`;
 * - writes the step's lines joined with newlines to a file and runs it as `sh -c <file>` (the shebang decides the
 *   interpreter), capturing stdout and stderr.
 */
export class ParameterRejectedError extends Error {}

/** Resolves parameters as SSM would, or throws {@link ParameterRejectedError}. */
export function resolveParameters(document: CommandDocument, given: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of Object.keys(given)) {
    if (!(name in document.parameters)) throw new ParameterRejectedError(`unknown parameter ${name}`);
  }
  for (const [name, spec] of Object.entries(document.parameters)) {
    const value = given[name] ?? spec.default;
    if (value === undefined) throw new ParameterRejectedError(`missing required parameter ${name}`);
    if (!new RegExp(spec.allowedPattern).test(value)) {
      throw new ParameterRejectedError(`parameter ${name} does not match ${spec.allowedPattern}`);
    }
    values[name] = value;
  }
  return values;
}

/** The script text the agent would write for a step, after `{{ }}` substitution. */
export function renderStep(document: CommandDocument, stepName: string, values: Record<string, string>): string {
  const step = document.mainSteps.find((s) => s.name === stepName);
  if (!step) throw new Error(`document has no step ${stepName}`);
  return stepScript(step).replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

/** What one run printed and how it ended. */
export interface StepRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The last line of stdout (the result line). */
  readonly resultLine: string;
}

/** Runs a Linux step like the agent, with `env` as the agent's environment (plus SSM_* unless `legacyAgent`). */
export async function runShellStep(
  document: CommandDocument,
  stepName: string,
  given: Record<string, string>,
  env: NodeJS.ProcessEnv,
  options: { legacyAgent?: boolean; wrap?: readonly string[] } = {},
): Promise<StepRun> {
  const values = resolveParameters(document, given);
  const dir = mkdtempSync(join(tmpdir(), 'ses-smtp-rotation-agent-'));
  const file = join(dir, '_script.sh');
  writeFileSync(file, renderStep(document, stepName, values));
  chmodSync(file, 0o700);
  const ssmEnv: NodeJS.ProcessEnv = {};
  if (!options.legacyAgent) {
    for (const [name, spec] of Object.entries(document.parameters)) {
      if (spec.interpolationType === 'ENV_VAR') ssmEnv[`SSM_${name}`] = values[name];
    }
  }
  try {
    return await new Promise<StepRun>((resolve, reject) => {
      // `wrap` runs the agent's command inside another one (e.g. a private UTS/mount namespace for Sendmail).
      const [command = 'sh', ...args] = [...(options.wrap ?? []), 'sh', '-c', file];
      const child = spawn(command, args, { env: { ...env, ...ssmEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.on('error', reject);
      child.on('close', (code) => {
        const stdout = Buffer.concat(out).toString('utf8');
        const lines = stdout.trimEnd().split('\n');
        resolve({
          code,
          stdout,
          stderr: Buffer.concat(err).toString('utf8'),
          resultLine: lines[lines.length - 1] ?? '',
        });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
