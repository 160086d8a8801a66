import { assertHostMatchesRegion, DEFAULT_SMTP_PORT, smtpEndpoint } from './endpoint';
import { SecretShapeError, TemporaryCredentialError } from './errors';
import { IAM_USER_NAME, isSecretEndpoint } from './grammar';
import { ACCESS_KEY_ID_PATTERN } from './key-shapes';
import { parseSmtpPassword } from './password-field';
import { REGION_PATTERN } from './regions';
import {
  ADDITIONAL_REGIONS_FIELD,
  parseRegionalPasswords,
  serializeRegionalPasswords,
  type RegionalPassword,
} from './regional-passwords';

/**
 * The value the rotation stores in the secret. The raw IAM secret access key is never stored: the SMTP password
 * is derived from it once, and the username is the access key id.
 */
export interface SmtpCredential {
  /** The IAM access key id (`AKIA…`): SES's SMTP user name. */
  readonly username: string;
  /** The SigV4 SMTP password for {@link region} (44 characters, starts with `B`). */
  readonly password: string;
  /** The SES region the password is derived for. */
  readonly region: string;
  /** The SMTP host the hosts relay to, e.g. `email-smtp.eu-west-1.amazonaws.com`. */
  readonly endpoint: string;
  /** The SMTP port (587 STARTTLS by default). */
  readonly port: number;
  /** The IAM user that owns the access key. */
  readonly iamUserName: string;
  /**
   * Passwords of the same key for the additional (disaster-recovery) regions, stored under `additionalRegions`.
   * Absent (never an empty list) for a single-region credential, so its serialization is unchanged.
   * @default none
   */
  readonly additionalRegions?: readonly RegionalPassword[];
}

/**
 * A credential with every password dropped: what the operator CLI keeps of a version (the additional regions by
 * name and endpoint only).
 */
export type CredentialWithoutPasswords = Omit<SmtpCredential, 'password' | 'additionalRegions'> & {
  readonly additionalRegions?: readonly Omit<RegionalPassword, 'password'>[];
};

/** Drops every password of a credential (the primary one and each additional region's). */
export function withoutPasswords(credential: SmtpCredential): CredentialWithoutPasswords {
  const { password: _primary, additionalRegions, ...rest } = credential;
  return {
    ...rest,
    ...(additionalRegions !== undefined && {
      additionalRegions: additionalRegions.map(({ region, endpoint }) => ({ region, endpoint })),
    }),
  };
}

/** Non-credential settings a secret may hold before its first rotation (all optional). */
export interface SmtpSettings {
  readonly region?: string;
  readonly endpoint?: string;
  readonly port?: number;
  readonly iamUserName?: string;
  readonly fips?: boolean;
}

/** What a secret version holds: nothing, settings only, or a full credential. */
export type SecretValue =
  | { readonly kind: 'empty' }
  | { readonly kind: 'settings'; readonly settings: SmtpSettings }
  | { readonly kind: 'credential'; readonly credential: SmtpCredential };

/**
 * Parses a secret string (or its absence) into a typed value. Errors name the field and what is expected; they
 * never include the value, because the value may be a password.
 */
export function parseSecretValue(secretString: string | undefined | null): SecretValue {
  if (secretString === undefined || secretString === null || secretString.trim() === '') return { kind: 'empty' };
  let json: unknown;
  try {
    json = JSON.parse(secretString);
  } catch {
    // JSON.parse's own message quotes the input: it must not reach a log.
    throw new SecretShapeError(
      '(value)',
      'is not JSON: the secret must hold a JSON object such as {"region": "eu-west-1", "iamUserName": "ses-smtp-user"}',
    );
  }
  return parseSecretObject(json);
}

/**
 * Like {@link parseSecretValue}, but undefined instead of an error: for values whose being malformed is itself the
 * answer (a legacy SigV2 password or a random initial string in AWSCURRENT is what a rotation replaces).
 */
export function tryParseSecretValue(secretString: string | undefined | null): SecretValue | undefined {
  try {
    return parseSecretValue(secretString);
  } catch {
    return undefined;
  }
}

