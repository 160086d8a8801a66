/**
 * Keeps a library error as the cause of a probe error without any chance of carrying the password: a new plain
 * error with the useful fields copied and every form of the password (raw, base64, AUTH PLAIN token) replaced.
 */

/** The forms in which a password can appear on the wire or in a library's message. */
export function secretForms(username: string, password: string): string[] {
  if (password === '') return [];
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return [
    password,
    b64(password),
    b64(`\u0000${username}\u0000${password}`),
    b64(`${username}\u0000${username}\u0000${password}`),
  ];
}

/** Replaces every occurrence of the given secrets in a text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== '') out = out.split(secret).join('[redacted]');
  }
  return out;
}

const COPIED_FIELDS = ['code', 'originalCode', 'responseCode', 'response', 'command', 'timeoutType'] as const;

/** A secret-free copy of an error (message, name and the nodemailer fields above); nested causes are dropped. */
export function sanitizedCause(error: unknown, secrets: readonly string[]): Error {
  const source = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const message = error instanceof Error ? error.message : String(error);
  const copy = new Error(redact(message, secrets)) as Error & Record<string, unknown>;
  if (error instanceof Error) copy.name = redact(error.name, secrets);
  for (const field of COPIED_FIELDS) {
    const value = source[field];
    if (typeof value === 'string') copy[field] = redact(value, secrets);
    else if (typeof value === 'number') copy[field] = value;
  }
  return copy;
}
