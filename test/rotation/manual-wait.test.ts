import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConsumerRegistryAdmin as ConsumerRegistry } from '../../src/aws/consumer-registry-admin';
import type { ManualConsumer } from '../../src/core/manual-consumer';
import { manualProgress, overdueDue, reminderDue } from '../../src/rotation/manual-wait';
import { SandboxAccount } from '../../src/sandbox/account';
import { checkInvariants } from '../../src/sandbox/invariants';
import { continueRotation, runRotation } from '../../src/sandbox/rotation-driver';
import { invokeStep, startRotation, storedCredential } from './steps/step-harness';
import { DAY_MS as DAY } from '../../src/rotation/retirement-policy';

const consumer = (name: string): ManualConsumer => ({ name, addedAt: '2026-01-01T00:00:00Z', addedBy: 'arn:x' });

function accountWith(names: string[]) {
  const account = new SandboxAccount({ hosts: 2, initialSecret: 'settings', registry: true });
  for (const name of names) account.manual.register(name);
  const registry = new ConsumerRegistry(new DynamoDBClient({ region: account.region }), account.registryTable ?? '');
  const options = { handler: { probe: account.sesProbe() } };
  return { account, registry, options };
}

describe('manualProgress', () => {
  it('counts a confirmation only for its own version and only for a registered consumer', () => {
    // Prepare
    const confirmations = [
      { consumer: 'a', versionId: 'v1', confirmedBy: 'p', confirmedAt: 't' },
      { consumer: 'b', versionId: 'v0', confirmedBy: 'p', confirmedAt: 't' },
      { consumer: 'gone', versionId: 'v1', confirmedBy: 'p', confirmedAt: 't' },
    ];

    // Act
    const progress = manualProgress([consumer('b'), consumer('a')], confirmations, 'v1');

    // Assess
    expect(progress.confirmed.map((c) => c.consumer)).toEqual(['a']);
    expect(progress.pending.map((c) => c.name)).toEqual(['b']);
  });
});

describe('reminderDue and overdueDue', () => {
  it('is due a day after the request, and overdue once after the threshold', () => {
    const state = { versionId: 'v', waitingSince: '2026-01-01T00:00:00.000Z', notifiedAt: '2026-01-01T00:00:00.000Z' };
    const start = Date.parse(state.waitingSince);
    expect(reminderDue(state, start + DAY - 1)).toBe(false);
    expect(reminderDue(state, start + DAY)).toBe(true);
    expect(overdueDue(state, start + 7 * DAY, 7)).toBe(true);
    expect(overdueDue({ ...state, overdueAt: 'x' }, start + 8 * DAY, 7)).toBe(false);
  });
});

describe('finishSecret with manual consumers', () => {
  it('returns without promoting and asks once when a manual consumer is pending', async () => {
    // Prepare
    const { account, options } = accountWith(['scanner', 'mainframe-gw']);
    const before = account.secrets.versionWithStage('AWSCURRENT');

    // Act
    const run = await runRotation(account, options);
    await continueRotation(account, run.token, options);

    // Assess: reported as succeeded to Secrets Manager (no failure, no retries), not promoted, asked once
    expect(run.succeeded).toBe(true);
    expect(run.attempts).toBe(1);
    expect(account.secrets.versionWithStage('AWSCURRENT')).toBe(before);
    expect(account.secrets.versionWithStage('AWSPENDING')).toBe(run.token);
    const asks = account.notifications.filter((n) => n.subject?.startsWith('ACTION NEEDED: change'));
    expect(asks).toHaveLength(1);
    expect(asks[0]?.message).toContain('mainframe-gw');
    expect(asks[0]?.message).toContain(`credential show --secret-id ${account.secrets.arn} --pending --reveal`);
    expect(account.logs.some((l) => l.message.startsWith('waiting for manual consumers'))).toBe(true);
    expect(checkInvariants(account)).toEqual([]);
    account.restore();
  });

  it('promotes after the last confirmation and lists who confirmed in the audit', async () => {
    // Prepare
    const { account, registry, options } = accountWith(['scanner']);
    const run = await runRotation(account, options);
    account.manual.switchTo('scanner', run.token);
    await registry.confirm(account.secrets.arn, {
      consumer: 'scanner',
      versionId: run.token,
      confirmedBy: 'arn:aws:iam::111122223333:user/alice',
      confirmedAt: new Date(account.clock.now()).toISOString(),
      note: 'CHG-1',
    });

    // Act
    const resumed = await continueRotation(account, run.token, options);

    // Assess
    expect(resumed.succeeded).toBe(true);
    expect(account.secrets.versionWithStage('AWSCURRENT')).toBe(run.token);
    const completed = account.logs.find((l) => l.message === 'rotation completed');
    expect(JSON.stringify(completed?.attributes)).toContain('user/alice');
    expect(account.notifications.at(-1)?.message).toContain('scanner: arn:aws:iam::111122223333:user/alice');
    expect(checkInvariants(account, { completed: true })).toEqual([]);
    account.restore();
  });

  it('behaves exactly as without the feature when the registry is empty', async () => {
    // Prepare
    const { account, options } = accountWith([]);

    // Act
    const run = await runRotation(account, options);

    // Assess
    expect(account.secrets.versionWithStage('AWSCURRENT')).toBe(run.token);
    expect(account.recorder.calls.filter((c) => c.service === 'DynamoDB').map((c) => c.operation)).toEqual(['Query']);
    expect(checkInvariants(account, { completed: true })).toEqual([]);
    account.restore();
  });

  it('retires the old key on a retry after promotion even when a consumer was registered since', async () => {
    // Prepare: promoted, then the Lambda died before retiring; meanwhile someone registered a manual consumer
    const { account } = accountWith([]);
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token);
    await invokeStep(account, 'testSecret', token);
    const current = account.secrets.versionWithStage('AWSCURRENT');
    account.secrets.updateSecretVersionStage({
      SecretId: account.secrets.arn,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: token,
      ...(current ? { RemoveFromVersionId: current } : {}),
    });
    account.manual.register('late-scanner');

    // Act
    await invokeStep(account, 'finishSecret', token);

    // Assess: the gate passed at promotion; the retry retires (immediate policy) and asks nobody
    const promoted = storedCredential(account, token);
    expect(account.iam.keys(account.userName).map((k) => k.id)).toEqual([promoted.username]);
    expect(account.notifications.some((n) => n.subject?.startsWith('ACTION NEEDED: change'))).toBe(false);
    expect(account.logs.some((l) => l.message === 'rotation completed')).toBe(true);
    account.restore();
  });

  it('fails without promoting, naming the table, when the configured table is missing', async () => {
    // Prepare
    const { account, options } = accountWith([]);
    account.dynamodb.deleteTable(account.registryTable ?? '');

    // Act
    const run = await runRotation(account, { ...options, maxAttempts: 1 });

    // Assess
    expect(run.succeeded).toBe(false);
    const failure = run.invocations.at(-1);
    expect(failure?.step).toBe('finishSecret');
    expect(failure?.error?.message).toContain(`manual-consumer table ${account.registryTable} does not exist`);
    expect(account.secrets.versionWithStage('AWSCURRENT')).not.toBe(run.token);
    account.restore();
  });
});
