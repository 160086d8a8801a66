/**
 * Issue 12, class 3: one failing AWS call is reported on its own check or section — which call, which resource,
 * which region, what to grant or fix — and everything else still runs; `--json` is always one document.
 */
import { main } from '../../src/cli/main';
import { SandboxAccount } from '../../src/sandbox/account';
import { runRotation } from '../../src/sandbox/rotation-driver';
import { missingUser } from './broken-states';
import { sandboxIo } from './sandbox-cli';

interface Check {
  name: string;
  status: string;
  detail: string;
  fix?: string;
}

async function preflight(account: SandboxAccount, ...flags: string[]) {
  const io = sandboxIo(account);
  const code = await main(['preflight', '--secret-id', account.secrets.arn, '--json', ...flags], io);
  const report = JSON.parse(io.out()) as { ok: boolean; checks: Check[] };
  return { code, report, check: (name: string) => report.checks.find((c) => c.name === name)! };
}

describe('partial reports', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it('preflight reports a denied iam:ListAccessKeys on the keys check and runs the other checks', async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 2 });
    account.recorder.deny('IAM:ListAccessKeys');

    // Act
    const { code, check } = await preflight(account);

    // Assess
    expect(code).toBe(1);
    expect(check('keys')).toEqual({
      name: 'keys',
      status: 'problem',
      detail: 'AccessDenied on iam:ListAccessKeys for user ses-smtp-sender (IAM is global)',
      fix: 'grant iam:ListAccessKeys on that resource to the identity you run as (README, "Operator CLI", permissions)',
    });
    for (const name of ['secret', 'rotation', 'function', 'targets', 'document', 'smtp-endpoint']) {
      expect(check(name).status).toBe('ok');
    }
  });

  it('preflight names the region of a denied SSM call and still checks the endpoint', async () => {
    account = new SandboxAccount({ hosts: 2 });
    account.recorder.deny('SSM:DescribeInstanceInformation');

    const { check } = await preflight(account);

    expect(check('targets').detail).toBe(
      'AccessDeniedException on ssm:DescribeInstanceInformation for the managed nodes of the targeting in region eu-west-1',
    );
    expect(check('document').status).toBe('ok');
    expect(check('smtp-endpoint').status).toBe('ok');
  });

  it('preflight says the SES user does not exist', async () => {
    account = new SandboxAccount({ hosts: 1 });
    missingUser(account);

    const { code, check } = await preflight(account);

    expect(code).toBe(1);
    expect(check('keys').detail).toBe(
      'NoSuchEntityException on iam:ListAccessKeys for user ses-smtp-nobody (IAM is global)',
    );
    expect(check('keys').fix).toContain('it does not exist');
    expect(check('targets').status).toBe('ok');
  });

  it('explains a secret ARN from another region than the one called', async () => {
    account = new SandboxAccount({ hosts: 1 });
    const arn = account.secrets.arn.replace(':eu-west-1:', ':eu-central-1:');
    const io = sandboxIo(account);

    const code = await main(['preflight', '--secret-id', arn, '--region', 'eu-west-1', '--json'], io);

    expect(code).toBe(1);
    const report = JSON.parse(io.out()) as { checks: Check[] };
    expect(report.checks[0]).toMatchObject({
      name: 'secret',
      status: 'problem',
      detail: `ResourceNotFoundException on secretsmanager:DescribeSecret for secret ${arn} in region eu-west-1`,
      fix: expect.stringContaining('the secret ARN is in eu-central-1 but the call went to eu-west-1'),
    });
    expect(report.checks.slice(1).every((c) => c.status === 'skipped')).toBe(true);
  });

  it('status reports a denied ssm:ListCommands in its section and still shows the keys', async () => {
    account = new SandboxAccount({ hosts: 2 });
    await runRotation(account, { handler: { probe: account.sesProbe() } });
    account.recorder.deny('SSM:ListCommands');
    const io = sandboxIo(account);

    const code = await main(['status', '--secret-id', account.secrets.arn, '--json'], io);

    expect(code).toBe(1);
    const report = JSON.parse(io.out()) as { problems: string[]; keys: unknown[]; push: unknown; state: string };
    expect(report.problems).toContain(
      'AccessDeniedException on ssm:ListCommands for the commands of document ses-smtp-rotation-UpdateRelayCredential in region eu-west-1',
    );
    expect(report.keys).toHaveLength(1);
    expect(report.push).toBeNull();
    expect(report.state).toBe('attention');
  });

  it('status prints a JSON document with every key when the secret cannot be described', async () => {
    account = new SandboxAccount({ hosts: 1 });
    account.recorder.deny('SecretsManager:DescribeSecret');
    const io = sandboxIo(account);

    const code = await main(['status', '--secret-id', account.secrets.arn, '--json'], io);

    expect(code).toBe(1);
    const report = JSON.parse(io.out()) as Record<string, unknown>;
    expect(report).toMatchObject({ secret: null, state: 'attention', error: null });
    expect(report.problems).toEqual([
      `AccessDeniedException on secretsmanager:DescribeSecret for secret ${account.secrets.arn} in region eu-west-1`,
    ]);
  });

  it('rotate --json reports a denied RotateSecret as one document, with the permissions to grant', async () => {
    account = new SandboxAccount({ hosts: 1 });
    account.recorder.deny('SecretsManager:RotateSecret');
    const io = sandboxIo(account);

    const code = await main(['rotate', '--secret-id', account.secrets.arn, '--json'], io);

    expect(code).toBe(1);
    const report = JSON.parse(io.out()) as { outcome: string; problems: string[]; error: { kind: string } };
    expect(report.outcome).toBe('aws-error');
    expect(report.error.kind).toBe('aws');
    expect(report.problems[0]).toContain('on secretsmanager:RotateSecret for secret');
    expect(report.problems[0]).toContain('lambda:InvokeFunction on arn:aws:lambda:eu-west-1');
  });
});
