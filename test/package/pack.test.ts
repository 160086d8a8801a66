/**
 * The npm package as a user gets it: packed from a copy of the sources (as `npm publish` would, `prepack` included),
 * installed into an empty folder with production dependencies only, then the CLI, the demo and a four-line CDK app
 * run from that folder alone.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SIGV4_VECTORS } from '../fixtures/smtp-password-vectors';

const exec = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  devDependencies: Record<string, string>;
};
const npm = (args: string[], cwd: string) =>
  exec('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], { cwd, maxBuffer: 64 * 1024 * 1024 });
// What npm may ship: code with its declarations, the CLI, the Lambda bundle, the SSM document, README, LICENSE.
const SHIPPABLE = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^bin\/ses-smtp-rotation\.js$/,
  /^dist\/(src|infra\/lib)\/.+\.(js|d\.ts)$/,
  /^dist\/lambda\/(index|chunks\/[\w-]+)\.mjs(\.LEGAL\.txt)?$/,
  /^ssm-documents\/[^/]+\.json$/,
];

describe('the npm package', () => {
  const work = mkdtempSync(join(tmpdir(), 'ses-smtp-pack-'));
  const app = join(work, 'app');
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', CI: 'true' };
  let files: string[] = [];
  const cli = (args: string[], input?: string) => {
    const child = exec(join(app, 'node_modules', '.bin', 'ses-smtp-rotation'), args, { cwd: app, env });
    if (input !== undefined) child.child.stdin?.end(input);
    return child;
  };

  beforeAll(async () => {
    // A copy of what `npm pack` reads, so building it never races the working tree's dist/.
    const source = join(work, 'source');
    for (const entry of [
      'package.json',
      'package-lock.json',
      'README.md',
      'LICENSE',
      'tsconfig.json',
      'tsconfig.build.json',
      'bin',
      'src',
      'infra/lib',
      'ssm-documents',
      'scripts',
    ]) {
      cpSync(join(ROOT, entry), join(source, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
    const { stdout } = await npm(['pack', '--json', '--pack-destination', work], source);
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    files = packed!.files.map((f) => f.path);
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    await npm(['install', '--omit=dev', join(work, packed!.filename)], app);
  }, 600_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ships only code with its type declarations, the CLI, the Lambda bundle, the SSM document, README and LICENSE', () => {
    expect(files.filter((path) => !SHIPPABLE.some((pattern) => pattern.test(path)))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/ses-smtp-rotation.js',
        'dist/infra/lib/index.d.ts',
        'dist/src/cli/main.js',
        'dist/lambda/index.mjs',
        'ssm-documents/ses-smtp-rotation-update.json',
        'README.md',
        'LICENSE',
      ]),
    );
  });

  it('installs without any development dependency', () => {
    const installed = JSON.parse(readFileSync(join(app, 'node_modules', '.package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    const names = Object.keys(installed.packages).map((path) => path.replace(/^.*node_modules\//, ''));
    expect(names.filter((name) => name in manifest.devDependencies)).toEqual([]);
  });

  it('prints its version', async () => {
    const { stdout } = await cli(['--version']);
    expect(stdout.trim()).toBe(manifest.version);
  });

  it('derives an SMTP password from a secret key on stdin', async () => {
    const vector = SIGV4_VECTORS[4]!; // AWS's documented example key (40 characters)
    const { stdout } = await cli(['derive', '--region', vector.region], `${vector.secretAccessKey}\n`);
    expect(stdout).toContain(vector.password);
  });

  it('runs the offline demo to its proof', async () => {
    const { stdout } = await cli(['demo', '--hosts', '4', '--json']);
    const report = JSON.parse(stdout) as { ok: boolean; proof: { hostsAuthenticated: number } };
    expect(report).toMatchObject({ ok: true, proof: { hostsAuthenticated: 4 } });
  }, 60_000);

  describe('in a CDK app', () => {
    // The CDK libraries are the app's own (optional peer dependencies of the package).
    beforeAll(async () => {
      const peers = ['aws-cdk-lib', 'constructs', 'cdk-nag'].map((name) => `${name}@${manifest.devDependencies[name]}`);
      await npm(['install', '--omit=dev', ...peers], app);
    }, 300_000);

    it('synthesizes a four-line CDK app that imports the construct', async () => {
      // Prepare
      writeFileSync(
        join(app, 'app.js'),
        [
          "const { App, Stack } = require('aws-cdk-lib');",
          "const { SesSmtpRotation } = require('ses-smtp-rotation');",
          "const stack = new Stack(new App({ outdir: 'cdk.out' }), 'Relays');",
          "new SesSmtpRotation(stack, 'Rotation', { sending: { identities: ['example.com'] }, fleet: { tags: { Role: ['smtp-relay'] } } });",
          'stack.node.root.synth();',
        ].join('\n'),
      );
      // Act
      await exec(process.execPath, ['app.js'], { cwd: app, env });
      // Assess
      const template = JSON.parse(readFileSync(join(app, 'cdk.out', 'Relays.template.json'), 'utf8')) as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      };
      const types = Object.values(template.Resources).map((r) => r.Type);
      expect(types).toEqual(
        expect.arrayContaining([
          'AWS::Lambda::Function',
          'AWS::SSM::Document',
          'AWS::SecretsManager::RotationSchedule',
        ]),
      );
      const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
      expect(fn?.Properties.Runtime).toBe('nodejs22.x');
    }, 120_000);

    it('gives TypeScript the props types through its exports', async () => {
      // Prepare: a missing required prop must be a type error, or the types are `any` and prove nothing.
      writeFileSync(
        join(app, 'typed.ts'),
        [
          "import { App, Stack } from 'aws-cdk-lib';",
          "import { SesSmtpRotation, type SesSmtpRotationProps } from 'ses-smtp-rotation';",
          "const props: SesSmtpRotationProps = { sending: { identities: ['example.com'] }, fleet: { maxErrors: '0' } };",
          "new SesSmtpRotation(new Stack(new App(), 'Typed'), 'Rotation', props);",
          '// @ts-expect-error sending is required',
          'export const incomplete: SesSmtpRotationProps = { fleet: {} };',
        ].join('\n'),
      );
      const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const flags = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--skipLibCheck'];
      // Act: tsc prints its diagnostics on stdout and nothing when the program type-checks
      const diagnostics = await exec(process.execPath, [tsc, ...flags, 'typed.ts'], { cwd: app }).then(
        ({ stdout }) => stdout,
        (error: { stdout?: string; message: string }) => error.stdout || error.message,
      );
      // Assess
      expect(diagnostics).toBe('');
    }, 120_000);
  });
});
