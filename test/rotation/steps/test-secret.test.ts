import { CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SendCommandCommand } from '@aws-sdk/client-ssm';
import type { Deadline } from '../../../src/core/clock';
import { parseSecretValue } from '../../../src/core/secret';
import type { SmtpProbe, SmtpProbeTarget } from '../../../src/rotation/ports';
import { SandboxAccount } from '../../../src/sandbox/account';
import { runRotation } from '../../../src/sandbox/rotation-driver';
import { allText, invokeStep, startRotation } from './step-harness';
import { sent } from '../../sandbox/sent-commands';

/** A probe that records what it was asked to prove, then delegates to the sandbox's SES check. */
function recordingProbe(account: SandboxAccount) {
  const targets: { target: SmtpProbeTarget; remainingMs: number }[] = [];
  const real = account.sesProbe();
  const probe: SmtpProbe = {
    authenticate: (target, deadline: Deadline) => {
      targets.push({ target, remainingMs: deadline.remaining() });
      return real.authenticate(target, deadline);
    },
  };
  return { probe, targets };
}

describe('testSecret', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it('authenticates the pending credential at its endpoint and logs the result without the password', async () => {
    account = new SandboxAccount();
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token);
    const { probe, targets } = recordingProbe(account);
    await invokeStep(account, 'testSecret', token, { probe });
    const pending = parseSecretValue(account.secrets.peekValue(token));
    if (pending.kind !== 'credential') throw new Error('no credential');
    expect(targets).toHaveLength(1);
    expect(targets[0]?.target).toEqual({
      host: 'email-smtp.eu-west-1.amazonaws.com',
      port: 587,
      region: 'eu-west-1',
      username: pending.credential.username,
      password: pending.credential.password,
    });
    // The probe's window is bounded by PROBE_MAX_WAIT_SECONDS (150 s by default), not the whole Lambda budget.
    expect(targets[0]?.remainingMs).toBeLessThanOrEqual(150_000);
    expect(account.logs.some((l) => l.message === 'the pending credential authenticates')).toBe(true);
    expect(allText(account)).not.toContain(pending.credential.password);
  });

  it('fails, naming the key masked, when the pending credential is rejected', async () => {
    account = new SandboxAccount();
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token);
    const pending = parseSecretValue(account.secrets.peekValue(token));
    if (pending.kind !== 'credential') throw new Error('no credential');
    account.iam.updateAccessKey({
      UserName: 'ses-smtp-sender',
      AccessKeyId: pending.credential.username,
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
    const current = parseSecretValue(account.secrets.peekValue(account.secrets.versionWithStage('AWSCURRENT')!));
    expect(targets.map((t) => t.target.username)).toEqual([
      current.kind === 'credential' ? current.credential.username : '',
    ]);
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
