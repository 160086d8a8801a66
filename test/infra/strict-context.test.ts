import { ConfigurationError } from '../../src/core/errors';
import {
  assertKnownContextKeys,
  configurationErrorLine,
  isForeignContextKey,
  nearestContextKey,
} from '../../infra/lib/strict-context';
import { contextErrorLine } from './helpers';

const BASE = { identities: 'example.com', fleetTags: 'Role=relay' };

/** The one line the app entry would print for this context, or undefined when it synthesizes. */
function lineFor(context: Record<string, unknown>): string | undefined {
  return contextErrorLine({ ...BASE, ...context });
}

describe('strict CDK context', () => {
  it('refuses a misspelt key and names the nearest known key', () => {
    // Prepare / Act
    const fleetTag = lineFor({ fleetTag: 'Role=relay' });
    const smtpport = lineFor({ smtpport: '465' });
    const dashed = lineFor({ 'smtp-port': '465' });

    // Assess
    expect(fleetTag).toMatch(/^unknown context key fleetTag: did you mean fleetTags\? Fix or remove it in cdk\.json/);
    expect(smtpport).toMatch(/^unknown context key smtpport: did you mean smtpPort\?/);
    expect(dashed).toMatch(/^unknown context key smtp-port: did you mean smtpPort\?/);
  });

  it('lists every unknown key, and the known keys when nothing is close', () => {
    // Prepare / Act
    const line = lineFor({ relays: 'x', notificationEmail: 'ops@example.com' });

    // Assess
    expect(line).toMatch(/^unknown context keys notificationEmail \(did you mean notificationEmails\?\), relays:/);
    expect(line).toContain('this app reads stackName, account, region, identities');
  });

  it('lets the keys of CDK, its CLI, lookups and feature flags through', () => {
    // Prepare
    const foreign = [
      'aws:cdk:enable-path-metadata',
      'aws:cdk:bundling-stacks',
      '@aws-cdk/core:failSynthOnValidationErrors',
      '@aws-cdk/aws-lambda:recognizeLayerVersion',
      'availability-zones:account=123456789012:region=eu-west-1',
      'acknowledged-issue-numbers',
      'cli-telemetry',
      'cdk-version',
    ];

    // Act / Assess
    expect(foreign.filter((key) => !isForeignContextKey(key))).toEqual([]);
    expect(() => assertKnownContextKeys([...foreign, 'stackName', 'identities', 'smtpTrustedCaFile'])).not.toThrow();
    expect(isForeignContextKey('fleetTag')).toBe(false);
    expect(isForeignContextKey('cdkStack')).toBe(false);
  });

  it('suggests nothing for a key that is far from every known key', () => {
    // Prepare / Act / Assess
    expect(nearestContextKey('fleettags')).toBe('fleetTags');
    expect(nearestContextKey('bananas')).toBeUndefined();
  });

  it('reports bad values in one line naming the key, the problem and the allowed form', () => {
    // Prepare
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ smtpPort: '25' }, /^context key smtpPort: SesSmtpRotation prop smtpPort is 25: use 587/],
      [{ smtpPort: '58x' }, /^context key smtpPort must be a whole number: pass -c smtpPort=/],
      [{ fips: 'yes' }, /^context key fips must be true or false: pass -c fips=/],
      [{ maxConcurrency: '0' }, /^context key maxConcurrency: .*FLEET_MAX_CONCURRENCY must be a number such as 2/],
      [{ schedule: 'cron(5 3 * * ? *)' }, /^context key schedule: .*use cron\(0 H D M DOW \*\)/],
      [{ logRetentionDays: '42' }, /^context key logRetentionDays: .*CloudWatch Logs accepts 1, 3, 5/],
      [{ stackName: 'my_stack' }, /^context key stackName must be a CloudFormation stack name/],
      [{ account: '1234' }, /^context key account must be a 12-digit AWS account id: pass -c account=/],
      [{ region: 'EU_WEST_1' }, /^context key region must be an AWS region name in lower case/],
      [{ smtpTrustedCaPem: 'not a pem' }, /^context key smtpTrustedCaPem holds no PEM certificate/],
    ];

    // Act
    const lines = cases.map(([context]) => lineFor(context));

    // Assess
    lines.forEach((line, i) => expect(line).toMatch(cases[i]![1]));
    for (const line of lines) expect(line).not.toMatch(/\n/);
  });

  it('leaves errors that are not about configuration to CDK', () => {
    // Prepare / Act / Assess
    expect(configurationErrorLine(new Error('boom'))).toBeUndefined();
    expect(configurationErrorLine(new ConfigurationError('a\n  b', { setting: 'x' }))).toBe('a b');
  });
});
