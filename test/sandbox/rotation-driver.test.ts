import { SandboxAccount } from '../../src/sandbox/account';
import { checkInvariants } from '../../src/sandbox/invariants';
import { runRotation } from '../../src/sandbox/rotation-driver';

describe('runRotation', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it('adopts the console key on the first rotation and leaves one key that every host uses', async () => {
    account = new SandboxAccount({ hosts: 5 });
    const run = await runRotation(account, { handler: { probe: account.sesProbe() } });
    expect(run.invocations.filter((i) => i.result !== 'ok')).toEqual([]);
    expect(run.succeeded).toBe(true);
    expect(checkInvariants(account, { completed: true })).toEqual([]);
    expect(account.iam.keys(account.userName)).toHaveLength(1);
    expect(account.notifications).toHaveLength(1);
  });

  it('rotates again from a rotated secret', async () => {
    account = new SandboxAccount({ hosts: 5, initialSecret: 'settings' });
    await runRotation(account, { handler: { probe: account.sesProbe() } });
    const first = account.iam.keys(account.userName)[0]?.id;
    const run = await runRotation(account, { handler: { probe: account.sesProbe() } });
    expect(run.succeeded).toBe(true);
    expect(checkInvariants(account, { completed: true })).toEqual([]);
    expect(account.iam.keys(account.userName).map((k) => k.id)).not.toContain(first);
  });
});
