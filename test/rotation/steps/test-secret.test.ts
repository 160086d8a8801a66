import { CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SendCommandCommand } from '@aws-sdk/client-ssm';
import { SandboxAccount } from '../../../src/sandbox/account';
import { runRotation } from '../../../src/sandbox/rotation-driver';
import { allText, invokeStep, recordingProbe, startRotation, storedCredential } from './step-harness';
import { sent } from '../../sandbox/sent-commands';

describe('testSecret', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it('authenticates the pending credential at its endpoint and logs the result without the password', async () => {
    account = new SandboxAccount();
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token);
    const { probe, targets } = recordingProbe(account);
    await invokeStep(account, 'testSecret', token, { probe });
    const pending = storedCredential(account, token);
    expect(targets).toHaveLength(1);
    expect(targets[0]?.target).toEqual({
      host: 'email-smtp.eu-west-1.amazonaws.com',
      port: 587,
      region: 'eu-west-1',
      username: pending.username,
      password: pending.password,
    });
    // The probe's window is bounded by PROBE_MAX_WAIT_SECONDS (150 s by default), not the whole Lambda budget.
    expect(targets[0]?.remainingMs).toBeLessThanOrEqual(150_000);
    expect(account.logs.some((l) => l.message === 'the pending credential authenticates')).toBe(true);
    expect(allText(account)).not.toContain(pending.password);
  });

  it('fails, naming the key masked, when the pending credential is rejected', async () => {
    account = new SandboxAccount();
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token);
    const pending = storedCredential(account, token);
    account.iam.updateAccessKey({
      UserName: 'ses-smtp-sender',
      AccessKeyId: pending.username,
      Status: 'Inactive',
    });
    await expect(invokeStep(account, 'testSecret', token)).rejects.toThrow('535 Authentication Credentials Invalid');
  });

  it('runs a configuration test only when the pending version has no value (RotateImmediately=false)', async () => {
    account = new SandboxAccount({ initialSecret: 'settings' });
    await runRotation(account, { handler: { probe: account.sesProbe() } });
    const token = startRotation(account);
    const { probe, targets } = recordingProbe(account);
    await invokeStep(account, 'testSecret', token, { probe });
    expect(account.logs.some((l) => l.message.includes('configuration test only'))).toBe(true);
    // It proves the current credential still works, and changes nothing.
    const current = storedCredential(account, account.secrets.versionWithStage('AWSCURRENT')!);
    expect(targets.map((t) => t.target.username)).toEqual([current.username]);
    expect(sent(account, CreateAccessKeyCommand)).toHaveLength(1); // the first rotation's only
    expect(sent(account, PutSecretValueCommand)).toHaveLength(1);
    expect(sent(account, SendCommandCommand)).toHaveLength(1);
  });

  it('runs a configuration test on a secret that was never rotated without touching anything', async () => {
    account = new SandboxAccount();
    const token = startRotation(account);
    const { probe, targets } = recordingProbe(account);
    await invokeStep(account, 'testSecret', token, { probe });
    expect(targets).toEqual([]);
    expect(sent(account, CreateAccessKeyCommand)).toHaveLength(0);
  });

  it('does not probe a version that is already AWSCURRENT', async () => {
    account = new SandboxAccount();
    const run = await runRotation(account, { handler: { probe: account.sesProbe() } });
    const { probe, targets } = recordingProbe(account);
    await invokeStep(account, 'testSecret', run.token, { probe });
    expect(targets).toEqual([]);
  });
});
