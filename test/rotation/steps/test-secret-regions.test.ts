import { SendCommandCommand } from '@aws-sdk/client-ssm';
import { SandboxAccount } from '../../../src/sandbox/account';
import { allText, invokeStep, recordingProbe, startRotation, storedCredential } from './step-harness';
import { sent } from '../../sandbox/sent-commands';

const DR_ENV = { SES_ADDITIONAL_REGIONS: 'eu-central-1' };

describe('createSecret and testSecret with an additional region', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it('stores a password per region that only that region accepts, and proves both', async () => {
    // Prepare
    account = new SandboxAccount();
    const token = startRotation(account);
    // Act
    await invokeStep(account, 'createSecret', token, { env: DR_ENV });
    const { probe, targets } = recordingProbe(account);
    await invokeStep(account, 'testSecret', token, { env: DR_ENV, probe });
    // Assess
    const pending = storedCredential(account, token);
    const [dr] = pending.additionalRegions ?? [];
    expect(pending.region).toBe('eu-west-1');
    expect(dr).toMatchObject({ region: 'eu-central-1', endpoint: 'email-smtp.eu-central-1.amazonaws.com' });
    expect(dr?.password).not.toBe(pending.password);
    expect(account.iam.authenticateSmtp(pending.username, dr!.password, 'eu-central-1', { record: false })).toBe(true);
    expect(account.iam.authenticateSmtp(pending.username, dr!.password, 'eu-west-1', { record: false })).toBe(false);
    expect(targets.map(({ target }) => [target.region, target.host])).toEqual([
      ['eu-west-1', 'email-smtp.eu-west-1.amazonaws.com'],
      ['eu-central-1', 'email-smtp.eu-central-1.amazonaws.com'],
    ]);
    const text = allText(account);
    expect(text).not.toContain(pending.password);
    expect(text).not.toContain(dr!.password);
  });

  it('stops before any relay gets the key when the additional region refuses, naming the region', async () => {
    account = new SandboxAccount();
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token, { env: DR_ENV });
    const { probe } = recordingProbe(account, ['eu-central-1']);
    await expect(invokeStep(account, 'testSecret', token, { env: DR_ENV, probe })).rejects.toThrow('eu-central-1');
    expect(sent(account, SendCommandCommand)).toEqual([]);
    const failure = account.logs.find((l) => l.message.includes('the SMTP check failed in a region'));
    expect(failure?.attributes).toMatchObject({ region: 'eu-central-1' });
  });

  it('warns, naming the region and the way out, when the region was configured after the version was created', async () => {
    account = new SandboxAccount();
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token);
    const { probe, targets } = recordingProbe(account);
    await invokeStep(account, 'testSecret', token, { env: DR_ENV, probe });
    const warning = account.logs.find((l) => l.message.startsWith('the pending version has no password'));
    expect(warning?.message).toContain('rotate --abandon');
    expect(warning?.attributes).toEqual({ regions: ['eu-central-1'], step: 'testSecret', versionId: token });
    // It proves what the version holds: the primary password only.
    expect(targets.map(({ target }) => target.region)).toEqual(['eu-west-1']);
  });

  it('warns at start, and continues, for an additional region not known to have an SMTP endpoint', async () => {
    account = new SandboxAccount();
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token, { env: { SES_ADDITIONAL_REGIONS: 'ap-east-2' } });
    const warning = account.logs.find((l) => l.level === 'warn' && l.message.includes('ap-east-2'));
    expect(warning?.message).toContain('not in this release');
    expect(storedCredential(account, token).additionalRegions?.map((r) => r.region)).toEqual(['ap-east-2']);
  });

  it('refuses at run time when the regions cannot be proven before the function times out', async () => {
    account = new SandboxAccount();
    const token = startRotation(account);
    const env = { SES_ADDITIONAL_REGIONS: 'eu-central-1,us-east-1,us-east-2,us-west-2', PROBE_MAX_WAIT_SECONDS: '400' };
    await invokeStep(account, 'createSecret', token, { env });
    const { probe, targets } = recordingProbe(account);
    // The invocation has less time left than two rounds of 430 s need (a cold start, a short timeout).
    await expect(invokeStep(account, 'testSecret', token, { env, probe, remainingMs: 600_000 })).rejects.toThrow(
      'cannot prove every region before the function times out',
    );
    expect(targets).toEqual([]);
  });
});
