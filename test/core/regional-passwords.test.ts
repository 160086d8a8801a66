import { SecretShapeError } from '../../src/core/errors';
import { passwordForRelay } from '../../src/core/regional-passwords';
import { parseSecretValue, serializeCredential, type SmtpCredential } from '../../src/core/secret';
import { sampleCredential, SAMPLE_PASSWORD } from '../fixtures/credential';
import { SIGV4_VECTORS } from '../fixtures/smtp-password-vectors';
import { thrownBy } from '../thrown';

const PRIMARY = SAMPLE_PASSWORD;
const DR = SIGV4_VECTORS[0]!.password;
const SINGLE = sampleCredential('eu-west-1');
const MULTI: SmtpCredential = {
  ...SINGLE,
  additionalRegions: [{ region: 'eu-central-1', endpoint: 'email-smtp.eu-central-1.amazonaws.com', password: DR }],
};

function withEntries(entries: unknown): string {
  return JSON.stringify({ ...SINGLE, additionalRegions: entries });
}

function rejection(text: string): SecretShapeError {
  return thrownBy(() => parseSecretValue(text), SecretShapeError);
}

describe('additionalRegions in the secret', () => {
  it('round-trips a credential with a disaster-recovery region', () => {
    // Act
    const parsed = parseSecretValue(serializeCredential(MULTI));
    // Assess
    expect(parsed).toEqual({ kind: 'credential', credential: MULTI });
  });

  it('serializes a single-region credential exactly as the previous release did', () => {
    const text = serializeCredential({ ...SINGLE, additionalRegions: [] });
    expect(text).toBe(
      JSON.stringify({
        username: SINGLE.username,
        password: PRIMARY,
        region: 'eu-west-1',
        endpoint: 'email-smtp.eu-west-1.amazonaws.com',
        port: 587,
        iamUserName: 'ses-smtp-sender',
      }),
    );
    expect(parseSecretValue(text)).toEqual({ kind: 'credential', credential: SINGLE });
  });

  it('keeps the primary fields first and the additional regions last, each as region, endpoint, password', () => {
    const json = JSON.parse(serializeCredential(MULTI)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      'username',
      'password',
      'region',
      'endpoint',
      'port',
      'iamUserName',
      'additionalRegions',
    ]);
    expect(Object.keys((json.additionalRegions as object[])[0]!)).toEqual(['region', 'endpoint', 'password']);
  });

  it.each([
    ['not a list', { region: 'eu-central-1' }, 'additionalRegions'],
    ['an entry that is not an object', ['eu-central-1'], 'additionalRegions[0]'],
    [
      'a bad region',
      [{ region: 'EU', endpoint: 'email-smtp.eu-central-1.amazonaws.com', password: DR }],
      'additionalRegions[0].region',
    ],
    [
      'the primary region',
      [{ region: 'eu-west-1', endpoint: 'email-smtp.eu-west-1.amazonaws.com', password: DR }],
      'additionalRegions[0].region',
    ],
    [
      'an endpoint of another region',
      [{ region: 'eu-central-1', endpoint: 'email-smtp.us-east-1.amazonaws.com', password: DR }],
      'additionalRegions[0].endpoint',
    ],
    [
      'the primary endpoint',
      [{ region: 'eu-central-1', endpoint: 'email-smtp.eu-west-1.amazonaws.com', password: DR }],
      'additionalRegions[0].endpoint',
    ],
    [
      'a region twice',
      [
        { region: 'eu-central-1', endpoint: 'email-smtp.eu-central-1.amazonaws.com', password: DR },
        { region: 'eu-central-1', endpoint: 'vpce.example.internal', password: DR },
      ],
      'additionalRegions[1].region',
    ],
    [
      'a missing password',
      [{ region: 'eu-central-1', endpoint: 'email-smtp.eu-central-1.amazonaws.com' }],
      'additionalRegions[0].password',
    ],
  ])('refuses %s, naming the field', (_what, entries, field) => {
    const error = rejection(withEntries(entries));
    expect(error.field).toBe(field);
    expect(error.message).not.toContain(DR);
    expect(error.message).not.toContain(PRIMARY);
  });

  it('refuses a raw secret access key in an additional region without quoting it', () => {
    const raw = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const error = rejection(
      withEntries([{ region: 'eu-central-1', endpoint: 'email-smtp.eu-central-1.amazonaws.com', password: raw }]),
    );
    expect(error.field).toBe('additionalRegions[0].password');
    expect(error.message).toContain('raw IAM secret access key');
    expect(error.message).not.toContain(raw);
  });

  it('refuses additional passwords in a secret that has no username', () => {
    const error = rejection(JSON.stringify({ region: 'eu-west-1', additionalRegions: [] }));
    expect(error.field).toBe('additionalRegions');
  });
});

describe('passwordForRelay', () => {
  it('gives the primary password to a relay of the primary endpoint', () => {
    expect(passwordForRelay(MULTI, 'EMAIL-SMTP.eu-west-1.amazonaws.com')).toEqual({
      region: 'eu-west-1',
      endpoint: 'email-smtp.eu-west-1.amazonaws.com',
      password: PRIMARY,
    });
  });

  it("gives the additional region's password to a relay of that region's endpoint", () => {
    expect(passwordForRelay(MULTI, 'email-smtp.eu-central-1.amazonaws.com')?.password).toBe(DR);
  });

  it('gives nothing to a relay of any other host', () => {
    expect(passwordForRelay(MULTI, 'email-smtp.us-east-1.amazonaws.com')).toBeUndefined();
    expect(passwordForRelay(SINGLE, 'email-smtp.eu-central-1.amazonaws.com')).toBeUndefined();
  });
});
