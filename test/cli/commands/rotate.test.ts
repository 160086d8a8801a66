import { randomUUID } from 'node:crypto';
import { main } from '../../../src/cli/main';
import { SandboxAccount } from '../../../src/sandbox/account';
import { leakedSecrets, printed, rotateOnRequest, sandboxIo } from '../sandbox-cli';

describe('rotate', () => {
  let account: SandboxAccount;
  let rotations: ReturnType<typeof rotateOnRequest>;

  afterEach(async () => {
    await rotations?.settled();
    account.restore();
  });

  it('starts a rotation and says how to follow it', async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 3 });
    rotations = rotateOnRequest(account);
    const io = sandboxIo(account);

    // Act
    const code = await main(['rotate', '--secret-id', account.secrets.arn], io);

    // Assess
    expect(code).toBe(0);
    const pending = account.secrets.versionWithStage('AWSPENDING');
    expect(io.out()).toContain(`rotation started: version ${pending}`);
    expect(io.out()).toContain(`ses-smtp-rotation status --secret-id ${account.secrets.arn}`);
  });

  it('follows the rotation step by step with --wait and exits 0 when complete', async () => {
    account = new SandboxAccount({ hosts: 3 });
    rotations = rotateOnRequest(account);
    const io = sandboxIo(account);

    const code = await main(['rotate', '--secret-id', account.secrets.arn, '--wait'], io);

    expect(code).toBe(0);
    const out = io.out();
    const order = ['created:', 'pushing: SSM command', 'promoted: AWSCURRENT moved', 'retired:', 'rotation complete'];
    const positions = order.map((marker) => out.indexOf(marker));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(out).toMatch(/3\/3 hosts done \(Success\)/);
    expect(account.iam.keys(account.userName)).toHaveLength(1);
    expect(leakedSecrets(account, printed(io))).toEqual([]);
  });

  it('prints the documented JSON shape with --json --wait', async () => {
    account = new SandboxAccount({ hosts: 2 });
    rotations = rotateOnRequest(account);
    const io = sandboxIo(account);

    const code = await main(['rotate', '--secret-id', account.secrets.arn, '--wait', '--json'], io);

    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(
      [
        'error',
        'failure',
        'next',
        'outcome',
        'problems',
        'push',
        'secretArn',
        'steps',
        'versionId',
        'waited',
        'warnings',
      ].sort(),
    );
    expect(report).toMatchObject({
      secretArn: account.secrets.arn,
      versionId: account.secrets.versionWithStage('AWSCURRENT'),
      waited: true,
      outcome: 'complete',
      problems: [],
    });
    expect((report.steps as { step: string }[]).map((s) => s.step)).toEqual([
      'created',
      'pushing',
      'promoted',
      'retired',
    ]);
    expect(report.push).toMatchObject({ outcome: 'succeeded', targets: 2, completed: 2, errors: 0 });
    expect(leakedSecrets(account, printed(io))).toEqual([]);
  });

  it('names the failing host and exits 1 when the push fails', async () => {
    account = new SandboxAccount({ hosts: 3 });
    const failing = account.hosts[1]!;
    failing.behaviour = { kind: 'fail', exitCode: 3 };
    rotations = rotateOnRequest(account, { maxAttempts: 1 });
    const io = sandboxIo(account);

    const code = await main(['rotate', '--secret-id', account.secrets.arn, '--wait'], io);

    expect(code).toBe(1);
    expect(io.err()).toContain('the push to the hosts failed');
    expect(io.err()).toContain(failing.instanceId);
    expect(io.err()).toContain('Failed (the document exited non-zero)');
    expect(io.err()).toContain('Nothing was promoted');
    expect(io.err()).toContain(`ses-smtp-rotation status --secret-id ${account.secrets.arn}`);
    expect(account.secrets.versionWithStage('AWSCURRENT')).not.toBe(account.secrets.versionWithStage('AWSPENDING'));
    expect(leakedSecrets(account, printed(io))).toEqual([]);
  });

  it('gives up at the timeout, says the rotation may still complete, and exits 1', async () => {
    account = new SandboxAccount({ hosts: 2 });
    // Nobody runs the rotation: the pending version never gets a value.
    rotations = { settled: async () => [] };
    const io = sandboxIo(account);

    const code = await main(['rotate', '--secret-id', account.secrets.arn, '--wait', '--timeout', '2', '--json'], io);

    expect(code).toBe(1);
    const report = JSON.parse(io.out()) as { outcome: string; next: string[]; problems: string[] };
    expect(report.outcome).toBe('timeout');
    expect(report.problems[0]).toContain('last step reached: started');
    expect(report.next.join(' ')).toContain('may still complete');
    expect(io.err()).toContain('did not complete within 2 minutes');
    expect(account.clock.now() - Date.UTC(2025, 0, 1)).toBeGreaterThanOrEqual(120_000);
  });

  it('explains an unfinished previous rotation and does not call RotateSecret', async () => {
    account = new SandboxAccount({ hosts: 2 });
    rotations = { settled: async () => [] };
    const stuck = randomUUID();
    account.secrets.rotateSecret({ SecretId: account.secrets.arn, ClientRequestToken: stuck });
    const io = sandboxIo(account);

    const code = await main(['rotate', '--secret-id', account.secrets.arn], io);

    expect(code).toBe(1);
    const err = io.err();
    expect(err).toContain('a previous rotation is not complete');
    expect(err).toContain(`AWSPENDING is on version ${stuck}`);
    expect(err).toContain('Never remove AWSPENDING by hand while some hosts may already hold the pending key');
    expect(err).toContain('no new key is minted');
    expect(account.recorder.calls.filter((c) => c.operation === 'RotateSecret')).toHaveLength(0);
  });

  it('refuses a secret without a rotation function', async () => {
    account = new SandboxAccount({ hosts: 1 });
    rotations = { settled: async () => [] };
    account.secrets.rotationLambdaArn = undefined;
    const io = sandboxIo(account);

    const code = await main(['rotate', '--secret-id', account.secrets.arn, '--json'], io);

    expect(code).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ outcome: 'not-configured', versionId: null });
    expect(io.err()).toContain('no rotation function is attached');
  });

  it.each([
    [['rotate'], '--secret-id is required'],
    [['rotate', '--secret-id', 's', '--wait', '--timeout', 'soon'], '--timeout takes minutes'],
    [['rotate', '--secret-id', 's', '--timeout', '45'], '--timeout only applies with --wait'],
    [['rotate', '--secret-id', 's', '--region', 'EU-WEST-1'], 'is not an AWS region name'],
    [['rotate', '--secret-id', 's', '--bogus'], "Unknown option '--bogus'"],
  ])('exits 2 for %j', async (argv, message) => {
    account = new SandboxAccount({ hosts: 1 });
    rotations = { settled: async () => [] };
    const io = sandboxIo(account);
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toContain(message);
  });

  it('prints its help with --help', async () => {
    account = new SandboxAccount({ hosts: 1 });
    rotations = { settled: async () => [] };
    const io = sandboxIo(account);
    expect(await main(['rotate', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: ses-smtp-rotation rotate --secret-id <id>');
  });
});
