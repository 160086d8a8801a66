import { main } from '../../../src/cli/main';
import { SandboxAccount } from '../../../src/sandbox/account';
import { runRotation } from '../../../src/sandbox/rotation-driver';
import { leakedSecrets, printed, sandboxIo } from '../sandbox-cli';

const STATUS_KEYS = [
  'abandon',
  'current',
  'error',
  'failure',
  'warnings',
  'function',
  'iamUserName',
  'keys',
  'manualConsumers',
  'next',
  'problems',
  'push',
  'secret',
  'state',
  'versions',
].sort();

interface Report {
  state: string;
  problems: string[];
  next: string[];
  keys: { keyId: string; status: string; ageDays: number; lastUsed: string | null; role: string }[];
  push: { commandId: string; versionId: string; outcome: string; targets: number; completed: number } | null;
  current: { versionId: string; keyId: string | null; iamUserName: string | null } | null;
  versions: { versionId: string; stages: string[] }[];
  secret: Record<string, unknown>;
  function: Record<string, unknown> | null;
}

async function status(account: SandboxAccount, ...flags: string[]) {
  const io = sandboxIo(account);
  const code = await main(['status', '--secret-id', account.secrets.arn, ...flags], io);
  return { code, io };
}

async function statusJson(account: SandboxAccount) {
  const { code, io } = await status(account, '--json');
  return { code, io, report: JSON.parse(io.out()) as Report };
}

