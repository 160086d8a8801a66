import { ConfigurationError } from '../../src/core/errors';
import { loadConfig } from '../../src/rotation/config';
import { thrownBy } from '../thrown';

/** The smallest environment the function accepts; each configuration test adds the variables it is about. */
export const MINIMAL_ENV = {
  SES_IAM_USER_NAME: 'ses-smtp-sender',
  SES_REGION: 'eu-west-1',
  FLEET_DOCUMENT_NAME: 'SesSmtpCredentialUpdate',
  FLEET_TARGET_TAGS: 'Role=smtp-relay',
};

/** The ConfigurationError loadConfig throws for {@link MINIMAL_ENV} with `env` over it. */
export function configRefusal(env: NodeJS.ProcessEnv): ConfigurationError {
  return thrownBy(() => loadConfig({ ...MINIMAL_ENV, ...env }), ConfigurationError);
}
