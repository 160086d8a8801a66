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

const run = promisify(execFile);
const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ses-smtp-credential-AbCdEf';

describe('the Lambda bundle', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'ses-smtp-bundle-'));
  let server: Server;
  const requests: { target?: string; authorization?: string }[] = [];
  let port = 0;

  beforeAll(async () => {
    await run(process.execPath, ['scripts/bundle.mjs', '--outdir', outdir]);
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
  it('stays under 560 KB minified with every dependency bundled', () => {
    expect(statSync(join(outdir, 'index.js')).size).toBeLessThan(560_000);
  });

  it('leaves out the clients only the operator CLI uses (CloudWatch Logs, STS)', () => {
    const bundle = readFileSync(join(outdir, 'index.js'), 'utf8');
    expect(bundle).not.toContain('FilterLogEvents');
    expect(bundle).not.toContain('GetCallerIdentity');
  });

  it('reads the manual-consumer registry but leaves out its writes people make with the CLI', () => {
    const bundle = readFileSync(join(outdir, 'index.js'), 'utf8');
    expect(bundle).toContain('manual-consumer table');
    expect(bundle).not.toContain('TransactWriteItems');
  });

  it('signs with the environment credentials and explains a secret whose rotation is disabled', async () => {
    const script = `
      require(${JSON.stringify(join(outdir, 'index.js'))})
        .handler({ Step: 'createSecret', SecretId: ${JSON.stringify(ARN)}, ClientRequestToken: 'aaaaaaaa-bbbb-cccc-dddd-000000000001' },
                 { getRemainingTimeInMillis: () => 60000 })
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
