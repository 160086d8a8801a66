/**
 * The SDK clients of the operator commands, built from `--region` / `--profile` like the AWS CLI: a flag wins,
 * then AWS_REGION / AWS_PROFILE (AWS_DEFAULT_REGION too), then the SDK's own chain (the profile's region in
 * ~/.aws/config). When the secret is given as an ARN, its region is the default: the secret lives there.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { REGION_PATTERN } from '../core/regions';
import { UsageError } from './errors';

/** The clients one command uses. */
export interface AwsClients {
  /** The region of the calls (undefined: the profile's), for error messages. */
  readonly region?: string;
  readonly secrets: SecretsManagerClient;
  readonly iam: IAMClient;
  /** SSM in a given region (default the target's): the rotation function's region, where it sends commands. */
  ssm(region?: string): SSMClient;
  /** Lambda in a given region (the rotation function's ARN names it). */
  lambda(region?: string): LambdaClient;
  /** SNS in a given region (the notification topic's ARN names it): `rotate --abandon` notifies like a rotation. */
  sns(region?: string): SNSClient;
  /** CloudWatch Logs in a given region: the rotation function's log group (its failure lines). */
  logs(region?: string): CloudWatchLogsClient;
  /** DynamoDB in a given region: the manual-consumer registry lives with the rotation function. */
  dynamodb(region?: string): DynamoDBClient;
  /** STS: who the caller is (recorded with a confirmation). */
  readonly sts: STSClient;
}

/** Where and as whom the commands call AWS. */
export interface AwsTarget {
  readonly region?: string;
  readonly profile?: string;
}

/** The flags of every command about one secret: `--secret-id`, `--json`, and `--region` / `--profile` as in the AWS CLI. */
export const SECRET_COMMAND_FLAGS = {
  'secret-id': { type: 'string' },
  json: { type: 'boolean', default: false },
  region: { type: 'string' },
  profile: { type: 'string' },
} as const;

/** Resolves region and profile from flags, environment, and the secret ARN (in that order). */
export function awsTarget(
  flags: { region?: string; profile?: string },
  env: NodeJS.ProcessEnv,
  secretId?: string,
): AwsTarget {
  const region = flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? regionOfArn(secretId);
  if (region !== undefined && !REGION_PATTERN.test(region)) {
    throw new UsageError(`--region "${region.slice(0, 40)}" is not an AWS region name, e.g. eu-west-1`);
  }
  const profile = flags.profile ?? env.AWS_PROFILE;
  return { ...(region ? { region } : {}), ...(profile ? { profile } : {}) };
}

/** The region inside an ARN (`arn:aws:secretsmanager:eu-west-1:…`), if it is one. */
export function regionOfArn(arn: string | undefined): string | undefined {
  const region = arn?.startsWith('arn:') ? arn.split(':')[3] : undefined;
  return region === '' ? undefined : region;
}

/** Builds the clients for a target (one client per service and region, made on first use). */
export function createAwsClients(target: AwsTarget): AwsClients {
  const base = {
    ...(target.region ? { region: target.region } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
  };
  const cache = new Map<string, unknown>();
  const inRegion = <T>(kind: string, region: string | undefined, make: (config: object) => T): T => {
    const key = `${kind}/${region ?? ''}`;
    if (!cache.has(key)) cache.set(key, make({ ...base, ...(region ? { region } : {}) }));
    return cache.get(key) as T;
  };
  return {
    ...(target.region ? { region: target.region } : {}),
    secrets: new SecretsManagerClient(base),
    iam: new IAMClient(base),
    ssm: (region) => inRegion('ssm', region, (c) => new SSMClient(c)),
    lambda: (region) => inRegion('lambda', region, (c) => new LambdaClient(c)),
    sns: (region) => inRegion('sns', region, (c) => new SNSClient(c)),
    logs: (region) => inRegion('logs', region, (c) => new CloudWatchLogsClient(c)),
    dynamodb: (region) => inRegion('dynamodb', region, (c) => new DynamoDBClient(c)),
    sts: new STSClient(base),
  };
}
