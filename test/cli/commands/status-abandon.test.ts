/**
 * `status` during and after `rotate --abandon`: the abandon push (found by its comment), its hosts, and the
 * abandon's own advice — in the human output and in --json's `abandon` key.
 */
import { main } from '../../../src/cli/main';
import { SandboxAccount } from '../../../src/sandbox/account';
import { runRotation } from '../../../src/sandbox/rotation-driver';
import { leakedSecrets, printed, sandboxIo } from '../sandbox-cli';

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

/** A routine rotation, then a second one whose push fails on the last host: AWSPENDING stays set. */
async function failedSecondRotation(account: SandboxAccount): Promise<{ pending: string; current: string }> {
  expect((await runRotation(account, { handler: { probe: account.sesProbe() } })).succeeded).toBe(true);
  const last = account.hosts[account.hosts.length - 1]!;
  last.behaviour = { kind: 'fail', exitCode: 3 };
  expect((await runRotation(account, { maxAttempts: 1, handler: { probe: account.sesProbe() } })).succeeded).toBe(
    false,
  );
  last.behaviour = { kind: 'run' };
  return {
    pending: account.secrets.versionWithStage('AWSPENDING')!,
    current: account.secrets.versionWithStage('AWSCURRENT')!,
  };
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
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it('shows the abandon push still running, its hosts done, and says to run rotate --abandon again', async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 3 });
    const { pending, current } = await failedSecondRotation(account);
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
    account = new SandboxAccount({ hosts: 3 });
    const { pending } = await failedSecondRotation(account);
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
    account = new SandboxAccount({ hosts: 2 });
    const { pending } = await failedSecondRotation(account);
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
    account = new SandboxAccount({ hosts: 2 });
    await failedSecondRotation(account);

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
