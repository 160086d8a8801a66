import { ConfigurationError } from '../../src/core/errors';
import { loadConfig } from '../../src/rotation/config';
import { resolveTarget } from '../../src/rotation/settings';
import { MINIMAL_ENV } from './config-env';

const config = loadConfig(MINIMAL_ENV);

describe('resolveTarget', () => {
  it('takes region, endpoint, port and user from the configuration', () => {
    expect(resolveTarget(config, { kind: 'empty' })).toEqual({
      region: 'eu-west-1',
      endpoint: 'email-smtp.eu-west-1.amazonaws.com',
      port: 587,
      iamUserName: 'ses-smtp-sender',
    });
  });

  it('accepts settings that agree with the configuration', () => {
    expect(() =>
      resolveTarget(config, { kind: 'settings', settings: { region: 'eu-west-1', port: 587 } }),
    ).not.toThrow();
  });

  it('refuses a secret recording another region, naming both', () => {
    const act = () => resolveTarget(config, { kind: 'settings', settings: { region: 'us-east-1' } });
    expect(act).toThrow(ConfigurationError);
    expect(act).toThrow('region: the secret says us-east-1, the rotation Lambda is configured with eu-west-1');
  });
});
