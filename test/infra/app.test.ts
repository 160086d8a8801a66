import { Template } from 'aws-cdk-lib/assertions';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../../infra/lib/create-app';
import { DEFAULT_BUNDLE } from '../../infra/lib/lambda-code';
import { SesSmtpRotationStack } from '../../infra/lib/ses-smtp-rotation-stack';

const ROOT = resolve(__dirname, '..', '..');
const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as {
  app: string;
  context: Record<string, unknown>;
};

/** An environment without AWS credentials or profile: synthesis must not need them. */
function offlineEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_') && !key.startsWith('CDK_')),
  );
  return { ...env, AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

function violations(directory: string): unknown[] {
  const report = JSON.parse(readFileSync(join(directory, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations: unknown[] }[];
  };
  return report.pluginReports.flatMap((r) => r.violations);
}

describe('ready stack and app', () => {
  jest.setTimeout(180_000);

  it('has the real Lambda entry to bundle', () => {
    // Prepare / Act / Assess: the bundle tests below use src/handler.ts, not a stand-in.
    expect(existsSync(DEFAULT_BUNDLE.entry)).toBe(true);
  });

  it('bundles the handler with every dependency inlined', () => {
    // Prepare
    const outDir = mkdtempSync(join(tmpdir(), 'bundle-'));

    // Act
    execFileSync(process.execPath, [DEFAULT_BUNDLE.script, '--outdir', outDir], { cwd: ROOT, stdio: 'pipe' });
    const files = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mjs'));
    const code = files.map((f) => readFileSync(join(outDir, f), 'utf8')).join('\n');
    const exported = execFileSync(
      process.execPath,
      [
        '-e',
        `import(${JSON.stringify(join(outDir, 'index.mjs'))}).then((m) => process.stdout.write(typeof m.handler))`,
      ],
      { env: offlineEnv({ AWS_REGION: 'eu-west-1' }), stdio: ['ignore', 'pipe', 'ignore'] },
    ).toString();

    // Assess
    expect(exported).toBe('function');
    // Every import and require resolves inside the bundle (its own chunks) or to Node's built-ins.
    const external = [...code.matchAll(/(?:require\(|from\s*|import\()"([^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((m) => !m.startsWith('node:') && !m.startsWith('./'));
    // The CRT signer is an optional native add-on the SDK loads in a try/catch (SigV4a only).
    expect(external.filter((name) => name !== '@aws-sdk/signature-v4-crt')).toEqual([]);
    expect(readdirSync(outDir).sort()).toEqual(['chunks', 'index.mjs', 'index.mjs.LEGAL.txt']);
    expect(code.length).toBeLessThan(3 * 1024 * 1024);
  });

  it('synthesizes the ready stack from cdk.json context with the real bundle, clean under cdk-nag', () => {
    // Prepare
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-app-'));
    const app = createApp({ context: cdkJson.context, outdir });

    // Act
    const assembly = app.synth();
    const stack = app.node.findChild('SesSmtpRotation') as SesSmtpRotationStack;
    const template = Template.fromStack(stack);

    // Assess
    expect(violations(assembly.directory)).toEqual([]);
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0]!;
    expect(fn.Properties.Code.S3Key).toMatch(/\.zip$/);
    const document = Object.values(template.findResources('AWS::SSM::Document'))[0]!;
    expect(document.Properties.Content.mainSteps.length).toBeGreaterThanOrEqual(1);
    expect(Object.keys(template.toJSON().Outputs as object)).toEqual(
      expect.arrayContaining(['SecretArn', 'FunctionName', 'NotificationTopicArn', 'QueriesFolder', 'RotateNow']),
    );
  });

  it('runs the cdk.json app command offline as the CDK CLI would, honouring -c overrides', () => {
    // Prepare
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-cli-'));
    const [command, ...args] = cdkJson.app.split(' ') as [string, ...string[]];
    const context = {
      ...cdkJson.context,
      stackName: 'RelaysProd',
      sesRegion: 'eu-central-1',
      notificationEmails: 'ops@example.com',
    };

    // Act
    execFileSync(command, args, {
      cwd: ROOT,
      env: offlineEnv({ CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) }),
      stdio: 'pipe',
    });

    // Assess
    const template = JSON.parse(readFileSync(join(outdir, 'RelaysProd.template.json'), 'utf8')) as object;
    expect(JSON.stringify(template)).toContain('email-smtp.eu-central-1.amazonaws.com');
    expect(JSON.stringify(template)).toContain('ops@example.com');
    expect(violations(outdir)).toEqual([]);
  });

  it('refuses to synthesize without the required context and says which key to pass', () => {
    // Prepare / Act / Assess
    expect(() => createApp({ context: { fleetTags: 'Role=relay' } })).toThrow(/pass -c identities=/);
  });
});
