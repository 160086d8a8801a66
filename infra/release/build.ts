/**
 * `npm run release`: writes dist/release/ — the CloudFormation template, the function's lambda.zip, the SSM
 * document(s), and SHA256SUMS over them. Byte-identical for the same inputs (sources and lockfile): the template is
 * plain JSON from the construct, the zip is deterministic (zip.ts), nothing records a time or a path.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { packageRoot } from '../../src/core/package-root';
import { DEFAULT_BUNDLE } from '../lib/lambda-code';
import { releaseTemplate } from './release-stack';
import { deterministicZip } from './zip';
import { DEFAULT_DOCUMENTS_DIRECTORY } from '../lib/documents';

/** The artifact names, as the README's commands use them. */
export const RELEASE_FILES = {
  template: 'ses-smtp-rotation.template.json',
  code: 'lambda.zip',
  checksums: 'SHA256SUMS',
} as const;

/** Where `npm run release` writes unless told otherwise: dist/release/ of the package. */
function defaultOutDir(): string {
  return join(packageRoot(__dirname), 'dist', 'release');
}

/** Where the release reads from and writes to. */
export interface ReleaseOptions {
  readonly outDir?: string;
  /** The esbuild bundle (index.mjs, chunks/, legal notices). Default dist/lambda/, as `npm run bundle` writes it. */
  readonly lambdaDir?: string;
  readonly documentsDir?: string;
}

/** Builds the release; returns the written files' names and SHA-256 digests. */
export function buildRelease(options: ReleaseOptions = {}): Record<string, string> {
  const outDir = options.outDir ?? defaultOutDir();
  const lambdaDir = options.lambdaDir ?? DEFAULT_BUNDLE.outDir;
  const documentsDir = options.documentsDir ?? DEFAULT_DOCUMENTS_DIRECTORY;
  // The entry and its chunks (chunks/…): zip entry names with '/' unpack into folders, as Lambda expects.
  const bundle = readdirSync(lambdaDir, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(lambdaDir, name)).isFile())
    .map((name) => name.split(sep).join('/'))
    .sort();
  if (!bundle.includes('index.mjs')) {
    throw new Error(`${lambdaDir} holds no index.mjs: run npm run bundle first (npm run release does)`);
  }
  const files: Record<string, Buffer> = {
    [RELEASE_FILES.code]: deterministicZip(bundle.map((name) => ({ name, data: readFileSync(join(lambdaDir, name)) }))),
    [RELEASE_FILES.template]: Buffer.from(`${JSON.stringify(synthesize(), null, 2)}\n`),
  };
  for (const name of readdirSync(documentsDir).filter((file) => file.endsWith('.json'))) {
    files[name] = readFileSync(join(documentsDir, name));
  }
  const digests = Object.fromEntries(
    Object.keys(files)
      .sort()
      .map((name) => [name, createHash('sha256').update(files[name]!).digest('hex')]),
  );
  // `sha256sum -c SHA256SUMS` checks them (two spaces: text mode, as sha256sum writes).
  files[RELEASE_FILES.checksums] = Buffer.from(
    Object.entries(digests)
      .map(([name, digest]) => `${digest}  ${name}\n`)
      .join(''),
  );
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const [name, data] of Object.entries(files)) writeFileSync(join(outDir, name), data);
  return digests;
}

function synthesize(): Record<string, unknown> {
  const scratch = mkdtempSync(join(tmpdir(), 'ses-smtp-release-'));
  try {
    return releaseTemplate(scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const outDir = process.argv[2] === undefined ? defaultOutDir() : resolve(process.argv[2]);
  const digests = buildRelease({ outDir });
  for (const [name, digest] of Object.entries(digests)) process.stdout.write(`${digest}  ${name}\n`);
  process.stdout.write(`release written to ${outDir}\n`);
}
