#!/usr/bin/env node
// Bundles the rotation Lambda (src/handler.ts) into dist/lambda/index.mjs (+ chunks/) with esbuild.
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
  outdir,
  // An ES module with code splitting: what the handler reaches through import() (the SSM push, the SMTP probe,
  // SNS) goes to chunks loaded on first use, so a cold start parses only what its first step needs. Lambda runs
  // index.mjs as an ES module; `index.handler` finds it.
  entryNames: 'index',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
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
  // bowser parses a browser's user agent; the SDK imports it only in a browser (see no-browser-parser.ts).
  alias: {
    '@aws-sdk/credential-provider-node': resolve(root, 'src/aws/lambda-credentials.ts'),
    bowser: resolve(root, 'src/aws/no-browser-parser.ts'),
  },
});

const bytes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith('.mjs'))
  .reduce((sum, [, output]) => sum + output.bytes, 0);
console.error(
  `bundle: ${relative(root, entry)} -> ${relative(root, outdir)}/index.mjs and chunks (${Math.round(bytes / 1024)} KiB)`,
);
