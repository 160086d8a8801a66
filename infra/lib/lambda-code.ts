import * as lambda from 'aws-cdk-lib/aws-lambda';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigurationError } from '../../src/core/errors';
import { packageRoot } from '../../src/core/package-root';

const ROOT = packageRoot(__dirname);

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
 * An installed npm package carries no TypeScript and no esbuild: it ships the bundle `npm pack` built
 * (`dist/lambda/`), which is used as it is.
 */
export function bundledLambdaCode(options: BundleOptions = {}): lambda.Code {
  const entry = options.entry ?? DEFAULT_BUNDLE.entry;
  const outDir = options.outDir ?? DEFAULT_BUNDLE.outDir;
  if (options.entry === undefined && !existsSync(entry) && existsSync(join(outDir, 'index.mjs'))) {
    return lambda.Code.fromAsset(outDir);
  }
  if (!built.has(outDir)) {
    if (!existsSync(entry)) {
      throw new LambdaBundleError(
        `the Lambda entry ${entry} does not exist and no prebuilt bundle is in ${outDir}: reinstall the package, ` +
          `restore the entry, or pass the construct's code prop`,
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
