import { keyShape, secretAccessKeyProblem } from '../../src/core/key-shapes';
import { deriveSmtpPassword } from '../../src/core/smtp-password';
import { SIGV2_VECTORS } from '../fixtures/smtp-password-vectors';

const KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('keyShape', () => {
  it.each([
    [KEY, 'secret-access-key'],
    ['AKIAIOSFODNN7EXAMPLE', 'access-key-id'],
    ['ASIAIOSFODNN7EXAMPLE', 'temporary-access-key-id'],
    [deriveSmtpPassword(KEY, 'eu-west-1'), 'smtp-password'],
    [SIGV2_VECTORS[0]!.password, 'sigv2-smtp-password'],
    ['hunter2', 'other'],
    [`${KEY}=`, 'other'],
  ])('classifies a value of %#', (value, shape) => {
    expect(keyShape(value)).toBe(shape);
  });
});

describe('secretAccessKeyProblem', () => {
  it('accepts the shape of a secret access key', () => {
    expect(secretAccessKeyProblem(KEY)).toBeUndefined();
  });

  it.each([
    ['', 'it is empty'],
    ['AKIAIOSFODNN7EXAMPLE', 'access key id (AKIA…)'],
    ['ASIAIOSFODNN7EXAMPLE', 'temporary (STS) access key id'],
    [deriveSmtpPassword(KEY, 'eu-west-1'), 'SES SMTP password already'],
    [SIGV2_VECTORS[2]!.password, 'legacy SigV2'],
    ['abc', 'too short (3 characters'],
    [KEY.slice(1), 'too short (39 characters'],
    [`${KEY}${KEY}`, 'too long (80 characters'],
    [`${KEY.slice(0, 20)}\n${KEY.slice(20)}`, 'more than one line'],
    [`${KEY.slice(0, 20)} ${KEY.slice(21)}`, 'white space'],
    [KEY.replace('/', '_'), 'outside A-Z a-z 0-9 + /'],
  ])('describes input %# as what it looks like, without quoting it', (value, message) => {
    // Act
    const problem = secretAccessKeyProblem(value);

    // Assess
    expect(problem).toContain(message);
    for (const part of value.split(/\s/).filter((p) => p.length >= 4)) expect(problem).not.toContain(part);
  });
});
