/**
 * What the manual-consumer commands share: the registry table the rotation function is configured with (read
 * from the function, never a second setting) and the caller's identity; registry calls go through registryCall
 * (manual-status.ts), which tells AWS errors as the other commands tell them.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ConsumerRegistryAdmin } from '../aws/consumer-registry-admin';
import { SesSmtpRotationError } from '../core/errors';
import type { ManualConsumersConfig } from '../rotation/config';
import { regionOfArn } from './aws-clients';
import { awsCall } from './aws-errors';
import type { SecretCommandContext } from './runtime';
import { readFunctionState, readSecretState, type SecretState } from './secret-state';

/** The registry cannot be used for this secret (no function, no table configured); nothing was changed. */
export class RegistryUnavailableError extends SesSmtpRotationError {}

/** A secret with its registry. */
export interface OpenRegistry {
  readonly secret: SecretState;
  readonly registry: ConsumerRegistryAdmin;
  readonly config: ManualConsumersConfig;
  /** The function's region (where the table is). */
  readonly region?: string;
  /** The function's notification topic, when it has one. */
  readonly topicArn?: string;
}

/**
 * Reads the secret and its rotation function's configuration, and opens the registry table it names.
 * @throws RegistryUnavailableError when there is no function or it has no registry configured
 * @throws AwsCallError when a read fails
 */
export async function openRegistry(context: SecretCommandContext): Promise<OpenRegistry> {
  const { secretId, clients } = context;
  const secret = await readSecretState(clients.secrets, secretId, clients.region);
  if (!secret.rotationLambdaArn) {
    throw new RegistryUnavailableError(
      `${secret.name} has no rotation function, so no manual-consumer registry: deploy the ses-smtp-rotation ` +
        'construct for it with manualConsumers enabled. Nothing was changed.',
    );
  }
  const fn = await readFunctionState(clients.lambda(regionOfArn(secret.rotationLambdaArn)), secret.rotationLambdaArn);
  if (!fn.ok) throw new RegistryUnavailableError(`${fn.problem}. Nothing was changed.`);
  const config = fn.config.manualConsumers;
  if (!config) {
    throw new RegistryUnavailableError(
      `the rotation function of ${secret.name} has no manual-consumer registry (MANUAL_CONSUMERS_TABLE is not set): ` +
        'enable it with the construct prop manualConsumers: {} (or the CDK context key manualConsumers=true) and ' +
        'deploy. Nothing was changed.',
    );
  }
  const region = regionOfArn(secret.rotationLambdaArn);
  return {
    secret,
    registry: new ConsumerRegistryAdmin(clients.dynamodb(region), config.tableName),
    config,
    ...(region ? { region } : {}),
    ...(fn.config.notificationTopicArn ? { topicArn: fn.config.notificationTopicArn } : {}),
  };
}

/** The caller's ARN (STS GetCallerIdentity): who is recorded as having confirmed or changed the registry. */
export async function callerArn(context: SecretCommandContext): Promise<string> {
  return awsCall({ action: 'sts:GetCallerIdentity', resource: 'your identity' }, async () => {
    const out = await context.clients.sts.send(new GetCallerIdentityCommand({}));
    if (!out.Arn) throw new Error('GetCallerIdentity returned no ARN');
    return out.Arn;
  });
}
