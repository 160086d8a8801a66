import { classifyFailure, isRetryable } from '../../src/smtp/classify';

/** An error shaped like the ones nodemailer's SMTP connection produces. */
function nodemailerError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('classifyFailure', () => {
  it.each([
    [
      '535 credentials',
      { code: 'EAUTH', responseCode: 535, response: '535 Authentication Credentials Invalid', command: 'AUTH PLAIN' },
      'rejected',
    ],
    [
      '535 not subscribed',
      { code: 'EAUTH', responseCode: 535, response: '535 Account not subscribed to SES', command: 'AUTH PLAIN' },
      'not-subscribed',
    ],
    [
      '454',
      { code: 'EAUTH', responseCode: 454, response: '454 Temporary authentication failure', command: 'AUTH LOGIN' },
      'temporary',
    ],
    [
      '530',
      { code: 'EAUTH', responseCode: 530, response: '530 Authentication required', command: 'AUTH PLAIN' },
      'auth-required',
    ],
    [
      '554',
      {
        code: 'EENVELOPE',
        responseCode: 554,
        response: '554 Access denied: not authorized to perform ses:SendRawEmail',
      },
      'not-authorized',
    ],
    [
      'STARTTLS refused',
      { code: 'ETLS', responseCode: 502, response: '502 command not implemented', command: 'STARTTLS' },
      'starttls-missing',
    ],
    ['untrusted certificate', { code: 'ESOCKET', originalCode: 'SELF_SIGNED_CERT_IN_CHAIN', command: 'CONN' }, 'tls'],
    ['host-name mismatch', { code: 'ESOCKET', originalCode: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'tls'],
    ['STARTTLS handshake', { code: 'ETLS', command: 'STARTTLS' }, 'tls'],
    ['greeting timeout', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }, 'timeout'],
    ['OS connect timeout', { code: 'ESOCKET', originalCode: 'ETIMEDOUT' }, 'timeout'],
    ['DNS', { code: 'EDNS', originalCode: 'ENOTFOUND' }, 'dns'],
    ['refused', { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, 'network'],
    ['closed', { code: 'ECONNECTION' }, 'network'],
    [
      'other reply',
      { code: 'EAUTH', responseCode: 504, response: '504 Unrecognized authentication type', command: 'AUTH PLAIN' },
      'protocol',
    ],
  ])('classifies %s', (_name, fields, kind) => {
    expect(classifyFailure(nodemailerError('failure', fields)).kind).toBe(kind);
  });

  it('keeps the reply code, reply text, system code and timeout type', () => {
    const failure = classifyFailure(
      nodemailerError('Greeting never received', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }),
    );

    expect(failure).toEqual({ kind: 'timeout', timeoutType: 'GREETING_TIMEOUT', detail: 'Greeting never received' });
    expect(
      classifyFailure(nodemailerError('x', { code: 'EAUTH', responseCode: 535, response: '535 No ' })),
    ).toMatchObject({ responseCode: 535, response: '535 No' });
  });

  it('treats something that is not an error as a protocol problem', () => {
    expect(classifyFailure('odd')).toEqual({ kind: 'protocol', detail: 'odd' });
  });
});

describe('isRetryable', () => {
  it('retries only 535 and 454', () => {
    const kinds = ['rejected', 'temporary', 'not-subscribed', 'auth-required', 'tls', 'timeout', 'dns'] as const;

    expect(kinds.filter(isRetryable)).toEqual(['rejected', 'temporary']);
  });
});
