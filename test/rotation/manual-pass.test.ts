import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConsumerRegistryAdmin } from '../../src/aws/consumer-registry-admin';
import { SandboxAccount } from '../../src/sandbox/account';
import { checkInvariants } from '../../src/sandbox/invariants';
import { runRetirementPass } from '../../src/sandbox/retirement-driver';
import { runRotation } from '../../src/sandbox/rotation-driver';
import { rotateOnRequest } from '../cli/sandbox-cli';
import { DAY_MS as DAY, HOUR_MS as HOUR } from '../../src/rotation/retirement-policy';

async function parked(names = ['scanner', 'appliance']) {
  const account = new SandboxAccount({ hosts: 2, initialSecret: 'settings', registry: true, retirement: 'staged' });
  for (const name of names) account.manual.register(name);
  const run = await runRotation(account, { handler: { probe: account.sesProbe() } });
  const registry = new ConsumerRegistryAdmin(
    new DynamoDBClient({ region: account.region }),
    account.registryTable ?? '',
  );
  const confirm = (consumer: string) =>
    registry.confirm(account.secrets.arn, {
      consumer,
      versionId: run.token,
      confirmedBy: 'arn:aws:iam::111122223333:user/alice',
      confirmedAt: new Date(account.clock.now()).toISOString(),
    });
  return { account, token: run.token, confirm };
}

const subjects = (account: SandboxAccount, prefix: string) =>
  account.notifications.filter((n) => n.subject?.startsWith(prefix)).length;

describe('the hourly pass while a rotation waits for manual consumers', () => {
  let account: SandboxAccount;
  afterEach(() => account?.restore());

  it('reminds once a day, listing who is still pending, and never touches the keys', async () => {
    // Prepare
    const p = await parked();
    account = p.account;
    await p.confirm('scanner');
    const keysBefore = JSON.stringify(account.iam.keys(account.userName));

    // Act: 47 hourly passes
    for (let hour = 1; hour <= 47; hour += 1) {
      account.clock.advance(HOUR);
      await runRetirementPass(account);
    }

    // Assess: one reminder (at 24 h), naming appliance as pending and scanner as confirmed
    expect(subjects(account, 'REMINDER')).toBe(1);
    const reminder = account.notifications.find((n) => n.subject?.startsWith('REMINDER'))?.message ?? '';
    expect(reminder).toMatch(/Pending \(1\):\n {2}appliance/);
    expect(reminder).toContain('Confirmed (1):\n  scanner');
    expect(JSON.stringify(account.iam.keys(account.userName))).toBe(keysBefore);
    expect(account.retirementMetrics.at(-1)?.manualConsumersWaitingDays).toBeCloseTo(47 / 24, 1);
    expect(checkInvariants(account)).toEqual([]);
  });

  it('alerts once when the wait passes the alarm threshold', async () => {
    const p = await parked();
    account = p.account;

    for (let day = 1; day <= 9; day += 1) {
      account.clock.advance(DAY);
      await runRetirementPass(account);
    }

    expect(subjects(account, 'OVERDUE')).toBe(1);
    expect(account.logs.filter((l) => l.message === 'manual consumers overdue')).toHaveLength(1);
  });

  it('re-attempts a fully confirmed rotation a quarter of an hour after the last confirmation', async () => {
    // Prepare: both confirmed, but nobody resumed the rotation (the confirming CLI died)
    const p = await parked();
    account = p.account;
    await p.confirm('scanner');
    await p.confirm('appliance');
    for (const name of ['scanner', 'appliance']) account.manual.switchTo(name, p.token);
    const runner = rotateOnRequest(account);

    // Act
    account.clock.advance(10 * 60_000);
    const early = await runRetirementPass(account);
    account.clock.advance(10 * 60_000);
    const late = await runRetirementPass(account);
    await runner.settled();

    // Assess
    expect(early.result === 'ok' && early.report.manual?.action).toBe('none');
    expect(late.result === 'ok' && late.report.manual?.action).toBe('reattempted');
    expect(account.secrets.versionWithStage('AWSCURRENT')).toBe(p.token);
    expect(checkInvariants(account, { completed: true })).toEqual([]);
  });
});
