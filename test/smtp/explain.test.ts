import { deriveSmtpPassword } from '../../src/core/smtp-password';
import {
  SmtpAccountNotSubscribedError,
  SmtpAuthRejectedError,
  SmtpAuthRequiredError,
  SmtpNotAuthorizedError,
  type ProbeSummary,
} from '../../src/smtp/errors';
import { explainFailure, passwordShape, type ExplainContext } from '../../src/smtp/explain';
import { DEFAULT_TIMEOUTS } from '../../src/smtp/settings';

const summary: ProbeSummary = {
  host: 'email-smtp.eu-west-1.amazonaws.com',
  port: 587,
  tlsMode: 'starttls',
  region: 'eu-west-1',
  username: 'AKIA…MPLE',
  attempts: 3,
  elapsedMs: 12_345,
  responseCode: 535,
};
const context: ExplainContext = { summary, passwordShape: 'sigv4', timeouts: DEFAULT_TIMEOUTS, deadlineReached: true };

describe('passwordShape', () => {
  it('tells a derived password from a legacy SigV2 one, a raw secret key and anything else', () => {
    expect(passwordShape(deriveSmtpPassword('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'eu-west-1'))).toBe('sigv4');
    expect(passwordShape(`A${'b'.repeat(43)}`)).toBe('sigv2');
    expect(passwordShape('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe('secret-key');
    expect(passwordShape('hunter2')).toBe('other');
  });
});

describe('explainFailure', () => {
  it('explains a 535 with the derivation region, the host, attempts and elapsed time', () => {
    const error = explainFailure(
      { kind: 'rejected', responseCode: 535, response: '535 Authentication Credentials Invalid', detail: '' },
      context,
    );

    expect(error).toBeInstanceOf(SmtpAuthRejectedError);
    expect(error.message).toContain(
      'SMTP AUTH as AKIA…MPLE (password derived for eu-west-1) at email-smtp.eu-west-1.amazonaws.com:587 (STARTTLS)',
    );
    expect(error.message).toContain('(3 attempts in 12.3 s, until the time allowed for the check ran out)');
    expect(error.message).toContain('the raw secret access key was used as the password');
    expect(error.message).toContain('legacy SigV2 password');
    expect(error.message).toContain('brand new and still not accepted after 12.3 s');
    expect(error.summary).toBe(summary);
  });

  it('leads with the raw-secret-key or SigV2 shape when the password has it', () => {
    const raw = explainFailure({ kind: 'rejected', detail: '' }, { ...context, passwordShape: 'secret-key' });
    const v2 = explainFailure({ kind: 'rejected', detail: '' }, { ...context, passwordShape: 'sigv2' });

    expect(raw.message).toMatch(/Likely causes: the password has the shape of a raw IAM secret access key/);
    expect(v2.message).toMatch(/Likely causes: the password has the shape of a legacy SigV2 SMTP password/);
  });

  it('names both regions when the host belongs to another region than the password', () => {
    const error = explainFailure(
      { kind: 'rejected', detail: '' },
      { ...context, summary: { ...summary, host: 'email-smtp.us-east-1.amazonaws.com' } },
    );

    expect(error.message).toContain('the host is in us-east-1 but the password was derived for eu-west-1');
  });

  it('explains 535 Account not subscribed, 530 and 554 with what to do', () => {
    const notSubscribed = explainFailure(
      { kind: 'not-subscribed', detail: '' },
      { ...context, deadlineReached: false },
    );
    const required = explainFailure({ kind: 'auth-required', detail: '' }, context);
    const denied = explainFailure({ kind: 'not-authorized', detail: '' }, context);

    expect(notSubscribed).toBeInstanceOf(SmtpAccountNotSubscribedError);
    expect(notSubscribed.message).toContain('not enabled for SES in eu-west-1');
    expect(notSubscribed.message).not.toContain('until the time allowed');
    expect(required).toBeInstanceOf(SmtpAuthRequiredError);
    expect(required.message).toContain('bug');
    expect(denied).toBeInstanceOf(SmtpNotAuthorizedError);
    expect(denied.message).toContain('ses:SendRawEmail');
  });

  it('keeps the given cause', () => {
    const cause = new Error('library detail');

    expect(explainFailure({ kind: 'protocol', detail: 'x' }, context, cause).cause).toBe(cause);
  });
});
