import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../../src/core/errors';
import { ENV } from '../../src/rotation/config';
import { createTlsAuthority } from '../../src/sandbox/tls-authority';
import { SesSmtpRotation } from '../../infra/lib/ses-smtp-rotation';
import { SesSmtpRotationStack } from '../../infra/lib/ses-smtp-rotation-stack';
import { settingsFromContext } from '../../infra/lib/settings';
import { DAY_MS } from '../../src/rotation/retirement-policy';
import { EXPIRED_CA_LAST_DAY, EXPIRED_CA_PEM } from '../fixtures/expired-ca';
import { baseProps, FIXTURE_DOCUMENTS, INLINE_CODE, onlyResource, rotationTemplate, stackWith } from './helpers';

// Valid for longer than the default quarterly schedule: no warning about the next rotation.
const proxy = createTlsAuthority('Bank TLS inspection root', { validDays: 400 });
const from = (context: Record<string, unknown>) => settingsFromContext((key) => context[key]);

function functionVariables(template: Template): Record<string, unknown> {
  return onlyResource(template, 'AWS::Lambda::Function').Properties.Environment.Variables as Record<string, unknown>;
}

function refusal(build: () => unknown): ConfigurationError {
  try {
    build();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('smtpTrustedCaPem (construct prop)', () => {
  it('reaches the function as SMTP_TRUSTED_CA_PEM, certificate blocks only', () => {
    // Prepare / Act
    const template = rotationTemplate({ smtpTrustedCaPem: `# proxy root\n${proxy.caCertPem}` });

    // Assess
    const value = functionVariables(template)[ENV.trustedCaPem] as string;
    expect(value.replace(/\s/g, '')).toBe(proxy.caCertPem.replace(/\s/g, ''));
  });

  it('sets no variable when the prop is not given', () => {
    // Prepare / Act / Assess
    expect(functionVariables(rotationTemplate())).not.toHaveProperty(ENV.trustedCaPem);
  });

  it('fails synth naming the prop for a value that is not a PEM certificate, or holds a key', () => {
    // Prepare
    const build = (smtpTrustedCaPem: string) => () =>
      stackWith((stack) => new SesSmtpRotation(stack, 'Rotation', baseProps({ smtpTrustedCaPem })));

    // Act
    const path = refusal(build('/etc/ssl/proxy-ca.pem'));
    const key = refusal(build(`${proxy.caCertPem}-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n`));

    // Assess
    expect(path.setting).toBe('smtpTrustedCaPem');
    expect(path.message).toMatch(/^SesSmtpRotation prop smtpTrustedCaPem holds no PEM certificate/);
    expect(key.message).toMatch(/^SesSmtpRotation prop smtpTrustedCaPem contains a private key/);
  });

  it('fails synth naming the prop for a certificate block that does not decode', () => {
    // Prepare
    const malformed = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';

    // Act
    const error = refusal(() =>
      stackWith((stack) => new SesSmtpRotation(stack, 'Rotation', baseProps({ smtpTrustedCaPem: malformed }))),
    );

    // Assess
    expect(error.setting).toBe('smtpTrustedCaPem');
    expect(error.message).toMatch(/^SesSmtpRotation prop smtpTrustedCaPem holds a certificate that does not decode/);
  });

  it('synthesizes with an expired CA but warns that rotations stop until it is replaced', () => {
    // Prepare / Act
    const stack = stackWith((s) => new SesSmtpRotation(s, 'Rotation', baseProps({ smtpTrustedCaPem: EXPIRED_CA_PEM })));

    // Assess
    expect(functionVariables(Template.fromStack(stack))[ENV.trustedCaPem]).toBe(EXPIRED_CA_PEM);
    Annotations.fromStack(stack).hasWarning(
      '/Test/Rotation',
      Match.stringLikeRegexp(
        `smtpTrustedCaPem holds certificate 1 .*expired on ${EXPIRED_CA_LAST_DAY}.*every rotation stops at createSecret`,
      ),
    );
  });

  it('gives no warning for a CA that is valid now', () => {
    // Prepare / Act
    const stack = stackWith(
      (s) => new SesSmtpRotation(s, 'Rotation', baseProps({ smtpTrustedCaPem: proxy.caCertPem })),
    );

    // Assess
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('smtpTrustedCaPem'));
  });

  it('warns when the CA expires before the next scheduled rotation may run, naming the day', () => {
    // Prepare: a CA valid one more day, under the default quarterly schedule (up to 92 days between rotations).
    const shortLived = createTlsAuthority('Bank TLS inspection root');
    const until = new Date(Date.now() + DAY_MS).toISOString().slice(0, 10);

    // Act
    const stack = stackWith(
      (s) => new SesSmtpRotation(s, 'Rotation', baseProps({ smtpTrustedCaPem: shortLived.caCertPem })),
    );

    // Assess
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp(
        `smtpTrustedCaPem expires on ${until}, before the next scheduled rotation may run \\(up to 92 days from now\\)`,
      ),
    );
  });

  it('does not warn about the next rotation when the schedule rotates before the CA expires', () => {
    // Prepare: a CA valid forty more days, rotations every thirty.
    const ca = createTlsAuthority('Bank TLS inspection root', { validDays: 40 });

    // Act
    const stack = stackWith(
      (s) =>
        new SesSmtpRotation(
          s,
          'Rotation',
          baseProps({ smtpTrustedCaPem: ca.caCertPem, schedule: { expression: 'rate(30 days)', window: '3h' } }),
        ),
    );

    // Assess
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('smtpTrustedCaPem'));
  });

  it("fails synth when the CA would push the function's variables over Lambda's 4 KB", () => {
    // Prepare: CA certificates until the bundle alone is over 4096 bytes.
    const bundle = caBundleOver(4096);

    // Act
    const error = refusal(() =>
      stackWith((stack) => new SesSmtpRotation(stack, 'Rotation', baseProps({ smtpTrustedCaPem: bundle }))),
    );

    // Assess
    expect(error.setting).toBe('smtpTrustedCaPem');
    expect(error.message).toMatch(/prop smtpTrustedCaPem .*\d+ bytes.* over Lambda's 4096-byte limit/);
  });
});

