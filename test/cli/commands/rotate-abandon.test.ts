import { main } from '../../../src/cli/main';
import type { SmtpProbe } from '../../../src/rotation/ports';
import { SandboxAccount } from '../../../src/sandbox/account';
import { checkInvariants } from '../../../src/sandbox/invariants';
import { runRotation } from '../../../src/sandbox/rotation-driver';
import { failedSecondRotation } from '../broken-states';
import { leakedSecrets, printed, sandboxIo } from '../sandbox-cli';

/** The key id the pending version records. */
function pendingKeyId(account: SandboxAccount): string {
  const pending = account.secrets.versionWithStage('AWSPENDING')!;
  return (JSON.parse(account.secrets.peekValue(pending)!) as { username: string }).username;
}

/** The top-level keys of `rotate --abandon --json` (README, "Operator CLI"). */
const ABANDON_KEYS = [
  'actions',
  'currentKeyId',
  'currentVersionId',
  'failedHosts',
  'next',
  'notified',
  'outcome',
  'pendingKeyId',
  'pendingVersionId',
  'problems',
  'push',
  'secretArn',
  'summary',
];

const MUTATIONS = ['SendCommand', 'UpdateSecretVersionStage', 'DeleteAccessKey', 'PutSecretValue'];

/** The mutating AWS calls made since call index `from`. */
function mutationsSince(account: SandboxAccount, from: number): string[] {
  return account.recorder.calls
    .slice(from)
    .map((c) => c.operation)
    .filter((op) => MUTATIONS.includes(op));
}

const ABANDON = (account: SandboxAccount, ...more: string[]) => [
  'rotate',
  '--abandon',
  '--secret-id',
  account.secrets.arn,
  ...more,
];

/** SES refuses every login: testSecret fails, so the rotation never reaches the push. */
const rejectingProbe: SmtpProbe = {
  authenticate: () => Promise.reject(new Error('535 Authentication Credentials Invalid')),
};

