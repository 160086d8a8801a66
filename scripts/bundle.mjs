#!/usr/bin/env node
// Bundles the rotation Lambda (src/handler.ts) into dist/lambda/index.js with esbuild.
//
// Everything is bundled, the AWS SDK included: the function then runs the SDK version this repository tested,
// not whatever the Lambda runtime happens to ship. Tree-shaking keeps only the clients the handler imports.
//
// Usage: node scripts/bundle.mjs [--entry <file.ts>] [--outdir <dir>]
// The CDK construct runs this script at synth time; `npm run bundle` runs it by hand.
import { build } from 'esbuild';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    entry: { type: 'string', default: resolve(root, 'src/handler.ts') },
    outdir: { type: 'string', default: resolve(root, 'dist/lambda') },
  },
});
const entry = resolve(values.entry);
const outdir = resolve(values.outdir);

if (!existsSync(entry)) {
  console.error(`bundle: entry ${relative(root, entry)} does not exist: nothing to bundle (pass --entry <file>)`);
  process.exit(1);
}

// A clean directory: the whole directory becomes the Lambda asset, so stale files must not ride along.
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const result = await build({
  entryPoints: [entry],
  outfile: resolve(outdir, 'index.js'),
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // Prefer the ES module builds of the SDK and Powertools: they tree-shake far better than their CJS builds.
  mainFields: ['module', 'main'],
  minify: true,
  // Keeps function and class names in stack traces and in `error.name` of custom errors.
  keepNames: true,
  treeShaking: true,
  sourcemap: false,
  legalComments: 'external',
  metafile: true,
  logLevel: 'warning',
  // Inside Lambda the credentials are always in environment variables: leave out the rest of the default chain.
  alias: { '@aws-sdk/credential-provider-node': resolve(root, 'src/aws/lambda-credentials.ts') },
});

const bytes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith('.js'))
  .reduce((sum, [, output]) => sum + output.bytes, 0);
console.error(
  `bundle: ${relative(root, entry)} -> ${relative(root, outdir)}/index.js (${Math.round(bytes / 1024)} KiB)`,
);
