import {
  EndpointRegionMismatchError,
  LegacyPasswordError,
  SecretShapeError,
  TemporaryCredentialError,
} from '../../src/core/errors';
import { parseSecretValue, serializeCredential, tryParseSecretValue } from '../../src/core/secret';
import { sampleCredential, SAMPLE_PASSWORD } from '../fixtures/credential';
import { SIGV2_VECTORS } from '../fixtures/smtp-password-vectors';

const PASSWORD = SAMPLE_PASSWORD;
const CREDENTIAL = sampleCredential('us-east-2');

function withField(field: string, value: unknown): string {
  return JSON.stringify({ ...CREDENTIAL, [field]: value });
}

/** Asserts that parsing throws `type` and that no secret-looking input leaks into the message. */
function expectRejected(text: string, type: new (...args: never[]) => Error, mentions: string, secret?: string): void {
  let caught: unknown;
  try {
    parseSecretValue(text);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(type);
  const message = (caught as Error).message;
  expect(message).toContain(mentions);
  if (secret !== undefined) expect(message).not.toContain(secret);
}

describe('parseSecretValue', () => {
  it('reads a missing or blank value as empty', () => {
    expect(parseSecretValue(undefined)).toEqual({ kind: 'empty' });
    expect(parseSecretValue('  ')).toEqual({ kind: 'empty' });
    expect(parseSecretValue('{}')).toEqual({ kind: 'empty' });
  });

  it('reads a settings-only value', () => {
    expect(parseSecretValue('{"region":"eu-west-1","iamUserName":"ses-smtp-sender","port":465}')).toEqual({
      kind: 'settings',
      settings: { region: 'eu-west-1', iamUserName: 'ses-smtp-sender', port: 465 },
    });
  });

  it('reads a full credential and round-trips it', () => {
    const parsed = parseSecretValue(serializeCredential(CREDENTIAL));
    expect(parsed).toEqual({ kind: 'credential', credential: CREDENTIAL });
  });

  it('serializes with a stable field order', () => {
    const shuffled = { ...CREDENTIAL, username: CREDENTIAL.username };
    expect(serializeCredential(shuffled)).toBe(serializeCredential(CREDENTIAL));
    expect(Object.keys(JSON.parse(serializeCredential(CREDENTIAL)))).toEqual([
      'username',
      'password',
      'region',
      'endpoint',
      'port',
      'iamUserName',
    ]);
  });

  it('rejects text that is not JSON without quoting it', () => {
    expectRejected(`password=${PASSWORD}`, SecretShapeError, 'is not JSON', PASSWORD);
  });

  it('rejects a JSON value that is not an object', () => {
    expectRejected('["x"]', SecretShapeError, 'must be a JSON object');
  });

  it('rejects a temporary (ASIA) access key id and says why', () => {
    expectRejected(withField('username', 'ASIAIOSFODNN7EXAMPLE'), TemporaryCredentialError, 'temporary (STS)');
    expectRejected(withField('username', 'ASIAIOSFODNN7EXAMPLE'), TemporaryCredentialError, 'AKIA');
  });

  it('rejects a username that is not an access key id', () => {
    expectRejected(
      withField('username', 'ses-smtp-sender'),
      SecretShapeError,
      '"username" must be an IAM user access key id',
    );
  });

  it.each(SIGV2_VECTORS)('rejects a stored legacy SigV2 password and says to rotate', ({ password }) => {
    expectRejected(withField('password', password), LegacyPasswordError, 'legacy SigV2', password);
    expectRejected(withField('password', password), LegacyPasswordError, 'rotate', password);
  });

  it('rejects a raw secret access key stored as the password', () => {
    const raw = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expectRejected(withField('password', raw), SecretShapeError, 'raw IAM secret access key', raw);
  });

  it('rejects a malformed password without echoing it', () => {
    expectRejected(withField('password', 'hunter2-not-a-password'), SecretShapeError, '44 characters', 'hunter2');
  });

  it('rejects a password without a username and the reverse', () => {
    expectRejected(JSON.stringify({ password: PASSWORD }), SecretShapeError, '"username" is missing', PASSWORD);
    expectRejected(JSON.stringify({ username: CREDENTIAL.username }), SecretShapeError, '"password" is missing');
  });

  it('rejects a credential without its region', () => {
    const { region: _region, ...rest } = CREDENTIAL;
    expectRejected(JSON.stringify(rest), SecretShapeError, '"region" is missing');
  });

  it.each([
    ['region', 'EU-West-1', 'must be an AWS region name'],
    ['endpoint', 'Email SMTP', 'must be a lower-case host name'],
    ['port', '587', 'must be a TCP port number'],
    ['port', 70000, 'must be a TCP port number'],
    ['iamUserName', 'a b', 'must be an IAM user name'],
    ['fips', 'yes', 'must be true or false'],
  ])('names the field %s when its value is wrong', (field, value, expected) => {
    expectRejected(withField(field, value), SecretShapeError, `"${field}" ${expected}`);
  });

  it('rejects an endpoint in another region than the password', () => {
    expectRejected(
      withField('endpoint', 'email-smtp.eu-west-1.amazonaws.com'),
      EndpointRegionMismatchError,
      'region-bound',
    );
  });
});

describe('tryParseSecretValue', () => {
  it('returns the parsed value, or undefined instead of an error', () => {
    expect(tryParseSecretValue(serializeCredential(CREDENTIAL))).toEqual({
      kind: 'credential',
      credential: CREDENTIAL,
    });
    expect(tryParseSecretValue('not json')).toBeUndefined();
    expect(tryParseSecretValue(withField('password', SIGV2_VECTORS[0]!.password))).toBeUndefined();
  });
});
