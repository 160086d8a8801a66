import { assertHostMatchesRegion } from './endpoint';
import { EndpointRegionMismatchError, SecretShapeError } from './errors';
import { isSecretEndpoint } from './grammar';
import { parseSmtpPassword } from './password-field';
import { REGION_PATTERN } from './regions';

/**
 * The secret field holding the passwords of the additional (disaster-recovery) regions. The primary region keeps
 * the top-level `password`, `region` and `endpoint`, so a consumer that knows nothing of additional regions reads
 * the secret exactly as before.
 */
export const ADDITIONAL_REGIONS_FIELD = 'additionalRegions';

/** The SMTP password of the credential's access key for one additional region. */
export interface RegionalPassword {
  /** The SES region the password is derived for, e.g. `eu-central-1`. */
  readonly region: string;
  /** That region's SMTP host; a relay whose relay host equals it installs {@link password}. */
  readonly endpoint: string;
  /** The SigV4 SMTP password for {@link region}. Never logged. */
  readonly password: string;
}

/** Serializes with a stable key order (region, endpoint, password): PutSecretValue compares exact strings. */
export function serializeRegionalPasswords(entries: readonly RegionalPassword[]): RegionalPassword[] {
  return entries.map(({ region, endpoint, password }) => ({ region, endpoint, password }));
}

/**
 * Parses the {@link ADDITIONAL_REGIONS_FIELD} of a credential. Every error names the field path
 * (`additionalRegions[1].password`), never a value.
 * @throws SecretShapeError when the field is not a list of `{region, endpoint, password}` objects, when a region
 *   repeats or equals the primary one, or when an endpoint repeats (a relay could not tell which password is its)
 */
export function parseRegionalPasswords(
  value: unknown,
  primary: { readonly region: string; readonly endpoint: string },
): RegionalPassword[] {
  const field = ADDITIONAL_REGIONS_FIELD;
  if (!Array.isArray(value)) {
    throw new SecretShapeError(field, 'must be a list of {"region", "endpoint", "password"} objects');
  }
  const seenRegions = new Set([primary.region]);
  const seenEndpoints = new Set([primary.endpoint]);
  return value.map((entry: unknown, index) => {
    const at = `${field}[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new SecretShapeError(at, 'must be an object with the fields region, endpoint and password');
    }
    const o = entry as Record<string, unknown>;
    if (typeof o.region !== 'string' || !REGION_PATTERN.test(o.region)) {
      throw new SecretShapeError(`${at}.region`, 'must be an AWS region name such as eu-central-1');
    }
    if (seenRegions.has(o.region)) {
      throw new SecretShapeError(
        `${at}.region`,
        `repeats ${o.region}, which is the primary region or an earlier entry: each region has one password`,
      );
    }
    if (typeof o.endpoint !== 'string' || !isSecretEndpoint(o.endpoint)) {
      throw new SecretShapeError(
        `${at}.endpoint`,
        'must be a lower-case host name such as email-smtp.eu-central-1.amazonaws.com',
      );
    }
    try {
      assertHostMatchesRegion(o.endpoint, o.region);
    } catch (error) {
      if (!(error instanceof EndpointRegionMismatchError)) throw error;
      throw new SecretShapeError(`${at}.endpoint`, `is not in ${o.region}: ${error.message}`);
    }
    if (seenEndpoints.has(o.endpoint)) {
      throw new SecretShapeError(
        `${at}.endpoint`,
        `repeats ${o.endpoint}: a relay picks its password by its relay host, so every endpoint must be distinct`,
      );
    }
    const password = parseSmtpPassword(o.password, `${at}.password`);
    seenRegions.add(o.region);
    seenEndpoints.add(o.endpoint);
    return { region: o.region, endpoint: o.endpoint, password };
  });
}

/**
 * The password a relay installs: the primary one when its relay host is the credential's endpoint, an additional
 * region's when it is that region's endpoint, none otherwise (the relay must change nothing). The rule the SSM
 * document applies on the hosts (Linux and IIS), here for the sandbox's simulated relays and the operator CLI.
 */
export function passwordForRelay(
  credential: {
    readonly password: string;
    readonly region: string;
    readonly endpoint: string;
    readonly additionalRegions?: readonly RegionalPassword[];
  },
  relayHost: string,
): RegionalPassword | undefined {
  const host = relayHost.toLowerCase();
  if (host === credential.endpoint) {
    return { region: credential.region, endpoint: credential.endpoint, password: credential.password };
  }
  return credential.additionalRegions?.find((r) => r.endpoint === host);
}
