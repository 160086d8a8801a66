/**
 * The Lambda bundle (scripts/bundle.mjs) in a fresh Node process: it loads, signs its AWS calls with the
 * credentials Lambda puts in the environment (the bundle replaces the SDK's default chain), and reports errors.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bundleFiles } from '../bench/bundle-files';

const run = promisify(execFile);
const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ses-smtp-credential-AbCdEf';

describe('the Lambda bundle', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'ses-smtp-bundle-'));
  let server: Server;
  const requests: { target?: string; authorization?: string }[] = [];
  let port = 0;
  // The bundle's files and their text, read once it is built.
  let files: ReturnType<typeof bundleFiles>;
  let code = '';

  beforeAll(async () => {
    await run(process.execPath, ['scripts/bundle.mjs', '--outdir', outdir]);
    files = bundleFiles(outdir);
    code = files.all.map((f) => readFileSync(f, 'utf8')).join('\n');
    server = createServer((req, res) => {
      requests.push({ target: req.headers['x-amz-target'] as string, authorization: req.headers.authorization });
      req.resume();
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(JSON.stringify({ ARN, Name: 'ses-smtp-credential', RotationEnabled: false, VersionIdsToStages: {} }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  }, 60_000);

  afterAll(() => {
    server.close();
    rmSync(outdir, { recursive: true, force: true });
  });

  // 474 KB before issue 14; the DynamoDB client (manual-consumer registry) and the Parameter Store copy add ~73 KB.
  it('stays under 560 KB minified with every dependency bundled, entry and chunks together', () => {
    const total = files.all.reduce((sum, f) => sum + statSync(f).size, 0);
    expect(total).toBeLessThan(560_000);
  });

  it('leaves out the clients only the operator CLI uses (CloudWatch Logs, STS)', () => {
    expect(code).not.toContain('FilterLogEvents');
    expect(code).not.toContain('GetCallerIdentity');
  });

  it('reads the manual-consumer registry but leaves out its writes people make with the CLI', () => {
    expect(code).toContain('manual-consumer table');
    expect(code).not.toContain('TransactWriteItems');
  });

  it('keeps IAM, metrics, SSM, SNS and SMTP code out of the entry, in chunks loaded on first use', () => {
    // Prepare / Act: what a cold start loads is the entry and what it imports statically.
    const atColdStart = files.atColdStart.map((f) => readFileSync(f, 'utf8')).join('\n');

    // Assess: the client every step needs is there; the rest is in chunks loaded by import().
    expect(atColdStart).toContain('DescribeSecret');
    const onFirstUse = ['CreateAccessKey', 'RotationDurationSeconds', 'SendCommand', 'PublishCommand'];
    for (const later of [...onFirstUse, 'Greeting never received', 'manual-consumer table']) {
      expect(atColdStart).not.toContain(later);
      expect(code).toContain(later);
    }
  });

  it('signs with the environment credentials and explains a secret whose rotation is disabled', async () => {
    const script = `
      import(${JSON.stringify(join(outdir, 'index.mjs'))})
        .then((m) => m.handler({ Step: 'createSecret', SecretId: ${JSON.stringify(ARN)}, ClientRequestToken: 'aaaaaaaa-bbbb-cccc-dddd-000000000001' },
                 { getRemainingTimeInMillis: () => 60000 }))
        .then(() => console.log('RESULT ok'), (e) => console.log('RESULT ' + e.name + ': ' + e.message));`;
    const { stdout, stderr } = await run(process.execPath, ['-e', script], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        AWS_SESSION_TOKEN: 'session-token-for-the-test',
        AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        SES_IAM_USER_NAME: 'ses-smtp-sender',
        SES_REGION: 'eu-west-1',
        FLEET_DOCUMENT_NAME: 'ses-smtp-rotation-update',
        FLEET_TARGET_TAGS: 'Role=smtp-relay',
      },
    });
    expect(stdout).toContain('RESULT RotationStateError: rotation is not enabled for ' + ARN);
    expect(requests).toEqual([
      {
        target: 'secretsmanager.DescribeSecret',
        authorization: expect.stringContaining('Credential=AKIAIOSFODNN7EXAMPLE/'),
      },
    ]);
    // Structured log lines (errors go to stderr), and the secret key never in them.
    expect(stderr).toMatch(/"message":"step failed".*"step":"createSecret"/);
    expect(stdout + stderr).not.toContain('wJalrXUtnFEMI');
  });
});
