import { DeleteAccessKeyCommand } from '@aws-sdk/client-iam';
import { UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { SendCommandCommand } from '@aws-sdk/client-ssm';
import { parseSecretValue } from '../../../src/core/secret';
import { SandboxAccount } from '../../../src/sandbox/account';
import { checkInvariants } from '../../../src/sandbox/invariants';
import { runRotation } from '../../../src/sandbox/rotation-driver';
import { invokeStep, startRotation } from './step-harness';
import { sent } from '../../sandbox/sent-commands';

describe('finishSecret', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  async function createdAndTested(options: ConstructorParameters<typeof SandboxAccount>[0] = {}) {
    account = new SandboxAccount({ hosts: 4, ...options });
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token);
    await invokeStep(account, 'testSecret', token);
    return token;
  }

  function order(): string[] {
    return account.recorder.calls
      .map((c) => c.operation)
      .filter((op) => ['SendCommand', 'UpdateSecretVersionStage', 'DeleteAccessKey', 'Publish'].includes(op));
  }

  it('pushes, then promotes, then retires the old key, then notifies', async () => {
    const token = await createdAndTested();
    const consoleKey = account.iam.keys('ses-smtp-sender')[0]!.id;
    await invokeStep(account, 'finishSecret', token);
    expect(order()).toEqual(['SendCommand', 'UpdateSecretVersionStage', 'DeleteAccessKey', 'Publish']);
    expect(sent(account, SendCommandCommand)).toContainEqual(
      expect.objectContaining({
        Parameters: { SecretArn: [account.secrets.arn], VersionId: [token] },
      }),
    );
    expect(sent(account, UpdateSecretVersionStageCommand)).toContainEqual(
      expect.objectContaining({
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: token,
      }),
    );
    expect(sent(account, DeleteAccessKeyCommand)).toContainEqual(expect.objectContaining({ AccessKeyId: consoleKey }));
    expect(checkInvariants(account, { completed: true })).toEqual([]);
    expect(account.notifications[0]?.message).toContain(`Version:        ${token}`);
    expect(account.metrics).toEqual([{ hostsUpdated: 4, durationSeconds: expect.any(Number) }]);
  });

  it('removes AWSCURRENT from the previous version on a routine rotation', async () => {
    account = new SandboxAccount({ hosts: 2 });
    await runRotation(account, { handler: { probe: account.sesProbe() } });
    const previous = account.secrets.versionWithStage('AWSCURRENT');
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token);
    await invokeStep(account, 'finishSecret', token);
    expect(sent(account, UpdateSecretVersionStageCommand)).toContainEqual(
      expect.objectContaining({
        MoveToVersionId: token,
        RemoveFromVersionId: previous,
      }),
    );
    expect(account.secrets.versionWithStage('AWSPREVIOUS')).toBe(previous);
  });

  it('promotes nothing and retires nothing when a host fails, and names the host', async () => {
    const token = await createdAndTested();
    account.hosts[3]!.behaviour = { kind: 'fail', output: 'postfix: relayhost does not match the secret' };
    await expect(invokeStep(account, 'finishSecret', token)).rejects.toThrow(account.hosts[3]!.instanceId);
    expect(sent(account, UpdateSecretVersionStageCommand)).toHaveLength(0);
    expect(sent(account, DeleteAccessKeyCommand)).toHaveLength(0);
    expect(account.iam.keys('ses-smtp-sender')).toHaveLength(2);
    expect(checkInvariants(account)).toEqual([]); // every host, updated or not, can still send
    expect(account.logs.find((l) => l.attributes?.event === 'push-failed')?.attributes).toMatchObject({
      commandId: expect.any(String),
      failedHosts: expect.arrayContaining([account.hosts[3]!.instanceId]),
    });
  });

  it('still retires the old key when re-run after a crash past promotion, without pushing again', async () => {
    const token = await createdAndTested();
    const consoleKey = account.iam.keys('ses-smtp-sender')[0]!.id;
    // The promotion is applied, then the invocation fails before retirement.
    account.recorder.plan({ operation: 'UpdateSecretVersionStage', when: 'after', kind: 'throw' });
    await expect(invokeStep(account, 'finishSecret', token)).rejects.toThrow('UpdateSecretVersionStage');
    expect(account.secrets.versionWithStage('AWSCURRENT')).toBe(token);
    expect(account.iam.keys('ses-smtp-sender').map((k) => k.id)).toContain(consoleKey);
    await invokeStep(account, 'finishSecret', token);
    expect(account.iam.keys('ses-smtp-sender').map((k) => k.id)).not.toContain(consoleKey);
    expect(sent(account, SendCommandCommand)).toHaveLength(1);
    expect(sent(account, UpdateSecretVersionStageCommand)).toHaveLength(1);
    expect(checkInvariants(account, { completed: true })).toEqual([]);
  });

  it('fails clearly when createSecret has not stored a value', async () => {
    account = new SandboxAccount();
    const token = startRotation(account);
    await expect(invokeStep(account, 'finishSecret', token)).rejects.toThrow('createSecret did not complete');
  });

  it('keeps the old key when the new key was deleted during the rotation', async () => {
    const token = await createdAndTested();
    const pending = parseSecretValue(account.secrets.peekValue(token));
    if (pending.kind !== 'credential') throw new Error('no credential');
    account.hosts.forEach((h) => (h.behaviour = { kind: 'run' }));
    // Every host confirms, then someone deletes the new key before retirement.
    const originalPromote = account.secrets.updateSecretVersionStage.bind(account.secrets);
    account.secrets.updateSecretVersionStage = (input) => {
      const out = originalPromote(input);
      account.iam.deleteAccessKey({ UserName: 'ses-smtp-sender', AccessKeyId: pending.credential.username });
      return out;
    };
    await expect(invokeStep(account, 'finishSecret', token)).rejects.toThrow('Old keys were NOT retired');
    expect(account.iam.keys('ses-smtp-sender')).toHaveLength(1);
  });
});
