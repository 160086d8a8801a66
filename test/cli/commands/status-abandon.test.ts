/**
 * `status` during and after `rotate --abandon`: the abandon push (found by its comment), its hosts, and the
 * abandon's own advice — in the human output and in --json's `abandon` key.
 */
import { main } from '../../../src/cli/main';
import type { SandboxAccount } from '../../../src/sandbox/account';
import { failedSecondRotation } from '../broken-states';
import { leakedSecrets, printed, sandboxIo, sandboxPerTest } from '../sandbox-cli';

interface Report {
  state: string;
  problems: string[];
  next: string[];
  abandon: {
    pendingVersionId: string;
    upToDate: boolean;
    push: { versionId: string; commandId: string; outcome: string; targets: number; completed: number };
  } | null;
}

async function abandon(account: SandboxAccount, ...flags: string[]): Promise<number> {
  return main(['rotate', '--abandon', '--secret-id', account.secrets.arn, ...flags], sandboxIo(account));
}

async function status(account: SandboxAccount) {
  const text = sandboxIo(account);
  const code = await main(['status', '--secret-id', account.secrets.arn], text);
  const json = sandboxIo(account);
  expect(await main(['status', '--secret-id', account.secrets.arn, '--json'], json)).toBe(code);
  return { code, out: text.out(), report: JSON.parse(json.out()) as Report, printed: printed(text) + printed(json) };
}

/** The id of the command rotate --abandon sent last (checked to carry the abandon's comment). */
function abandonCommandId(account: SandboxAccount, pending: string): string {
  const sent = account.recorder.calls.filter((c) => c.operation === 'SendCommand').at(-1)?.input as { Comment: string };
  expect(sent.Comment).toBe(`ses-smtp-rotation abandon ${pending}`);
  return account.ssm.commandIds().at(-1)!;
}

describe('status of an abandon push', () => {
  const sandbox = sandboxPerTest();

  /** An account whose second rotation failed on its last host: AWSPENDING stays set, nothing abandoned yet. */
  async function stuck(hosts: number): Promise<{ account: SandboxAccount; pending: string; current: string }> {
    const { account } = sandbox.start({ hosts, rotations: false });
    return { account, ...(await failedSecondRotation(account)) };
  }

  it('shows the abandon push still running, its hosts done, and says to run rotate --abandon again', async () => {
    // Prepare
    const { account, pending, current } = await stuck(3);
    account.hosts[2]!.durationMs = 3 * 3_600_000;
    expect(await abandon(account, '--timeout', '1')).toBe(1);
    const commandId = abandonCommandId(account, pending);

    // Act
    const { code, out, report, printed: text } = await status(account);

    // Assess
    expect(code).toBe(1);
    expect(report.abandon).toMatchObject({
      pendingVersionId: pending,
      upToDate: true,
      push: { versionId: current, commandId, outcome: 'running', targets: 3, completed: 2 },
    });
    expect(out).toContain(`Abandon push (rotate --abandon of version ${pending}`);
    expect(out).toContain(`version ${current}: SSM command ${commandId}`);
    expect(out).toContain('2/3 hosts done (InProgress), 0 failed, 0 not delivered');
    expect(out).toContain('in progress: 1 host has not answered yet');
    expect(report.problems).toContain(
      `an abandon (rotate --abandon) is not finished: the push of AWSCURRENT (SSM command ${commandId}) is still ` +
        'running: 2/3 hosts done',
    );
    expect(report.next).toContain(
      `Run ses-smtp-rotation rotate --abandon --secret-id ${account.secrets.arn} again: it keeps waiting on the same command.`,
    );
    // The rotation's own advice (let it resume) would race the abandon: it is not given.
    expect(out).not.toContain('Let it resume');
    expect(leakedSecrets(account, text)).toEqual([]);
  });

  it('names the hosts that did not confirm the abandon push and says to fix them and run it again', async () => {
    // Prepare
    const { account, pending } = await stuck(3);
    const offline = account.hosts[1]!;
    offline.online = false;
    expect(await abandon(account)).toBe(1);
    const commandId = abandonCommandId(account, pending);

    // Act
    const { code, out, report } = await status(account);

    // Assess
    expect(code).toBe(1);
    expect(report.abandon?.push).toMatchObject({ commandId, outcome: 'failed' });
    expect(out).toMatch(new RegExp(`1 host Delivery Timed Out .*: ${offline.instanceId}`));
    const problem = report.problems.find((p) => p.startsWith('an abandon (rotate --abandon) is not finished'));
    expect(problem).toContain(`the push of AWSCURRENT (SSM command ${commandId}) did not reach every target`);
    expect(problem).toContain(offline.instanceId);
    expect(report.next).toContain(
      'Fix the hosts named, then run rotate --abandon again: it sends a new command to every target.',
    );
  });

  it('says an abandon whose push every target confirmed still has to delete the key and clear AWSPENDING', async () => {
    // Prepare
    const { account, pending } = await stuck(2);
    account.recorder.plan({ operation: 'DeleteAccessKey', when: 'before', kind: 'throw' });
    expect(await abandon(account)).toBe(1);
    const commandId = abandonCommandId(account, pending);

    // Act
    const { code, out, report } = await status(account);

    // Assess
    expect(code).toBe(1);
    expect(report.abandon?.push).toMatchObject({ commandId, outcome: 'succeeded', completed: 2, targets: 2 });
    expect(out).toContain('every targeted host confirmed');
    expect(report.next).toContain(
      `Run ses-smtp-rotation rotate --abandon --secret-id ${account.secrets.arn} again: it does not push again; it ` +
        'deletes the pending key and clears AWSPENDING.',
    );
  });

  it('shows no abandon push when none was sent, nor once the abandon finished', async () => {
    // Prepare
    const { account } = await stuck(2);

    // Act
    const before = await status(account);
    expect(await abandon(account)).toBe(0);
    const after = await status(account);

    // Assess
    expect(before.report.abandon).toBeNull();
    expect(before.out).not.toContain('Abandon push');
    expect(before.report.problems.join('\n')).not.toContain('rotate --abandon) is not finished');
    expect(after.report.abandon).toBeNull();
    expect(after.out).not.toContain('Abandon push');
  });
});