describe('rotate --abandon', () => {
  let account: SandboxAccount;

  afterEach(() => account.restore());

  it('puts every host back on AWSCURRENT, deletes the pending key and clears AWSPENDING after a failed push', async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 3 });
    const { pending, current } = await failedSecondRotation(account);
    const switched = account.hosts.filter((h) => account.installed.get(h.instanceId)?.versionId === pending);
    expect(switched.length).toBeGreaterThan(0);
    const pendingKey = pendingKeyId(account);
    const io = sandboxIo(account);

    // Act
    const code = await main(ABANDON(account), io);

    // Assess
    expect(code).toBe(0);
    expect(account.secrets.versionWithStage('AWSPENDING')).toBeUndefined();
    expect(account.secrets.versionWithStage('AWSCURRENT')).toBe(current);
    expect(account.iam.keys(account.userName).map((k) => k.id)).not.toContain(pendingKey);
    expect(checkInvariants(account, { completed: true, texts: [printed(io)] })).toEqual([]);
    expect(io.out()).toContain('rotation abandoned: every target holds AWSCURRENT');
    const abandonPush = account.recorder.calls.filter((c) => c.operation === 'SendCommand').at(-1)?.input as {
      Comment: string;
      Parameters: { VersionId: string[] };
    };
    expect(abandonPush.Comment).toBe(`ses-smtp-rotation abandon ${pending}`);
    expect(abandonPush.Parameters.VersionId).toEqual([current]);
  });

  it('publishes one notification with versions, command, masked keys and no secret', async () => {
    account = new SandboxAccount({ hosts: 3 });
    const { pending, current } = await failedSecondRotation(account);
    const before = account.notifications.length;

    const code = await main(ABANDON(account), sandboxIo(account));

    expect(code).toBe(0);
    const notices = account.notifications.slice(before);
    expect(notices).toHaveLength(1);
    const text = notices[0]?.message ?? '';
    expect(notices[0]?.subject).toBe('SES SMTP rotation abandoned: ses-smtp-credential-AbCdEf');
    const summary = JSON.parse(text.split('\n').at(-1) ?? '') as Record<string, unknown>;
    expect(summary).toMatchObject({
      event: 'rotation-abandoned',
      pendingVersionId: pending,
      currentVersionId: current,
      actions: ['pushed', 'deleted-pending-key', 'cleared-pending'],
      hostsUpdated: 3,
    });
    expect(summary.commandId).toMatch(/^[0-9a-f-]{36}$/);
    expect(text).toMatch(/AKIA…[A-Z0-9]{4}/);
    expect(text).not.toMatch(/AKIA[A-Z0-9]{16}/);
    expect(leakedSecrets(account, text)).toEqual([]);
  });

  it('refuses, names the host and keeps AWSPENDING and the pending key when a host cannot be reached', async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 3 });
    const { pending } = await failedSecondRotation(account);
    const pendingKey = pendingKeyId(account);
    const offline = account.hosts[2]!;
    offline.online = false;
    const io = sandboxIo(account);

    // Act
    const code = await main(ABANDON(account), io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toContain('rotation not abandoned: the push of AWSCURRENT did not reach every target');
    expect(io.err()).toContain(offline.instanceId);
    expect(io.err()).toContain('AWSPENDING and the pending key are kept');
    expect(account.secrets.versionWithStage('AWSPENDING')).toBe(pending);
    expect(account.iam.keys(account.userName).map((k) => k.id)).toContain(pendingKey);
    expect(checkInvariants(account, { texts: [printed(io)] })).toEqual([]);
    const notice = account.notifications.at(-1)!;
    expect(notice.subject).toContain('abandon refused');
    expect(notice.message).toContain(offline.instanceId);
    expect(leakedSecrets(account, JSON.stringify(notice))).toEqual([]);

    // Act again once the host is back: the rerun finishes the job.
    offline.online = true;
    const rerun = sandboxIo(account);
    expect(await main(ABANDON(account), rerun)).toBe(0);
    expect(checkInvariants(account, { completed: true, texts: [printed(rerun)] })).toEqual([]);
  });

  it('says there is nothing to abandon, exits 0 and publishes nothing when no rotation is unfinished', async () => {
    account = new SandboxAccount({ hosts: 2 });
    expect((await runRotation(account, { handler: { probe: account.sesProbe() } })).succeeded).toBe(true);
    const before = account.notifications.length;
    const calls = account.recorder.calls.length;
    const io = sandboxIo(account);

    const code = await main(ABANDON(account, '--json'), io);

    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as Record<string, unknown>;
    expect(report).toMatchObject({ outcome: 'nothing-to-abandon', actions: [], problems: [], push: null });
    expect(String(report.summary)).toContain('nothing to abandon');
    expect(account.notifications).toHaveLength(before);
    expect(mutationsSince(account, calls)).toEqual([]);
  });

  it('prints the documented JSON shape', async () => {
    account = new SandboxAccount({ hosts: 2 });
    const { pending, current } = await failedSecondRotation(account);
    const io = sandboxIo(account);

    const code = await main(ABANDON(account, '--json'), io);

    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual([...ABANDON_KEYS].sort());
    expect(report).toMatchObject({
      outcome: 'abandoned',
      pendingVersionId: pending,
      currentVersionId: current,
      actions: ['pushed', 'deleted-pending-key', 'cleared-pending'],
      notified: true,
      push: { hostsUpdated: 2 },
    });
  });

  it('refuses when the AWSCURRENT key is inactive: pushing it back would break the relays', async () => {
    account = new SandboxAccount({ hosts: 3 });
    const { pending } = await failedSecondRotation(account);
    const current = account.secrets.versionWithStage('AWSCURRENT')!;
    const currentKey = (JSON.parse(account.secrets.peekValue(current)!) as { username: string }).username;
    account.iam.updateAccessKey({ UserName: account.userName, AccessKeyId: currentKey, Status: 'Inactive' });
    const calls = account.recorder.calls.length;
    const io = sandboxIo(account);

    const code = await main(ABANDON(account), io);

    expect(code).toBe(1);
    expect(io.err()).toContain('is missing or inactive');
    expect(io.err()).toContain('completing the rotation is the safe way out');
    expect(account.secrets.versionWithStage('AWSPENDING')).toBe(pending);
    expect(mutationsSince(account, calls)).toEqual([]);
  });

  it('abandons a first rotation that failed before its push, keeping the key the relays use', async () => {
    account = new SandboxAccount({ hosts: 3 });
    const consoleKey = account.iam.keys(account.userName)[0]!.id;
    expect((await runRotation(account, { maxAttempts: 1, handler: { probe: rejectingProbe } })).succeeded).toBe(false);
    expect(account.iam.keys(account.userName)).toHaveLength(2);
    const io = sandboxIo(account);

    const code = await main(ABANDON(account), io);

    expect(code).toBe(0);
    expect(account.iam.keys(account.userName).map((k) => k.id)).toEqual([consoleKey]);
    expect(account.secrets.versionWithStage('AWSPENDING')).toBeUndefined();
    expect(mutationsSince(account, 0).filter((op) => op === 'SendCommand')).toEqual([]);
    expect(checkInvariants(account, { texts: [printed(io)] })).toEqual([]);
    expect(account.hosts.every((h) => account.hostCanSend(h.instanceId))).toBe(true);
  });

  it('refuses a first rotation whose push already reached relays: the key they had cannot be pushed back', async () => {
    account = new SandboxAccount({ hosts: 3 });
    account.hosts[2]!.behaviour = { kind: 'fail', exitCode: 3 };
    expect((await runRotation(account, { maxAttempts: 1, handler: { probe: account.sesProbe() } })).succeeded).toBe(
      false,
    );
    const keys = account.iam.keys(account.userName).map((k) => k.id);
    const calls = account.recorder.calls.length;
    const io = sandboxIo(account);

    const code = await main(ABANDON(account), io);

    expect(code).toBe(1);
    expect(io.err()).toContain('this is a first rotation');
    expect(io.err()).toContain('Resume the rotation instead');
    expect(account.iam.keys(account.userName).map((k) => k.id)).toEqual(keys);
    expect(account.secrets.versionWithStage('AWSPENDING')).toBeDefined();
    expect(mutationsSince(account, calls)).toEqual([]);
  });

  it('reports a failing AWS call as one JSON document with exit 1, and the rerun finishes', async () => {
    account = new SandboxAccount({ hosts: 2 });
    const { pending } = await failedSecondRotation(account);
    account.recorder.plan({ operation: 'DeleteAccessKey', when: 'before', kind: 'throw' });
    const io = sandboxIo(account);

    const code = await main(ABANDON(account, '--json'), io);

    expect(code).toBe(1);
    const report = JSON.parse(io.out()) as { outcome: string; actions: string[]; problems: string[]; next: string[] };
    expect(report.outcome).toBe('failed');
    expect(report.actions).toEqual(['pushed']);
    expect(report.problems[0]).toContain('ServiceUnavailableException');
    expect(report.next[0]).toContain('run ses-smtp-rotation rotate --abandon');
    expect(account.secrets.versionWithStage('AWSPENDING')).toBe(pending);
    expect(await main(ABANDON(account), sandboxIo(account))).toBe(0);
    expect(checkInvariants(account, { completed: true })).toEqual([]);
  });

  it('exits 2 when --abandon is combined with --wait', async () => {
    account = new SandboxAccount({ hosts: 1 });
    const io = sandboxIo(account);
    expect(await main(ABANDON(account, '--wait'), io)).toBe(2);
    expect(io.err()).toContain('--abandon and --wait do not go together');
  });
});
