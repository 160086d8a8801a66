import { main } from '../../../src/cli/main';
import { leakedSecrets, printed, sandboxPerTest } from '../sandbox-cli';

describe('followRotation', () => {
  const sandbox = sandboxPerTest();

  it('follows the rotation step by step with --wait and exits 0 when complete', async () => {
    const { account, io } = sandbox.start({ hosts: 3 });

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

  it('names the failing host and exits 1 when the push fails', async () => {
    const { account, io } = sandbox.start({ hosts: 3, rotations: { maxAttempts: 1 } });
    const failing = account.hosts[1]!;
    failing.behaviour = { kind: 'fail', exitCode: 3 };

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
    // Nobody runs the rotation: the pending version never gets a value.
    const { account, io } = sandbox.start({ hosts: 2, rotations: false });

    const code = await main(['rotate', '--secret-id', account.secrets.arn, '--wait', '--timeout', '2', '--json'], io);

    expect(code).toBe(1);
    const report = JSON.parse(io.out()) as { outcome: string; next: string[]; problems: string[] };
    expect(report.outcome).toBe('timeout');
    expect(report.problems[0]).toContain('last step reached: started');
    expect(report.next.join(' ')).toContain('may still complete');
    expect(io.err()).toContain('did not complete within 2 minutes');
    expect(account.clock.now() - Date.UTC(2025, 0, 1)).toBeGreaterThanOrEqual(120_000);
  });
});
