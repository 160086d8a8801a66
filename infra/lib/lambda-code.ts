import * as lambda from 'aws-cdk-lib/aws-lambda';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigurationError } from '../../src/core/errors';

const ROOT = resolve(__dirname, '..', '..');

/** Where `scripts/bundle.mjs` reads and writes by default. */
export const DEFAULT_BUNDLE = {
  script: resolve(ROOT, 'scripts', 'bundle.mjs'),
  entry: resolve(ROOT, 'src', 'handler.ts'),
  outDir: resolve(ROOT, 'dist', 'lambda'),
} as const;

/** What to bundle and where to. */
export interface BundleOptions {
  readonly entry?: string;
  readonly outDir?: string;
}

/** The bundle could not be built: the message says what to do. */
export class LambdaBundleError extends ConfigurationError {}

// One bundle per output directory per process: two constructs in one app share it.
const built = new Set<string>();

/**
 * Bundles the Lambda entry with `scripts/bundle.mjs` (esbuild, every dependency inlined) and returns it as
 * asset code. Runs at synth time, so `cdk synth` works from a fresh clone after `npm ci` without a separate step.
 */
export function bundledLambdaCode(options: BundleOptions = {}): lambda.Code {
  const entry = options.entry ?? DEFAULT_BUNDLE.entry;
  const outDir = options.outDir ?? DEFAULT_BUNDLE.outDir;
  if (!built.has(outDir)) {
    if (!existsSync(entry)) {
      throw new LambdaBundleError(
        `the Lambda entry ${entry} does not exist: restore it or pass the construct's code prop`,
      );
    }
    try {
      execFileSync(process.execPath, [DEFAULT_BUNDLE.script, '--entry', entry, '--outdir', outDir], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? '';
      throw new LambdaBundleError(`bundling ${entry} failed (run npm run bundle to see why): ${stderr}`, {
        cause: error,
      });
    }
    built.add(outDir);
  }
  return lambda.Code.fromAsset(outDir);
}
