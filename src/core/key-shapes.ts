/**
 * The shapes of AWS key material and SES SMTP passwords: one definition for the secret parser, the SMTP probe's
 * explanations and the CLI's `derive`. Shapes only: a value that has the shape of a key is not proven to be one,
 * but a value without it certainly is not.
 */

/** An IAM secret access key: 40 characters of the base64 alphabet. */
export const SECRET_ACCESS_KEY_PATTERN = /^[A-Za-z0-9+/]{40}$/;

/** A long-term IAM user access key id (the SMTP user name): `AKIA` and upper-case letters/digits (16–128 long). */
export const ACCESS_KEY_ID_PATTERN = /^AKIA[A-Z0-9]{12,124}$/;

/** A temporary (STS) access key id: `ASIA` and upper-case letters/digits. */
export const TEMPORARY_ACCESS_KEY_ID_PATTERN = /^ASIA[A-Z0-9]{12,124}$/;

/** A SigV4 SES SMTP password: version byte 4 and a 32-byte HMAC in base64, so 44 characters starting with `B`. */
export const SMTP_PASSWORD_PATTERN = /^B[A-Za-z0-9+/]{43}$/;

/** A legacy SigV2 SES SMTP password (version byte 2): 44 characters starting with `A`. SES refuses them. */
export const SIGV2_SMTP_PASSWORD_PATTERN = /^A[A-Za-z0-9+/]{43}$/;

/** Length of a secret access key. */
export const SECRET_ACCESS_KEY_LENGTH = 40;

/** What a single value looks like, by shape. */
export type KeyShape =
  'secret-access-key' | 'access-key-id' | 'temporary-access-key-id' | 'smtp-password' | 'sigv2-smtp-password' | 'other';

/** Classifies a value by shape (see the patterns above); `other` for anything else. */
export function keyShape(value: string): KeyShape {
  if (SECRET_ACCESS_KEY_PATTERN.test(value)) return 'secret-access-key';
  if (ACCESS_KEY_ID_PATTERN.test(value)) return 'access-key-id';
  if (TEMPORARY_ACCESS_KEY_ID_PATTERN.test(value)) return 'temporary-access-key-id';
  if (SMTP_PASSWORD_PATTERN.test(value)) return 'smtp-password';
  if (SIGV2_SMTP_PASSWORD_PATTERN.test(value)) return 'sigv2-smtp-password';
  return 'other';
}

const FIX = 'give the 40-character secret access key of the SES IAM user';

/**
 * Why `value` cannot be a secret access key, said in terms of what it looks like instead, or undefined when it
 * has the shape of one. The text never contains the value (only its length or kind), so it may be printed.
 */
export function secretAccessKeyProblem(value: string): string | undefined {
  if (value === '') return `it is empty: ${FIX}`;
  if (/[\r\n]/.test(value)) return `it holds more than one line: ${FIX}, alone on one line`;
  if (/\s/.test(value)) return `it contains white space: ${FIX} alone, without spaces or tabs`;
  switch (keyShape(value)) {
    case 'secret-access-key':
      return undefined;
    case 'access-key-id':
      return (
        'it looks like an access key id (AKIA…), which is the SMTP user name, not the secret: ' +
        `${FIX}, the value shown once next to that id when the key was created`
      );
    case 'temporary-access-key-id':
      return (
        'it looks like a temporary (STS) access key id (ASIA…): AWS forbids deriving SMTP passwords from ' +
        `temporary credentials, and an id is not the secret anyway: ${FIX}`
      );
    case 'smtp-password':
      return (
        'it looks like an SES SMTP password already (44 characters starting with "B"): it is derived from a secret ' +
        'access key, deriving it again gives a password SES rejects. Use it as it is, or derive from the key itself'
      );
    case 'sigv2-smtp-password':
      return (
        'it looks like a legacy SigV2 SES SMTP password (44 characters starting with "A"), which SES no longer ' +
        `accepts: ${FIX} (or let a rotation mint a new key)`
      );
    case 'other':
      break;
  }
  if (value.length < SECRET_ACCESS_KEY_LENGTH) {
    return `it is too short (${value.length} characters; a secret access key has 40): ${FIX}, complete`;
  }
  if (value.length > SECRET_ACCESS_KEY_LENGTH) {
    return `it is too long (${value.length} characters; a secret access key has 40): ${FIX} alone`;
  }
  return (
    'it has 40 characters but some are outside A-Z a-z 0-9 + / (quotes, "-" or "_" of a URL-safe copy?): ' +
    `${FIX} exactly as AWS showed it`
  );
}
