import { main } from '../../../src/cli/main';
import { SandboxAccount } from '../../../src/sandbox/account';
import { checkInvariants } from '../../../src/sandbox/invariants';
import { runRotation } from '../../../src/sandbox/rotation-driver';
import { leakedSecrets, printed, sandboxIo } from '../sandbox-cli';

/** A routine rotation, then a second one whose push fails on the last host after the others switched. */
async function failedSecondRotation(account: SandboxAccount): Promise<{ pending: string; current: string }> {
  expect((await runRotation(account, { handler: { probe: account.sesProbe() } })).succeeded).toBe(true);
  const last = account.hosts[account.hosts.length - 1]!;
  last.behaviour = { kind: 'fail', exitCode: 3 };
  const run = await runRotation(account, { maxAttempts: 1, handler: { probe: account.sesProbe() } });
  expect(run.succeeded).toBe(false);
  last.behaviour = { kind: 'run' };
  return {
    pending: account.secrets.versionWithStage('AWSPENDING')!,
    current: account.secrets.versionWithStage('AWSCURRENT')!,
  };
}

describe('rotate --abandon', () => {
  let account: SandboxAccount;

  afterEach(() => account.restore());

  it('puts every host back on AWSCURRENT, deletes the pending key and clears AWSPENDING after a failed push', async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 3 });
    const { pending, current } = await failedSecondRotation(account);
    const switched = account.hosts.filter((h) => account.installed.get(h.instanceId)?.versionId === pending);
    expect(switched.length).toBeGreaterThan(0);
    const io = sandboxIo(account);

    // Act
    const code = await main(['rotate', '--abandon', '--secret-id', account.secrets.arn], io);

    // Assess
    expect(code).toBe(0);
    expect(account.secrets.versionWithStage('AWSPENDING')).toBeUndefined();
    expect(account.secrets.versionWithStage('AWSCURRENT')).toBe(current);
    expect(checkInvariants(account, { completed: true, texts: [printed(io)] })).toEqual([]);
    expect(io.out()).toContain('rotation abandoned');
    console.log(printed(io), account.notifications);
    expect(leakedSecrets(account, printed(io))).toEqual([]);
  });
});
