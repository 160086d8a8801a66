import { formatTagTargets, HOST_NAME, IAM_USER_NAME, readTagTargets } from '../../src/core/grammar';

describe('readTagTargets', () => {
  it('reads several keys with several values, trimming spaces', () => {
    expect(readTagTargets('Role=relay, relay-dr;Env=prod')).toEqual([
      { key: 'Role', values: ['relay', 'relay-dr'] },
      { key: 'Env', values: ['prod'] },
    ]);
  });

  it.each([['Role'], ['=relay'], ['Role='], ['Ro!e=relay'], [`Role=${'v,'.repeat(51)}`]])(
    'returns undefined for %j',
    (text) => {
      expect(readTagTargets(text)).toBeUndefined();
    },
  );

  it('reads back what formatTagTargets writes', () => {
    const targets = [
      { key: 'Role', values: ['relay', 'relay-dr'] },
      { key: 'aws:cloudformation:stack-name', values: ['mail'] },
    ];
    expect(readTagTargets(formatTagTargets(targets))).toEqual(targets);
  });
});

describe('HOST_NAME and IAM_USER_NAME', () => {
  it('accept host names with labels up to 63 characters and refuse longer labels or bad characters', () => {
    expect(HOST_NAME.test('email-smtp.eu-west-1.amazonaws.com')).toBe(true);
    expect(HOST_NAME.test(`${'a'.repeat(63)}.example`)).toBe(true);
    expect(HOST_NAME.test(`${'a'.repeat(64)}.example`)).toBe(false);
    expect(HOST_NAME.test('relay_1.example')).toBe(false);
  });

  it('accept IAM user names of 1–64 allowed characters only', () => {
    expect(IAM_USER_NAME.test('ses-smtp+sender@corp')).toBe(true);
    expect(IAM_USER_NAME.test('a'.repeat(65))).toBe(false);
    expect(IAM_USER_NAME.test('ses smtp')).toBe(false);
  });
});