/** Parses already-decoded JSON. See {@link parseSecretValue}. */
export function parseSecretObject(json: unknown): SecretValue {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SecretShapeError('(value)', 'must be a JSON object with the fields username, password, region, …');
  }
  const o = json as Record<string, unknown>;
  const settings = parseSettings(o);
  const hasUser = o.username !== undefined;
  const hasPassword = o.password !== undefined;
  if (!hasUser && !hasPassword) {
    if (o[ADDITIONAL_REGIONS_FIELD] !== undefined) {
      throw new SecretShapeError(ADDITIONAL_REGIONS_FIELD, 'holds passwords but username and password are missing');
    }
    return Object.keys(settings).length === 0 ? { kind: 'empty' } : { kind: 'settings', settings };
  }
  if (!hasUser) throw new SecretShapeError('username', 'is missing: a password needs the access key id it belongs to');
  if (!hasPassword) throw new SecretShapeError('password', 'is missing: the username has no SMTP password');
  const username = parseAccessKeyId(o.username, 'username');
  const password = parseSmtpPassword(o.password, 'password');
  for (const field of ['region', 'endpoint', 'iamUserName'] as const) {
    if (settings[field] === undefined) {
      throw new SecretShapeError(field, 'is missing: a credential records its region, endpoint and IAM user name');
    }
  }
  const region = settings.region as string;
  const endpoint = settings.endpoint as string;
  assertHostMatchesRegion(endpoint, region);
  const additional = o[ADDITIONAL_REGIONS_FIELD];
  const additionalRegions = additional === undefined ? [] : parseRegionalPasswords(additional, { region, endpoint });
  return {
    kind: 'credential',
    credential: {
      username,
      password,
      region,
      endpoint,
      port: settings.port ?? DEFAULT_SMTP_PORT,
      iamUserName: settings.iamUserName as string,
      ...(additionalRegions.length > 0 && { additionalRegions }),
    },
  };
}

/** Serializes a credential with a stable field order (PutSecretValue idempotency compares the exact string). */
export function serializeCredential(credential: SmtpCredential): string {
  const { username, password, region, endpoint, port, iamUserName, additionalRegions = [] } = credential;
  // Last, and only when present: the Linux step reads the primary fields from the text before this one.
  return JSON.stringify({
    username,
    password,
    region,
    endpoint,
    port,
    iamUserName,
    ...(additionalRegions.length > 0 && { [ADDITIONAL_REGIONS_FIELD]: serializeRegionalPasswords(additionalRegions) }),
  });
}

/** The endpoint settings resolve to: the explicit one, else the standard (or FIPS) host of the region. */
export function endpointOf(settings: SmtpSettings & { region: string }): string {
  return settings.endpoint ?? smtpEndpoint(settings.region, { fips: settings.fips });
}

/**
 * Validates an access key id. Temporary (STS, `ASIA…`) keys are refused: AWS forbids deriving SMTP passwords
 * from them, and they expire.
 */
export function parseAccessKeyId(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new SecretShapeError(field, 'must be a string (an IAM access key id, AKIA…)');
  if (value.startsWith('ASIA')) {
    throw new TemporaryCredentialError(
      `secret field "${field}" holds a temporary (STS) access key id (ASIA…): SES SMTP credentials must come from ` +
        'a long-term IAM user key (AKIA…), and AWS forbids deriving them from temporary credentials. Let the ' +
        'rotation mint a key for the SES user: run a rotation (ses-smtp-rotation rotate)',
    );
  }
  if (!ACCESS_KEY_ID_PATTERN.test(value)) {
    throw new SecretShapeError(field, 'must be an IAM user access key id: AKIA followed by 12 to 124 letters/digits');
  }
  return value;
}

function parseSettings(o: Record<string, unknown>): SmtpSettings {
  const s: { -readonly [K in keyof SmtpSettings]: SmtpSettings[K] } = {};
  if (o.region !== undefined) {
    if (typeof o.region !== 'string' || !REGION_PATTERN.test(o.region)) {
      throw new SecretShapeError('region', 'must be an AWS region name such as eu-west-1');
    }
    s.region = o.region;
  }
  if (o.endpoint !== undefined) {
    if (typeof o.endpoint !== 'string' || !isSecretEndpoint(o.endpoint)) {
      throw new SecretShapeError(
        'endpoint',
        'must be a lower-case host name such as email-smtp.eu-west-1.amazonaws.com',
      );
    }
    s.endpoint = o.endpoint;
  }
  if (o.port !== undefined) {
    if (typeof o.port !== 'number' || !Number.isInteger(o.port) || o.port < 1 || o.port > 65535) {
      throw new SecretShapeError('port', 'must be a TCP port number, for example 587 (STARTTLS) or 465 (TLS)');
    }
    s.port = o.port;
  }
  if (o.iamUserName !== undefined) {
    if (typeof o.iamUserName !== 'string' || !IAM_USER_NAME.test(o.iamUserName)) {
      throw new SecretShapeError(
        'iamUserName',
        'must be an IAM user name (1–64 characters of letters, digits, +=,.@_-)',
      );
    }
    s.iamUserName = o.iamUserName;
  }
  if (o.fips !== undefined) {
    if (typeof o.fips !== 'boolean') throw new SecretShapeError('fips', 'must be true or false');
    s.fips = o.fips;
  }
  return s;
}
