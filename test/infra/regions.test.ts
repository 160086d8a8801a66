import { Duration } from 'aws-cdk-lib';
import { ConfigurationError } from '../../src/core/errors';
import { ENV } from '../../src/rotation/config';
import { asArray, contextErrorLine, evaluate, onlyResource, resourcesOfType, rotationTemplate } from './helpers';

const REFS = { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012' };

function sendResources(template: ReturnType<typeof rotationTemplate>): string[] {
  const userId = onlyResource(template, 'AWS::IAM::User').id;
  const statements = resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, r]) => JSON.stringify(r.Properties?.Users ?? []).includes(userId))
    .flatMap(([, r]) => (r.Properties!.PolicyDocument as { Statement: { Resource: unknown }[] }).Statement);
  return statements.flatMap((s) => asArray(s.Resource).map((r) => evaluate(r, REFS))).sort();
}

function functionEnvironment(template: ReturnType<typeof rotationTemplate>): Record<string, unknown> {
  const fn = resourcesOfType(template, 'AWS::Lambda::Function').find(([, r]) =>
    JSON.stringify(r.Properties ?? {}).includes(ENV.region),
  );
  return (fn![1].Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
}

/** The one line the app entry prints for this context, or undefined when it synthesizes. */
function lineFor(context: Record<string, unknown>): string | undefined {
  return contextErrorLine({ identities: 'example.com', fleetTags: 'Role=relay', sesRegion: 'eu-west-1', ...context });
}

describe('SesSmtpRotation with additional SES regions', () => {
  it('lets the SES user send in the primary and the DR region, with the identity and configuration set of each', () => {
    // Prepare / Act
    const template = rotationTemplate({
      sending: { identities: ['example.com'], configurationSet: 'relays' },
      sesRegion: 'eu-west-1',
      additionalSesRegions: ['eu-central-1'],
    });
    // Assess
    expect(sendResources(template)).toEqual([
      'arn:aws:ses:eu-central-1:123456789012:configuration-set/relays',
      'arn:aws:ses:eu-central-1:123456789012:identity/example.com',
      'arn:aws:ses:eu-west-1:123456789012:configuration-set/relays',
      'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
    ]);
    expect(functionEnvironment(template)[ENV.additionalRegions]).toBe('eu-central-1');
  });

  it('sets no variable and grants one region when no additional region is configured (as before)', () => {
    const template = rotationTemplate({ sesRegion: 'eu-west-1' });
    expect(sendResources(template)).toEqual(['arn:aws:ses:eu-west-1:123456789012:identity/example.com']);
    expect(functionEnvironment(template)).not.toHaveProperty(ENV.additionalRegions);
  });

  it.each([
    ['the primary region', ['eu-west-1'], 'is the primary SES region'],
    ['a region without an SMTP endpoint', ['me-south-1'], 'has no SES SMTP endpoint'],
  ])('fails synth for %s, naming the prop', (_what, regions, message) => {
    let caught: unknown;
    try {
      rotationTemplate({ sesRegion: 'eu-west-1', additionalSesRegions: regions });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).setting).toBe('additionalSesRegions');
    expect((caught as Error).message).toContain(message);
  });

  it('fails synth when the regions outlast the probe budget within the 15-minute timeout', () => {
    // Prepare: five regions are two rounds; 2 × (600 s + 30 s) is more than 900 s − 30 s.
    const props = { sesRegion: 'eu-west-1', timing: { probeMaxWait: Duration.seconds(600) } };
    const regions = ['eu-central-1', 'us-east-1', 'us-east-2', 'us-west-2'];
    // Act / Assess
    expect(() => rotationTemplate({ ...props, additionalSesRegions: regions })).toThrow(
      /prop additionalSesRegions is invalid .*lists too many regions/,
    );
    expect(() => rotationTemplate({ ...props, additionalSesRegions: regions.slice(0, 3) })).not.toThrow();
  });

  it('prints one line naming the context key for a bad region from cdk.json or -c', () => {
    const refused = lineFor({ additionalSesRegions: 'eu-central-1,eu-west-1' });
    expect(refused).toMatch(/^context key additionalSesRegions: SesSmtpRotation prop additionalSesRegions is invalid/);
    expect(refused).toContain('eu-west-1 is the primary SES region');
    expect(lineFor({ additionalSesRegions: 'eu-central-1' })).toBeUndefined();
  });

  it('refuses a misspelt context key with a suggestion', () => {
    expect(lineFor({ additionalSesRegion: 'eu-central-1' })).toMatch(
      /^unknown context key additionalSesRegion: did you mean additionalSesRegions\?/,
    );
  });
});
