import { loadConfig } from '../../src/rotation/config';
import { configRefusal, MINIMAL_ENV as ENV } from './config-env';

describe('loadConfig: SES_ADDITIONAL_REGIONS', () => {
  it('has no additional regions when the variable is unset (single region, as before)', () => {
    expect(loadConfig(ENV).additionalRegions).toBeUndefined();
  });

  it('reads a disaster-recovery region with its regional endpoint', () => {
    const config = loadConfig({ ...ENV, SES_ADDITIONAL_REGIONS: ' eu-central-1 ' });
    expect(config.additionalRegions).toEqual([
      { region: 'eu-central-1', endpoint: 'email-smtp.eu-central-1.amazonaws.com' },
    ]);
  });

  it.each([
    ['equal to the primary', { SES_ADDITIONAL_REGIONS: 'eu-west-1' }, 'is the primary SES region'],
    ['without an SMTP endpoint', { SES_ADDITIONAL_REGIONS: 'il-central-1' }, 'has no SES SMTP endpoint'],
    [
      'with a TLS server name',
      { SES_ADDITIONAL_REGIONS: 'eu-central-1', SMTP_TLS_SERVERNAME: 'x.example.com' },
      'SMTP_TLS_SERVERNAME',
    ],
    [
      'more than the probe window allows',
      { SES_ADDITIONAL_REGIONS: 'eu-central-1,us-east-1,us-east-2,us-west-2', PROBE_MAX_WAIT_SECONDS: '600' },
      'lists too many regions',
    ],
  ])('refuses a region %s, naming the variable', (_what, env, message) => {
    const error = configRefusal(env);
    expect(error.setting).toBe('SES_ADDITIONAL_REGIONS');
    expect(error.message).toContain('SES_ADDITIONAL_REGIONS');
    expect(error.message).toContain(message);
  });
});
