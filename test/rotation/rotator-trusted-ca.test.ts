import { CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { ConfigurationError } from '../../src/core/errors';
import { SandboxAccount } from '../../src/sandbox/account';
import { runRetirementPass } from '../../src/sandbox/retirement-driver';
import { runRotation } from '../../src/sandbox/rotation-driver';
import { createTlsAuthority } from '../../src/sandbox/tls-authority';
import { EXPIRED_CA_LAST_DAY, EXPIRED_CA_PEM, EXPIRED_CA_SUBJECT } from '../fixtures/expired-ca';
import { sent } from '../sandbox/sent-commands';
import { invokeStep, startRotation } from './steps/step-harness';
import { rejectionOf } from '../thrown';
import { DAY_MS as DAY, HOUR_MS as HOUR } from '../../src/rotation/retirement-policy';

const expired = { SMTP_TRUSTED_CA_PEM: EXPIRED_CA_PEM };

function refusal(run: Promise<unknown>): Promise<ConfigurationError> {
  return rejectionOf(run, ConfigurationError);
}

describe('runStep with an expired extra CA (SMTP_TRUSTED_CA_PEM)', () => {
  let account: SandboxAccount;
  afterEach(() => account.restore());

  it('refuses createSecret before any AWS call, so no key is minted, naming the setting and the remedy', async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 2 });
    const keysBefore = account.iam.keys(account.userName).map((k) => k.id);
    const token = startRotation(account);
    const callsBefore = account.recorder.calls.length;

    // Act
    const error = await refusal(invokeStep(account, 'createSecret', token, { env: expired }));

    // Assess
    expect(error.setting).toBe('SMTP_TRUSTED_CA_PEM');
    expect(error.message).toContain(
      `SMTP_TRUSTED_CA_PEM holds certificate 1 (${EXPIRED_CA_SUBJECT}), which expired on ${EXPIRED_CA_LAST_DAY}`,
    );
    expect(error.message).toMatch(/replace it with the CA's current certificate/);
    expect(error.message).toContain('construct prop smtpTrustedCaPem');
    expect(sent(account, CreateAccessKeyCommand)).toEqual([]);
    expect(account.recorder.calls.length).toBe(callsBefore);
    expect(account.iam.keys(account.userName).map((k) => k.id)).toEqual(keysBefore);
  });

  it('refuses testSecret the same way, before any relay has the new key', async () => {
    // Prepare: the key was minted while the CA was still good.
    account = new SandboxAccount({ hosts: 2 });
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token);

    // Act
    const error = await refusal(invokeStep(account, 'testSecret', token, { env: expired }));

    // Assess
    expect(error.setting).toBe('SMTP_TRUSTED_CA_PEM');
    expect(error.message).toContain(`which expired on ${EXPIRED_CA_LAST_DAY}`);
    expect(account.recorder.calls.filter((c) => c.service === 'SSM')).toEqual([]);
  });

  it('lets finishSecret push and promote a version tested before the CA expired', async () => {
    // Prepare
    account = new SandboxAccount({ hosts: 2 });
    const token = startRotation(account);
    await invokeStep(account, 'createSecret', token);
    await invokeStep(account, 'testSecret', token);

    // Act
    await invokeStep(account, 'finishSecret', token, { env: expired });

    // Assess
    expect(account.secrets.versionWithStage('AWSCURRENT')).toBe(token);
  });

  it('lets the hourly retirement pass deactivate the old key', async () => {
    // Prepare: a staged rotation completed with a valid CA; the CA expires afterwards.
    account = new SandboxAccount({ hosts: 2, initialSecret: 'settings', retirement: 'staged' });
    const ca = createTlsAuthority('Bank TLS inspection root');
    const valid = { env: { SMTP_TRUSTED_CA_PEM: ca.caCertPem }, handler: { probe: account.sesProbe() } };
    const first = await runRotation(account, valid);
    if (!first.succeeded) throw new Error('first rotation failed');
    account.clock.advance(30 * DAY);
    const second = await runRotation(account, valid);
    if (!second.succeeded) throw new Error('second rotation failed');
    account.clock.advance(25 * HOUR);

    // Act
    const pass = await runRetirementPass(account, { env: expired });

    // Assess
    expect(pass.result).toBe('ok');
    if (pass.result !== 'ok') return;
    expect(pass.report.keys.map((k) => k.decision.action)).toEqual(['deactivate']);
    expect(account.iam.keys(account.userName).filter((k) => k.status === 'Active')).toHaveLength(1);
  });
});
