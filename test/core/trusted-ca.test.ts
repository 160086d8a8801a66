import { generateKeyPairSync } from 'node:crypto';
import {
  lambdaEnvironmentBytes,
  parseTrustedCaPem,
  TRUSTED_CA_SETTING,
  TrustedCaProblem,
} from '../../src/core/trusted-ca';
import { createTlsAuthority } from '../../src/sandbox/tls-authority';

const proxy = createTlsAuthority('Bank TLS inspection root');
const other = createTlsAuthority('Bank issuing CA');

function problem(text: string, now?: Date): TrustedCaProblem {
  try {
    parseTrustedCaPem(text, now);
  } catch (error) {
    if (error instanceof TrustedCaProblem) return error;
    throw error;
  }
  throw new Error('expected the value to be refused');
}

describe('parseTrustedCaPem', () => {
  it('accepts one CA certificate and names it by subject', () => {
    // Prepare / Act
    const bundle = parseTrustedCaPem(proxy.caCertPem);

    // Assess
    expect(bundle.certificates).toEqual([{ subject: 'CN=Bank TLS inspection root', validTo: expect.any(Date) }]);
    expect(bundle.pem).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('keeps only the certificate blocks of a bundle with comments and Windows line ends', () => {
    // Prepare
    const text = `# proxy root\r\n${proxy.caCertPem.replace(/\n/g, '\r\n')}subject=CN=Bank issuing CA\n${other.caCertPem}`;

    // Act
    const bundle = parseTrustedCaPem(text);

    // Assess
    expect(bundle.certificates.map((c) => c.subject)).toEqual(['CN=Bank TLS inspection root', 'CN=Bank issuing CA']);
    expect(bundle.pem).not.toMatch(/#|subject=|\r/);
    expect(parseTrustedCaPem(bundle.pem).certificates).toHaveLength(2);
  });

  it('refuses a private key without echoing it', () => {
    // Prepare
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;

    // Act
    const error = problem(proxy.caCertPem + key);

    // Assess
    expect(error.message).toMatch(/^contains a private key: supply only the CA certificate/);
    const body = key.split('\n')[1]!;
    expect(error.message).not.toContain(body);
  });

  it.each([
    ['no PEM at all', 'MIIB-not-a-pem', /^holds no PEM certificate/],
    ['another block type', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', /type PUBLIC KEY/],
    [
      'a block that does not decode',
      '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n',
      /does not decode \(block 1\)/,
    ],
  ])('refuses %s', (_name, text, message) => {
    // Prepare / Act / Assess
    expect(problem(text).message).toMatch(message);
  });

  it('refuses a certificate outside its validity period', () => {
    // Prepare
    const inTenYears = new Date(Date.now() + 10 * 365 * 86_400_000);
    const tenYearsAgo = new Date(Date.now() - 10 * 365 * 86_400_000);

    // Act / Assess
    expect(problem(proxy.caCertPem, inTenYears).message).toMatch(
      /^holds certificate 1 \(CN=Bank TLS inspection root\), which expired on \d{4}-\d\d-\d\d: supply the CA's current/,
    );
    expect(problem(proxy.caCertPem, tenYearsAgo).message).toMatch(/is not valid before/);
  });

  it('names every place the setting can be given', () => {
    // Prepare / Act / Assess
    expect(TRUSTED_CA_SETTING).toContain('smtpTrustedCaPem');
    expect(TRUSTED_CA_SETTING).toContain('smtpTrustedCaFile');
    expect(TRUSTED_CA_SETTING).toContain('SMTP_TRUSTED_CA_PEM');
  });
});

describe('lambdaEnvironmentBytes', () => {
  it('measures the variables as Lambda does: their JSON text in UTF-8 bytes', () => {
    // Prepare / Act / Assess
    expect(lambdaEnvironmentBytes({ A: 'b' })).toBe('{"A":"b"}'.length);
    expect(lambdaEnvironmentBytes({ A: 'line\nend', B: 'é' })).toBe(Buffer.byteLength('{"A":"line\\nend","B":"é"}'));
  });
});
