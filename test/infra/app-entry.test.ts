import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as {
  app: string;
  context: Record<string, unknown>;
};

/** Runs the cdk.json app command as `cdk synth` would (CLI keys included), offline. */
function synth(context: Record<string, unknown>) {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-entry-'));
  const [command, ...args] = cdkJson.app.split(' ') as [string, ...string[]];
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_') && !key.startsWith('CDK_')),
  );
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env: {
      ...env,
      AWS_EC2_METADATA_DISABLED: 'true',
      CDK_OUTDIR: outdir,
      // What the CDK CLI adds to the project's context (observed with the pinned CLI).
      CDK_CONTEXT_JSON: JSON.stringify({
        ...cdkJson.context,
        'aws:cdk:enable-path-metadata': true,
        'aws:cdk:enable-asset-metadata': true,
        'aws:cdk:version-reporting': true,
        'aws:cdk:bundling-stacks': ['**'],
        '@aws-cdk/core:failSynthOnValidationErrors': true,
        ...context,
      }),
    },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout, outdir };
}

describe('app entry (infra/bin/app.ts)', () => {
  jest.setTimeout(120_000);

  it('fails a misspelt context key with one line on stderr, exit 2, no stack trace and no assembly', () => {
    // Prepare / Act
    const run = synth({ fleetTag: 'Role=relay' });

    // Assess
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'ses-smtp-rotation: unknown context key fleetTag: did you mean fleetTags? Fix or remove it in cdk.json, ' +
        'cdk.context.json or the -c options (README "Deploying (AWS CDK)")\n',
    );
    expect(existsSync(join(run.outdir, 'manifest.json'))).toBe(false);
  });

  it('fails a bad value with one line naming the key and the allowed values', () => {
    // Prepare / Act
    const run = synth({ smtpPort: '25' });

    // Assess
    expect(run.status).toBe(2);
    const lines = run.stderr.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ses-smtp-rotation: context key smtpPort: .* is 25: use 587 .* or 465/);
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+|ConfigurationError|\^/);
  });
});
