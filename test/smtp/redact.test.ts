import { redact, sanitizedCause, secretForms } from '../../src/smtp/redact';

const username = 'AKIAIOSFODNN7EXAMPLE';
const password = 'BExamplePasswordThatIsNotRealAtAll0123456789';

describe('secretForms', () => {
  it('covers the raw password, its base64 and the AUTH PLAIN token', () => {
    const plainToken = Buffer.from(`\u0000${username}\u0000${password}`).toString('base64');

    const forms = secretForms(username, password);

    expect(forms).toEqual(expect.arrayContaining([password, Buffer.from(password).toString('base64'), plainToken]));
  });
});

describe('sanitizedCause', () => {
  it('keeps the codes and reply of a library error and removes every form of the password', () => {
    const token = Buffer.from(`\u0000${username}\u0000${password}`).toString('base64');
    const original = Object.assign(new Error(`Invalid login for ${password} (AUTH PLAIN ${token})`), {
      code: 'EAUTH',
      responseCode: 535,
      response: '535 Authentication Credentials Invalid',
      command: `AUTH PLAIN ${token}`,
      password,
    });

    const cause = sanitizedCause(original, secretForms(username, password)) as Error & Record<string, unknown>;

    expect(cause.message).toBe('Invalid login for [redacted] (AUTH PLAIN [redacted])');
    expect(cause).toMatchObject({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN [redacted]' });
    expect(cause.password).toBeUndefined();
    expect(`${cause.stack} ${JSON.stringify(cause)}`).not.toContain(password);
  });

  it('turns a non-error value into an error', () => {
    expect(sanitizedCause('plain failure', []).message).toBe('plain failure');
  });
});

describe('redact', () => {
  it('replaces every occurrence and leaves other text alone', () => {
    expect(redact('a s3cret b s3cret', ['s3cret', ''])).toBe('a [redacted] b [redacted]');
  });
});
