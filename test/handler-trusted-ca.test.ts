import { SandboxAccount } from '../src/sandbox/account';
import { checkInvariants } from '../src/sandbox/invariants';
import { runRotation, type RotationRun } from '../src/sandbox/rotation-driver';
import { SesLikeSmtpEndpoint } from '../src/sandbox/smtp-endpoint';
import { createTlsAuthority } from '../src/sandbox/tls-authority';

// The endpoint's certificate is signed by a private CA only (as behind a TLS-inspecting proxy).
const proxyCa = createTlsAuthority('Bank TLS inspection root');
const unrelatedCa = createTlsAuthority('Bank issuing CA');

describe('handler with the real SMTP probe and a private CA (SMTP_TRUSTED_CA_PEM)', () => {
  let ses: SesLikeSmtpEndpoint;
  let account: SandboxAccount;

  beforeEach(async () => {
    const ref: { account?: SandboxAccount } = {};
    ses = new SesLikeSmtpEndpoint({
      certificate: proxyCa.issueServerCertificate(['127.0.0.1']),
      authenticate: (username, password) =>
        ref.account?.iam.authenticateSmtp(username, password, 'eu-west-1') ? 'accept' : 'reject',
    });
    const port = await ses.start();
    account = new SandboxAccount({ hosts: 2, initialSecret: 'settings', endpoint: '127.0.0.1', port });
    ref.account = account;
  });

  afterEach(async () => {
    account.restore();
    await ses.stop();
  });

  function failure(run: RotationRun): Error {
    const failed = run.invocations.find((i) => i.result === 'failed');
    expect(failed?.step).toBe('testSecret');
    return failed!.error!;
  }

  function expectNoSecretIn(texts: readonly string[]): void {
    const all = texts.join('\n');
    for (const secret of account.secretValues()) expect(all.includes(secret) ? 'secret found' : 'clean').toBe('clean');
  }

  it('fails testSecret without the setting, explaining the untrusted chain and naming the setting', async () => {
    // Prepare / Act
    const run = await runRotation(account, { maxAttempts: 1 });

    // Assess
    expect(run.succeeded).toBe(false);
    const error = failure(run);
    expect(error.name).toBe('SmtpTlsError');
    expect(error.message).toContain('the certificate chain is not trusted');
    expect(error.message).toContain('construct prop smtpTrustedCaPem');
    expect(error.message).toContain('function variable SMTP_TRUSTED_CA_PEM');
    expect(ses.authAttemptCount).toBe(0); // the credentials were never sent
    expect(checkInvariants(account, { completed: false })).toEqual([]);
    expectNoSecretIn([error.message, JSON.stringify(account.logs)]);
  });

  it('logs in over TLS and completes the rotation with the CA that signs the endpoint', async () => {
    // Prepare / Act
    const run = await runRotation(account, { maxAttempts: 1, env: { SMTP_TRUSTED_CA_PEM: proxyCa.caCertPem } });

    // Assess
    expect(run.succeeded).toBe(true);
    expect(ses.authAttempts.some((a) => a.verdict === 'accept' && a.secure)).toBe(true);
    expect(account.logs.some((l) => l.message === 'the pending credential authenticates')).toBe(true);
    expect(checkInvariants(account, { completed: true })).toEqual([]);
    expectNoSecretIn([JSON.stringify(account.logs)]);
  });

  it('says the configured CA is the wrong one when it does not sign the endpoint', async () => {
    // Prepare / Act
    const run = await runRotation(account, { maxAttempts: 1, env: { SMTP_TRUSTED_CA_PEM: unrelatedCa.caCertPem } });

    // Assess
    const error = failure(run);
    expect(error.message).toContain('the configured extra CA does not sign this certificate');
    expect(ses.authAttemptCount).toBe(0);
  });
});
