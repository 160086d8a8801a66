import { MAX_CONCURRENCY, MAX_ERRORS } from '../../../src/rotation/config';
import { allowedPattern, RELEASE_PARAMETERS } from '../../../infra/release/parameters';
import { EMAIL, IDENTITY, TAG_VALUE } from '../../../infra/lib/validate';
import { releaseTemplateJson } from './release-fixture';

/** Values CloudFormation must accept and refuse for each constrained parameter. */
const CASES: Record<string, { good: string[]; bad: string[] }> = {
  CodeBucket: { good: ['my-org-artifacts', 'a.b-c'], bad: ['', 'My_Bucket', '-starts-with-dash', 'x'] },
  CodeKey: { good: ['ses-smtp-rotation/0.1.0/lambda.zip'], bad: ['', 'with space.zip', 'a?b'] },
  CodeBucketRegionSuffix: { good: ['true', 'false'], bad: ['yes', 'TRUE', ''] },
  SendingIdentity: {
    good: ['example.com', 'mail.example.co.uk', 'noreply@example.com'],
    bad: ['', 'example', 'example.com,other.com', 'a b.com', 'arn:aws:ses:eu-west-1:1:identity/x.com', '*.com'],
  },
  FleetTagValue: { good: ['true', 'smtp relay', 'prod/eu'], bad: ['', '   ', 'a,b', 'a;b'] },
  MaxConcurrency: { good: ['1', '10', '10%', '100%'], bad: ['0', '0%', '101%', '10 %', 'ten', ''] },
  MaxErrors: { good: ['0', '1', '5%', '100%'], bad: ['-1', '101%', 'none', ''] },
  NotificationEmail: { good: ['mail-ops@example.com'], bad: ['', 'mail-ops', 'a@b', 'a b@example.com'] },
};

/** CloudFormation's check of one value against a parameter's own constraints. */
function accepts(parameter: { AllowedPattern?: string; AllowedValues?: string[] }, value: string): boolean {
  if (parameter.AllowedValues && !parameter.AllowedValues.includes(value)) return false;
  return parameter.AllowedPattern === undefined || new RegExp(parameter.AllowedPattern).test(value);
}

describe('release template parameters', () => {
  const parameters = releaseTemplateJson().Parameters as Record<
    string,
    { AllowedPattern?: string; AllowedValues?: string[]; Default?: string }
  >;

  it('declares exactly the parameters of the release table, each constrained', () => {
    expect(Object.keys(parameters).sort()).toEqual(RELEASE_PARAMETERS.map((p) => p.name).sort());
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(parameters).sort());
  });

  it.each(Object.entries(CASES))('accepts good and refuses bad values of %s', (name, { good, bad }) => {
    const parameter = parameters[name]!;
    expect(good.filter((value) => !accepts(parameter, value))).toEqual([]);
    expect(bad.filter((value) => accepts(parameter, value))).toEqual([]);
  });

  it('has defaults that pass its own constraints', () => {
    const failing = Object.entries(parameters).filter(([, p]) => p.Default !== undefined && !accepts(p, p.Default));
    expect(failing).toEqual([]);
  });

  it('takes its patterns from the rules the construct and the function validate with', () => {
    expect(parameters.SendingIdentity?.AllowedPattern).toBe(IDENTITY.source);
    expect(parameters.FleetTagValue?.AllowedPattern).toBe(TAG_VALUE.source);
    expect(parameters.MaxConcurrency?.AllowedPattern).toBe(MAX_CONCURRENCY.source);
    expect(parameters.MaxErrors?.AllowedPattern).toBe(MAX_ERRORS.source);
    expect(parameters.NotificationEmail?.AllowedPattern).toBe(EMAIL.source);
  });

  it('refuses a rule with flags, which an AllowedPattern cannot carry', () => {
    expect(() => allowedPattern(/^[\p{L}]+$/u)).toThrow('has flags (u), which AllowedPattern cannot carry');
  });
});
