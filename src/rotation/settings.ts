import { ConfigurationError } from '../core/errors';
import type { CredentialWithoutPasswords, SecretValue, SmtpCredential, SmtpSettings } from '../core/secret';
import type { RotationConfig } from './config';

/** Where the new credential will be used: the Lambda's configuration, checked against what the secret records. */
export type CredentialTarget = Omit<SmtpCredential, 'username' | 'password' | 'additionalRegions'>;

/**
 * The Lambda's configuration decides the region, endpoint, port and user. A secret that records different ones
 * (settings or a previous credential) is refused: rotating would silently move the relays to another region or
 * endpoint, where their relayhost no longer matches. Field names and these non-secret values appear in the error.
 */
export function resolveTarget(config: RotationConfig, current: SecretValue): CredentialTarget {
  return checkTarget(config, recordedTarget(current));
}

/**
 * What a secret value records about the target (settings, or a previous credential's fields). Accepts a credential
 * without its password, so the operator CLI can run the same check on what it read.
 */
export function recordedTarget(current: RecordedValue): Partial<CredentialTarget> {
  return current.kind === 'credential' ? current.credential : current.kind === 'settings' ? current.settings : {};
}

/** A secret value as far as the target is concerned: the password is not needed (and the CLI never keeps it). */
export type RecordedValue =
  | { readonly kind: 'empty' }
  | { readonly kind: 'settings'; readonly settings: SmtpSettings }
  | { readonly kind: 'credential'; readonly credential: CredentialWithoutPasswords };

/**
 * The check of {@link resolveTarget} on already extracted fields.
 * @throws ConfigurationError when a recorded field differs from the configuration
 */
export function checkTarget(config: RotationConfig, recorded: Partial<CredentialTarget>): CredentialTarget {
  const target: CredentialTarget = {
    region: config.region,
    endpoint: config.endpoint,
    port: config.port,
    iamUserName: config.iamUserName,
  };
  const mismatches = (['region', 'endpoint', 'port', 'iamUserName'] as const)
    .filter((field) => recorded[field] !== undefined && recorded[field] !== target[field])
    .map(
      (field) =>
        `${field}: the secret says ${String(recorded[field])}, the rotation Lambda is configured with ${String(target[field])}`,
    );
  if (mismatches.length > 0) {
    throw new ConfigurationError(
      `the secret and the rotation Lambda disagree (${mismatches.join('; ')}). Rotating would move the relays; ` +
        "make them agree (change the Lambda configuration or the secret's settings) and retry",
    );
  }
  return target;
}