describe('status', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it('reports a completed rotation: labels, one key, the push confirmed by every host', async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 3 });
    await runRotation(account, { handler: { probe: account.sesProbe() } });
    account.clock.advance(3 * 86_400_000);

    // Act
    const { code, io } = await status(account);

    // Assess
    expect(code).toBe(0);
    const out = io.out();
    const current = account.secrets.versionWithStage('AWSCURRENT')!;
    expect(out).toMatch(new RegExp(`AWSCURRENT,AWSPENDING\\s+${current}`));
    expect(out).toContain('enabled, function arn:aws:lambda:eu-west-1:111122223333:function:ses-smtp-rotation');
    expect(out).toContain('tag:Role=smtp-relay via ses-smtp-rotation-UpdateRelayCredential');
    expect(out).toMatch(/AKIA…0002\s+Active\s+3 days old\s+last used .*AWSCURRENT/);
    expect(out).toContain('3/3 hosts done (Success)');
    expect(out).toContain('every targeted host confirmed');
    expect(out).toContain('State: ok');
    expect(leakedSecrets(account, printed(io))).toEqual([]);
  });

  it('prints the documented JSON shape', async () => {
    account = new SandboxAccount({ hosts: 2 });
    await runRotation(account, { handler: { probe: account.sesProbe() } });

    const { code, report } = await statusJson(account);

    expect(code).toBe(0);
    expect(Object.keys(report).sort()).toEqual(STATUS_KEYS);
    expect(Object.keys(report.secret).sort()).toEqual(
      [
        'arn',
        'emergencyRequested',
        'immediateRetirementRequested',
        'lastRotatedDate',
        'name',
        'nextRotationDate',
        'rotationEnabled',
        'rotationLambdaArn',
      ].sort(),
    );
    expect(report.state).toBe('ok');
    expect(report.current).toMatchObject({
      versionId: account.secrets.versionWithStage('AWSCURRENT'),
      keyId: 'AKIA…0002',
      iamUserName: 'ses-smtp-sender',
    });
    expect(report.keys).toEqual([
      {
        keyId: 'AKIA…0002',
        status: 'Active',
        created: expect.any(String),
        ageDays: 0,
        lastUsed: expect.any(String),
        role: 'AWSCURRENT',
      },
    ]);
    expect(report.push).toMatchObject({ outcome: 'succeeded', targets: 2, completed: 2 });
    expect(report.function).toMatchObject({ documentName: 'ses-smtp-rotation-UpdateRelayCredential', problem: null });
  });

  it('shows the adopted console key before the first rotation', async () => {
    account = new SandboxAccount({ hosts: 2 });

    const { code, report, io } = await statusJson(account);

    expect(code).toBe(0);
    expect(report.current).toBeNull();
    expect(report.push).toBeNull();
    expect(report.keys).toEqual([expect.objectContaining({ ageDays: 200, role: 'unrecorded', status: 'Active' })]);
    const text = await status(account);
    expect(text.io.out()).toContain('none yet (no AWSCURRENT version)');
    expect(io.err()).toBe('');
  });

  it('explains a stuck rotation whose push failed, names the host, and exits 1', async () => {
    account = new SandboxAccount({ hosts: 3 });
    await runRotation(account, { handler: { probe: account.sesProbe() } });
    const failing = account.hosts[2]!;
    failing.behaviour = { kind: 'fail', exitCode: 4 };
    const run = await runRotation(account, { handler: { probe: account.sesProbe() }, maxAttempts: 2 });
    expect(run.succeeded).toBe(false);
    account.clock.advance(3_600_000);

    const { code, io } = await status(account);

    expect(code).toBe(1);
    const out = io.out();
    expect(out).toContain(`version ${run.token}: SSM command`);
    expect(out).toContain(`1 host Failed (the document exited non-zero): ${failing.instanceId}`);
    expect(out).toContain(`first error: ${failing.instanceId} exit code 4`);
    expect(out).toContain('State: needs attention');
    expect(out).toContain('a previous rotation is not complete');
    expect(out).toContain('Never remove AWSPENDING by hand');
    expect(out).toMatch(/AKIA…0003\s+Active.*AWSPENDING/);
    expect(out).toContain('1. See where it stopped');
    expect(out).not.toContain('two keys');
    expect(leakedSecrets(account, printed(io))).toEqual([]);
  });

  it('reports a rotation in progress without calling it a problem', async () => {
    account = new SandboxAccount({ hosts: 2 });
    account.secrets.rotateSecret({ SecretId: account.secrets.arn });

    const { code, report } = await statusJson(account);

    expect(code).toBe(0);
    expect(report.state).toBe('rotating');
    expect(report.problems).toEqual([]);
  });

  it("flags an AWSCURRENT key that was deleted behind the rotation's back", async () => {
    account = new SandboxAccount({ hosts: 2 });
    await runRotation(account, { handler: { probe: account.sesProbe() } });
    const [key] = account.iam.keys(account.userName);
    account.iam.deleteAccessKey({ UserName: account.userName, AccessKeyId: key!.id });

    const { code, report } = await statusJson(account);

    expect(code).toBe(1);
    expect(report.state).toBe('attention');
    expect(report.problems.join(' ')).toContain('AWSCURRENT records key AKIA…0002, which no longer exists');
  });

  it('flags an inactive AWSCURRENT key', async () => {
    account = new SandboxAccount({ hosts: 2 });
    await runRotation(account, { handler: { probe: account.sesProbe() } });
    const [key] = account.iam.keys(account.userName);
    account.iam.updateAccessKey({ UserName: account.userName, AccessKeyId: key!.id, Status: 'Inactive' });

    const { code, report } = await statusJson(account);

    expect(code).toBe(1);
    expect(report.problems.join(' ')).toContain('is not active');
    expect(report.next.join(' ')).toContain('reactivate it');
  });

  it('flags two keys and says which one is safe to delete', async () => {
    account = new SandboxAccount({ hosts: 2 });
    await runRotation(account, { handler: { probe: account.sesProbe() } });
    account.iam.addKey(account.userName, { created: new Date(account.clock.now() + 1) });

    const { code, report } = await statusJson(account);

    expect(code).toBe(1);
    expect(report.problems.join(' ')).toContain('two keys');
    expect(report.next.join(' ')).toContain('safe to delete: AKIA…0003');
  });

  it('names the bad variable of the rotation function', async () => {
    account = new SandboxAccount({ hosts: 2 });
    account.lambda.overrides = { FLEET_MAX_ERRORS: 'many' };

    const { code, report } = await statusJson(account);

    expect(code).toBe(1);
    expect(report.problems.join(' ')).toContain('FLEET_MAX_ERRORS');
    expect(report.function).toMatchObject({ iamUserName: 'ses-smtp-sender', documentName: null });
  });

  it('exits 2 without --secret-id', async () => {
    account = new SandboxAccount({ hosts: 1 });
    const io = sandboxIo(account);
    expect(await main(['status'], io)).toBe(2);
    expect(io.err()).toContain('--secret-id is required');
  });
});
