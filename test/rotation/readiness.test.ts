import { ConfigurationError } from '../../src/core/errors';
import { loadConfig } from '../../src/rotation/config';
import { assertTrustedCaCurrent, functionRefusal, type SecretFacts } from '../../src/rotation/readiness';
import { createTlsAuthority } from '../../src/sandbox/tls-authority';
import { EXPIRED_CA_LAST_DAY, EXPIRED_CA_PEM } from '../fixtures/expired-ca';
import { MINIMAL_ENV as ENV } from './config-env';

const FACTS: SecretFacts = {
  meta: { arn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:smtp', rotationEnabled: true, versionStages: {} },
  pendingHasValue: false,
};

describe('assertTrustedCaCurrent', () => {
  it('passes without an extra CA and with one valid now', () => {
    // Prepare
    const valid = loadConfig({ ...ENV, SMTP_TRUSTED_CA_PEM: createTlsAuthority('Proxy root').caCertPem });

    // Act / Assess
    expect(() => assertTrustedCaCurrent(loadConfig(ENV), new Date())).not.toThrow();
    expect(() => assertTrustedCaCurrent(valid, new Date())).not.toThrow();
  });

  it('refuses an expired CA with a configuration error naming the variable', () => {
    // Prepare
    const config = loadConfig({ ...ENV, SMTP_TRUSTED_CA_PEM: EXPIRED_CA_PEM });

    // Act / Assess
    expect(() => assertTrustedCaCurrent(config, new Date())).toThrow(ConfigurationError);
    expect(() => assertTrustedCaCurrent(config, new Date())).toThrow(
      new RegExp(`^environment variable SMTP_TRUSTED_CA_PEM holds certificate 1 .*expired on ${EXPIRED_CA_LAST_DAY}`),
    );
  });
});

describe('functionRefusal', () => {
  it('gives the function’s own CA refusal when the extra CA has expired, so the CLI advice matches it', () => {
    // Prepare
    const config = loadConfig({ ...ENV, SMTP_TRUSTED_CA_PEM: EXPIRED_CA_PEM });

    // Act
    const refusal = functionRefusal(config, FACTS);

    // Assess
    expect(refusal).toMatch(/^environment variable SMTP_TRUSTED_CA_PEM holds certificate 1 .*createSecret mints none/);
    expect(functionRefusal(loadConfig(ENV), FACTS)).toBeUndefined();
  });
});
