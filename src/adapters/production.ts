/**
 * The production adapters the handler builds on first use (see on-first-use.ts): each factory imports its SDK
 * client statically, so esbuild still keeps only the commands it uses.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ConsumerRegistry } from '../aws/consumer-registry';
import { ParameterCopy, type ParameterCopyConfig } from '../aws/parameter-copy';
import { SnsNotifier } from '../aws/sns-notifier';
import { SsmFleet } from '../aws/ssm-fleet';
import type { Clock } from '../core/clock';
import type { RotationConfig } from '../rotation/config';
import type { Log } from '../rotation/deps';
import type { CredentialCopy, Fleet, ManualConsumerRegistry, Notifier, SmtpProbe } from '../rotation/ports';
import { createSmtpProbe } from '../smtp';

/** The SSM Run Command push. */
export function ssmFleet(config: RotationConfig, clock: Clock, log: Log): Fleet {
  return new SsmFleet({ ssm: new SSMClient({}), config: config.fleet, clock, logger: log });
}

/** The SMTP AUTH probe (nodemailer). */
export function smtpProbe(config: RotationConfig, clock: Clock): SmtpProbe {
  return createSmtpProbe({
    clock,
    ...(config.tlsServername ? { tlsServername: config.tlsServername } : {}),
    ...(config.trustedCa ? { extraCaPem: config.trustedCa.pem } : {}),
  });
}

/** The SNS notifier. */
export function snsNotifier(topicArn: string): Notifier {
  return new SnsNotifier(new SNSClient({}), topicArn);
}

/** The manual-consumer registry (DynamoDB). */
export function consumerRegistry(tableName: string): ManualConsumerRegistry {
  return new ConsumerRegistry(new DynamoDBClient({}), tableName);
}

/** The Parameter Store copy of the promoted credential. */
export function parameterCopy(config: ParameterCopyConfig): CredentialCopy {
  return new ParameterCopy(new SSMClient({}), config);
}
