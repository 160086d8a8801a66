import { generateKeyPairSync } from 'node:crypto';
import {
  lambdaEnvironmentBytes,
  parseTrustedCaPem,
  readTrustedCa,
  TRUSTED_CA_SETTING,
  TrustedCaProblem,
  trustedCaValidityProblem,
} from '../../src/core/trusted-ca';
import { createTlsAuthority } from '../../src/sandbox/tls-authority';
import { EXPIRED_CA_LAST_DAY, EXPIRED_CA_PEM, EXPIRED_CA_SUBJECT } from '../fixtures/expired-ca';

const proxy = createTlsAuthority('Bank TLS inspection root');
const other = createTlsAuthority('Bank issuing CA');

function problem(text: string): TrustedCaProblem {
  try {
    parseTrustedCaPem(text);
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
    expect(bundle.certificates).toEqual([
      { subject: 'CN=Bank TLS inspection root', validFrom: expect.any(Date), validTo: expect.any(Date) },
    ]);
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

  it('accepts an expired certificate: its form is sound, its validity is checked where it is used', () => {
    // Prepare / Act
    const bundle = parseTrustedCaPem(EXPIRED_CA_PEM);

    // Assess
    expect(bundle.certificates).toEqual([
      {
        subject: EXPIRED_CA_SUBJECT,
        validFrom: new Date('2000-01-01T00:00:00Z'),
        validTo: new Date('2001-01-01T00:00:00Z'),
      },
    ]);
  });

  it('names every place the setting can be given', () => {
    // Prepare / Act / Assess
    expect(TRUSTED_CA_SETTING).toContain('smtpTrustedCaPem');
    expect(TRUSTED_CA_SETTING).toContain('smtpTrustedCaFile');
    expect(TRUSTED_CA_SETTING).toContain('SMTP_TRUSTED_CA_PEM');
  });
});

describe('readTrustedCa', () => {
  it('returns the bundle of a well-formed CA', () => {
    // Prepare / Act / Assess
    expect(readTrustedCa(proxy.caCertPem, () => new Error('refused')).certificates).toHaveLength(1);
  });

  it('throws the error the boundary builds from the problem when the CA is malformed', () => {
    // Prepare
    const refuse = (message: string) => new Error(`setting X ${message}`);

    // Act / Assess
    expect(() => readTrustedCa('proxy-ca.pem', refuse)).toThrow(/^setting X holds no PEM certificate/);
  });
});

describe('trustedCaValidityProblem', () => {
  const bundle = parseTrustedCaPem(`${other.caCertPem}${proxy.caCertPem}`);
  const validTo = bundle.certificates[0]!.validTo;

  it('finds nothing wrong while every certificate is valid', () => {
    // Prepare / Act / Assess
    expect(trustedCaValidityProblem(bundle, new Date())).toBeUndefined();
  });

  it('names the expired certificate, its last day and the remedy when one has expired', () => {
    // Prepare / Act
    const found = trustedCaValidityProblem(parseTrustedCaPem(EXPIRED_CA_PEM), new Date());

    // Assess
    expect(found).toBe(
      `holds certificate 1 (${EXPIRED_CA_SUBJECT}), which expired on ${EXPIRED_CA_LAST_DAY}: ` +
        "replace it with the CA's current certificate",
    );
  });

  it('says which certificate is not valid yet when the clock is before its start', () => {
    // Prepare
    const tenYearsAgo = new Date(validTo.getTime() - 10 * 365 * 86_400_000);

    // Act / Assess
    expect(trustedCaValidityProblem(bundle, tenYearsAgo)).toMatch(
      /^holds certificate 1 \(CN=Bank issuing CA\), which is not valid before \d{4}-\d\d-\d\d: check the clock/,
    );
  });

  it('names the first certificate past its end in a bundle', () => {
    // Prepare
    const later = new Date(validTo.getTime() + 10 * 365 * 86_400_000);

    // Act / Assess
    expect(trustedCaValidityProblem(bundle, later)).toMatch(
      /^holds certificate 1 \(CN=Bank issuing CA\), which expired/,
    );
  });
});

describe('lambdaEnvironmentBytes', () => {
  it('measures the variables as Lambda does: their JSON text in UTF-8 bytes', () => {
    // Prepare / Act / Assess
    expect(lambdaEnvironmentBytes({ A: 'b' })).toBe('{"A":"b"}'.length);
    expect(lambdaEnvironmentBytes({ A: 'line\nend', B: 'é' })).toBe(Buffer.byteLength('{"A":"line\\nend","B":"é"}'));
  });
});
