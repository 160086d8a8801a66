import { ConfigurationError } from '../../src/core/errors';
import { loadConfig, parseTagTargets } from '../../src/rotation/config';
import { MINIMAL_ENV as ENV } from './config-env';

describe('loadConfig', () => {
  it('applies the defaults: standard endpoint, port 587, canary 10% with MaxErrors 0', () => {
    const config = loadConfig(ENV);
    expect(config).toMatchObject({
      iamUserName: 'ses-smtp-sender',
      region: 'eu-west-1',
      endpoint: 'email-smtp.eu-west-1.amazonaws.com',
      port: 587,
      fleet: {
        documentName: 'SesSmtpCredentialUpdate',
        maxConcurrency: '10%',
        maxErrors: '0',
        tagTargets: [{ key: 'Role', values: ['smtp-relay'] }],
      },
    });
  });

  it('uses the FIPS endpoint when SMTP_FIPS is true', () => {
    expect(loadConfig({ ...ENV, SES_REGION: 'us-east-1', SMTP_FIPS: 'true' }).endpoint).toBe(
      'email-smtp-fips.us-east-1.amazonaws.com',
    );
  });

  it('keeps a warning for a region not known to have an SMTP endpoint', () => {
    expect(loadConfig({ ...ENV, SES_REGION: 'il-central-1' }).regionWarning).toContain('il-central-1');
  });

  it.each([
    [{ SES_IAM_USER_NAME: undefined }, 'SES_IAM_USER_NAME is not set'],
    [{ SES_REGION: 'EU-West-1' }, 'SES_REGION'],
    [{ SMTP_ENDPOINT: 'email-smtp.us-east-1.amazonaws.com' }, 'SMTP_ENDPOINT'],
    [{ FLEET_TARGET_TAGS: undefined }, 'tell the rotation which hosts to update'],
    [{ FLEET_INSTANCE_IDS: 'i-0123456789abcdef0' }, 'cannot be combined'],
    [{ FLEET_TARGET_TAGS: undefined, FLEET_INSTANCE_IDS: 'host-1' }, 'i-… or mi-…'],
    [{ FLEET_MAX_ERRORS: 'none' }, 'FLEET_MAX_ERRORS'],
    [{ SMTP_PORT: '99999' }, 'SMTP_PORT must be a whole number'],
    [{ SMTP_FIPS: 'yes' }, 'SMTP_FIPS must be true or false'],
  ])('rejects %j with a message naming the variable', (patch, message) => {
    expect(() => loadConfig({ ...ENV, ...patch })).toThrow(ConfigurationError);
    expect(() => loadConfig({ ...ENV, ...patch })).toThrow(message);
  });

  it('accepts explicit EC2 and hybrid node ids', () => {
    const config = loadConfig({
      ...ENV,
      FLEET_TARGET_TAGS: '',
      FLEET_INSTANCE_IDS: 'i-0123456789abcdef0, mi-0123456789abcdef0',
    });
    expect(config.fleet.instanceIds).toEqual(['i-0123456789abcdef0', 'mi-0123456789abcdef0']);
  });
});

describe('parseTagTargets', () => {
  it('parses several keys with several values', () => {
    expect(parseTagTargets('Role=relay,relay-dr;Env=prod')).toEqual([
      { key: 'Role', values: ['relay', 'relay-dr'] },
      { key: 'Env', values: ['prod'] },
    ]);
  });

  it('rejects a key without values', () => {
    expect(() => parseTagTargets('Role=')).toThrow('Key=value1,value2');
  });
});
