import { LAMBDA_ENVIRONMENT_LIMIT_BYTES } from '../../src/core/trusted-ca';
import { loadConfig } from '../../src/rotation/config';
import { createTlsAuthority } from '../../src/sandbox/tls-authority';
import { EXPIRED_CA_PEM } from '../fixtures/expired-ca';
import { configRefusal, MINIMAL_ENV as ENV } from './config-env';

const proxy = createTlsAuthority('Bank TLS inspection root');

describe('loadConfig SMTP_TRUSTED_CA_PEM', () => {
  it('trusts no extra CA when the variable is unset or empty', () => {
    // Prepare / Act / Assess
    expect(loadConfig(ENV).trustedCa).toBeUndefined();
    expect(loadConfig({ ...ENV, SMTP_TRUSTED_CA_PEM: ' ' }).trustedCa).toBeUndefined();
  });

  it('reads the extra CA as checked certificate blocks only', () => {
    // Prepare / Act
    const config = loadConfig({ ...ENV, SMTP_TRUSTED_CA_PEM: `# proxy root\n${proxy.caCertPem}` });

    // Assess
    expect(config.trustedCa?.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    expect(config.trustedCa?.pem).not.toContain('#');
    expect(config.trustedCa?.certificates.map((c) => c.subject)).toEqual(['CN=Bank TLS inspection root']);
  });

  it('loads an expired CA, so that steps without an SMTP login (finishSecret, the retirement pass) still run', () => {
    // Prepare / Act
    const config = loadConfig({ ...ENV, SMTP_TRUSTED_CA_PEM: EXPIRED_CA_PEM });

    // Assess
    expect(config.trustedCa?.certificates[0]?.validTo).toEqual(new Date('2001-01-01T00:00:00Z'));
  });

  it('refuses a value that is not a PEM certificate, naming the variable', () => {
    // Prepare / Act
    const error = configRefusal({ SMTP_TRUSTED_CA_PEM: 'proxy-ca.pem' });

    // Assess
    expect(error.setting).toBe('SMTP_TRUSTED_CA_PEM');
    expect(error.message).toMatch(/^environment variable SMTP_TRUSTED_CA_PEM holds no PEM certificate: supply the CA/);
  });

  it('refuses variables over Lambda’s 4 KB, naming the CA variable and the size', () => {
    // Prepare: CA certificates until the bundle alone is over 4096 bytes.
    const bundle = caBundleOver(4096);

    // Act
    const error = configRefusal({ SMTP_TRUSTED_CA_PEM: bundle });

    // Assess
    expect(error.setting).toBe('SMTP_TRUSTED_CA_PEM');
    expect(error.message).toMatch(
      new RegExp(
        `makes the function's variables \\d+ bytes, over Lambda's ${LAMBDA_ENVIRONMENT_LIMIT_BYTES}-byte limit`,
      ),
    );
    expect(error.message).toContain('trust only the CA that signs the SMTP endpoint');
  });

  it('names the variable in the error of any other bad variable too', () => {
    // Prepare / Act / Assess
    expect(configRefusal({ SMTP_PORT: 'x' }).setting).toBe('SMTP_PORT');
  });
});

/** Distinct CA certificates concatenated until the PEM text is longer than `bytes`. */
function caBundleOver(bytes: number): string {
  let bundle = '';
  for (let i = 1; bundle.length <= bytes; i++) bundle += createTlsAuthority(`CA ${i}`).caCertPem;
  return bundle;
}
