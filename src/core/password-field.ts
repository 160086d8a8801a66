import { LegacyPasswordError, SecretShapeError } from './errors';
import { SECRET_ACCESS_KEY_PATTERN, SIGV2_SMTP_PASSWORD_PATTERN, SMTP_PASSWORD_PATTERN } from './key-shapes';

/**
 * Validates one stored SMTP password field (the primary `password` or an additional region's). Shared by the
 * parser of the secret and of its additional regions, so that both refuse the same things with the same advice.
 * @throws SecretShapeError naming `field`, never the value
 * @throws LegacyPasswordError for a SigV2 password
 */
export function parseSmtpPassword(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new SecretShapeError(field, 'must be a string (a SigV4 SES SMTP password)');
  if (SMTP_PASSWORD_PATTERN.test(value)) return value;
  if (SIGV2_SMTP_PASSWORD_PATTERN.test(value)) {
    throw new LegacyPasswordError(
      `secret field "${field}" holds a legacy SigV2 SMTP password (starts with "A"): SES no longer accepts those. ` +
        'Run a rotation to mint a key and store a SigV4 password (ses-smtp-rotation rotate)',
    );
  }
  if (SECRET_ACCESS_KEY_PATTERN.test(value)) {
    throw new SecretShapeError(
      field,
      'looks like a raw IAM secret access key (40 characters), not an SMTP password: SES expects the password ' +
        'derived from it for one region, and the raw key must never be stored. Run a rotation to fix the secret',
    );
  }
  throw new SecretShapeError(field, 'must be a SigV4 SES SMTP password: 44 characters starting with "B"');
}
