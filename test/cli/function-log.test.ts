/**
 * Issue 12, class 2: a rotation that fails before the push (SES answers 535 in testSecret) is visible: `rotate
 * --wait` and `status` read the function's own "step failed" line from its log group and show step, reason and
 * fix; a log that cannot be read is a warning, not an abort.
 */
import { main } from '../../src/cli/main';
import { SandboxAccount } from '../../src/sandbox/account';
import { failedTestSecret, rejectingProbe } from './broken-states';
import { leakedSecrets, printed, rotateOnRequest, sandboxIo, settleThenRestore } from './sandbox-cli';

describe('failures before the push', () => {
  let account: SandboxAccount;
  let rotations: ReturnType<typeof rotateOnRequest> | undefined;
  afterEach(async () => {
    await settleThenRestore(account, rotations);
    rotations = undefined;
  });

  it('rotate --wait stops at a failed testSecret with step, reason and fix, and exits 1', async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 2 });
    rotations = rotateOnRequest(account, { handler: { probe: rejectingProbe() }, maxAttempts: 1 });
    const io = sandboxIo(account);

    // Act
    const code = await main(['rotate', '--secret-id', account.secrets.arn, '--wait'], io);

    // Assess
    expect(code).toBe(1);
    const err = io.err();
    expect(err).toMatch(/error: rotation failed before the push: step testSecret failed at 2025-/);
    expect(err).toContain('SmtpAuthRejectedError: 535 Authentication Credentials Invalid');
    expect(err).toContain('fix: fix the SMTP check');
    expect(err.match(/fix: /g)).toHaveLength(1);
    expect(err).toContain("(from the function's log group SesSmtpRotation-FunctionLogs)");
    expect(err).toContain('every host still holds a working key');
    expect(account.recorder.calls.some((c) => c.operation === 'FilterLogEvents')).toBe(true);
    expect(leakedSecrets(account, printed(io))).toEqual([]);
  });

  it('rotate --wait --json puts the failure in the document', async () => {
    account = new SandboxAccount({ hosts: 2 });
    rotations = rotateOnRequest(account, { handler: { probe: rejectingProbe() }, maxAttempts: 1 });
    const io = sandboxIo(account);

    const code = await main(['rotate', '--secret-id', account.secrets.arn, '--wait', '--json'], io);

    expect(code).toBe(1);
    const report = JSON.parse(io.out()) as Record<string, unknown>;
    expect(report).toMatchObject({
      outcome: 'step-failed',
      failure: { step: 'testSecret', errorName: 'SmtpAuthRejectedError', logGroup: 'SesSmtpRotation-FunctionLogs' },
      error: null,
    });
  });

  it('status shows the failed step of the unfinished rotation and needs attention', async () => {
    account = new SandboxAccount({ hosts: 2 });
    const run = await failedTestSecret(account);
    account.clock.advance(60_000); // still "young": without the log line this looked like a running rotation
    account.cloudWatchLogs.pageSize = 1; // the failure is on the last page: the CLI must follow nextToken

    const io = sandboxIo(account);
    const code = await main(['status', '--secret-id', account.secrets.arn], io);
    const json = sandboxIo(account);
    await main(['status', '--secret-id', account.secrets.arn, '--json'], json);

    expect(code).toBe(1);
    expect(io.out()).toContain("Last failure (the function's log)");
    expect(io.out()).toMatch(/step testSecret failed at .*: SmtpAuthRejectedError/);
    expect(io.out()).toContain('State: needs attention');
    expect(io.out()).toContain('problem: rotation failed before the push: step testSecret failed');
    expect(JSON.parse(json.out())).toMatchObject({
      state: 'attention',
      failure: { step: 'testSecret', errorName: 'SmtpAuthRejectedError' },
    });
    expect(account.cloudWatchLogs.lines('SesSmtpRotation-FunctionLogs').join('\n')).toContain(run.token);
    expect(leakedSecrets(account, printed(io))).toEqual([]);
  });

  it('degrades to a warning when the log read is denied, and still follows the rotation', async () => {
    account = new SandboxAccount({ hosts: 2 });
    account.recorder.deny('CloudWatchLogs:FilterLogEvents');
    rotations = rotateOnRequest(account);
    const io = sandboxIo(account);

    const code = await main(['rotate', '--secret-id', account.secrets.arn, '--wait'], io);

    expect(code).toBe(0);
    expect(io.out()).toContain('rotation complete');
    expect(io.err()).toContain(
      "warning: could not read the function's log (AccessDeniedException on logs:FilterLogEvents for log group SesSmtpRotation-FunctionLogs in region eu-west-1",
    );
    expect(io.err().match(/could not read the function's log/g)).toHaveLength(1);
  });

  it('status warns when the log group does not exist', async () => {
    account = new SandboxAccount({ hosts: 2 });
    await failedTestSecret(account);
    account.cloudWatchLogs.deleteLogGroup('SesSmtpRotation-FunctionLogs');

    const io = sandboxIo(account);
    await main(['status', '--secret-id', account.secrets.arn, '--json'], io);

    const report = JSON.parse(io.out()) as { warnings: string[]; failure: unknown };
    expect(report.failure).toBeNull();
    expect(report.warnings).toEqual([
      expect.stringContaining(
        'ResourceNotFoundException on logs:FilterLogEvents for log group SesSmtpRotation-FunctionLogs',
      ),
    ]);
  });
});