describe('smtpTrustedCaPem / smtpTrustedCaFile (context keys)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'trusted-ca-'));
  const file = join(directory, 'proxy-ca.pem');
  writeFileSync(file, proxy.caCertPem);

  it('reads the CA from the PEM text or from a file, and the stack passes it to the function', () => {
    // Prepare / Act
    const fromText = from({ identities: 'example.com', smtpTrustedCaPem: proxy.caCertPem });
    const fromFile = from({ identities: 'example.com', smtpTrustedCaFile: file });
    const stack = new SesSmtpRotationStack(new App(), 'Installation', {
      settings: { ...fromFile, fleetTags: { Role: ['relay'] } },
      code: INLINE_CODE,
      documentsDirectory: FIXTURE_DOCUMENTS,
    });

    // Assess
    expect(fromText.smtpTrustedCaPem).toBe(fromFile.smtpTrustedCaPem);
    const variables = functionVariables(Template.fromStack(stack));
    expect(variables[ENV.trustedCaPem]).toBe(fromFile.smtpTrustedCaPem);
  });

  it('explains an unreadable file, a file without a certificate and both keys at once', () => {
    // Prepare
    const notPem = join(directory, 'notes.txt');
    writeFileSync(notPem, 'ask the proxy team');

    // Act / Assess
    expect(() => from({ identities: 'a.com', smtpTrustedCaFile: join(directory, 'missing.pem') })).toThrow(
      /^context key smtpTrustedCaFile names .*missing\.pem, which cannot be read \(ENOENT\): pass -c smtpTrustedCaFile=/,
    );
    expect(() => from({ identities: 'a.com', smtpTrustedCaFile: notPem })).toThrow(
      /^context key smtpTrustedCaFile names .*notes\.txt, which holds no PEM certificate/,
    );
    expect(() => from({ identities: 'a.com', smtpTrustedCaFile: file, smtpTrustedCaPem: proxy.caCertPem })).toThrow(
      /smtpTrustedCaFile cannot be combined with smtpTrustedCaPem/,
    );
  });
});

/** Distinct CA certificates concatenated until the PEM text is longer than `bytes`. */
function caBundleOver(bytes: number): string {
  let bundle = '';
  for (let i = 1; bundle.length <= bytes; i++) bundle += createTlsAuthority(`CA ${i}`).caCertPem;
  return bundle;
}
