/**
 * Issue 12, class 1: the CLI's advice is the function's own decision. The key of an unfinished rotation is never
 * "safe to delete", and a secret the function would refuse makes preflight "not ready" and status "needs
 * attention", with the very message the function fails with.
 */
import { main } from '../../src/cli/main';
import { SandboxAccount } from '../../src/sandbox/account';
import { runRotation } from '../../src/sandbox/rotation-driver';
import { refusedSecret, unfinishedRotation } from './broken-states';
import { leakedSecrets, printed, sandboxIo } from './sandbox-cli';

interface Check {
  name: string;
  status: string;
  detail: string;
  fix?: string;
}

async function preflight(account: SandboxAccount) {
  const io = sandboxIo(account);
  const code = await main(['preflight', '--secret-id', account.secrets.arn, '--json'], io);
  const report = JSON.parse(io.out()) as { ok: boolean; checks: Check[] };
  return { code, io, report, check: (name: string) => report.checks.find((c) => c.name === name)! };
}

async function status(account: SandboxAccount) {
  const io = sandboxIo(account);
  const code = await main(['status', '--secret-id', account.secrets.arn, '--json'], io);
  return { code, io, report: JSON.parse(io.out()) as { state: string; problems: string[]; next: string[] } };
}

describe('advice from the function’s own logic', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it('never calls the key of an unfinished rotation safe to delete', async () => {
    // Prepare: AWSPENDING holds a new, never-used key; the console key is still in use (no AWSCURRENT credential).
    account = new SandboxAccount({ hosts: 2 });
    await unfinishedRotation(account);
    const pendingKey = 'AKIA…0002';

    // Act
    const { code, check, io } = await preflight(account);
    const text = await main(['status', '--secret-id', account.secrets.arn], sandboxIo(account));

    // Assess
    expect(code).toBe(1);
    expect(check('keys').status).toBe('problem');
    expect(check('keys').detail).toContain(`${pendingKey} belongs to the unfinished rotation (AWSPENDING)`);
    expect(check('keys').fix).toContain('do not delete the pending key');
    expect(`${check('keys').detail} ${check('keys').fix}`).not.toMatch(/safe to delete/);
    expect(text).toBe(1);
    expect(leakedSecrets(account, printed(io))).toEqual([]);
  });

  it('says "not ready" with the function’s reason when the secret records another region, and the function fails with it', async () => {
    account = new SandboxAccount({ hosts: 2, initialSecret: 'settings' });
    refusedSecret(account);

    const { code, check } = await preflight(account);
    const run = await runRotation(account, {
      handler: { probe: account.sesProbe() },
      maxAttempts: 1,
    });

    expect(code).toBe(1);
    expect(check('function').status).toBe('problem');
    const reason = run.invocations.find((i) => i.result === 'failed')?.error?.message;
    expect(reason).toContain('region: the secret says eu-west-1, the rotation Lambda is configured with us-east-1');
    expect(check('function').detail).toBe(`the rotation function would refuse this secret: ${reason}`);
  });

  it('says "not ready" when EXPECTED_SECRET_ARN names another secret, in the function’s words', async () => {
    account = new SandboxAccount({ hosts: 2 });
    const other = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:another-AbCdEf';
    account.lambda.overrides = { EXPECTED_SECRET_ARN: other };

    const { code, check } = await preflight(account);
    const io = sandboxIo(account);
    const printedText = await main(['preflight', '--secret-id', account.secrets.arn], io);

    expect(code).toBe(1);
    expect(check('function').detail).toBe(
      `the rotation function would refuse this secret: this function rotates ${other} only (EXPECTED_SECRET_ARN) and refuses to act on another secret`,
    );
    expect(printedText).toBe(1);
    expect(io.out()).toMatch(/not ready: \d+ problems? found/);
  });

  it('shows a problem in status when the function would refuse the secret', async () => {
    account = new SandboxAccount({ hosts: 2, initialSecret: 'settings' });
    refusedSecret(account);

    const { code, report } = await status(account);

    expect(code).toBe(1);
    expect(report.state).toBe('attention');
    expect(report.problems).toContainEqual(
      expect.stringContaining(
        'the rotation function would refuse this secret: the secret and the rotation Lambda disagree',
      ),
    );
  });

  it('reports the region and endpoint a settings-only secret holds', async () => {
    account = new SandboxAccount({ hosts: 1, initialSecret: 'settings' });

    const { code, report } = await status(account);

    expect(code).toBe(0);
    expect((report as unknown as { current: unknown }).current).toMatchObject({
      content: 'settings',
      region: 'eu-west-1',
      endpoint: 'email-smtp.eu-west-1.amazonaws.com',
      port: 587,
      iamUserName: 'ses-smtp-sender',
      keyId: null,
    });
  });
});
