import { parseSecretValue, type SmtpCredential } from '../core/secret';
import { RotationStateError } from './errors';
import { type SecretVersionValue } from './ports';

/** Parses a version that must hold a full credential (the pending version after createSecret). */
export function credentialOf(version: SecretVersionValue, what: string): SmtpCredential {
  const value = parseSecretValue(version.secretString);
  if (value.kind !== 'credential') {
    throw new RotationStateError(
      `${what} (version ${version.versionId}) holds no SMTP credential: it was written by something other than ` +
        'this rotation; cancel the rotation, remove AWSPENDING from that version, and start a new one',
    );
  }
  return value.credential;
}
