import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DescribeDocumentCommand,
  DescribeInstanceInformationCommand,
  GetParameterCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import type { SandboxAccount } from './account';
import { routeClient, wireDynamoDb, wireIam, wireSecretsManager, wireSns, wireSts, type Wiring } from './wire';
import { ssmRoutes } from './wire-fake-ssm';

/** One wiring per service the account serves; restoring them all gives the SDK back. */
export type AccountWirings = Record<
  'secretsManager' | 'iam' | 'sns' | 'ssm' | 'lambda' | 'logs' | 'dynamodb' | 'sts',
  Wiring
>;

/** Routes every SDK client class the product uses to the account's fakes, through its recorder. */
export function wireAccount(account: SandboxAccount): AccountWirings {
  return {
    secretsManager: wireSecretsManager(account.secrets, account.recorder),
    iam: wireIam(account.iam, account.recorder),
    sns: wireSns(account.notifications, account.recorder),
    ssm: routeClient(SSMClient, 'SSM', account.recorder, [
      ...ssmRoutes(account.ssm),
      [
        DescribeInstanceInformationCommand,
        'DescribeInstanceInformation',
        (i) => account.inventory.describeInstanceInformation(i),
      ],
      [DescribeDocumentCommand, 'DescribeDocument', (i) => account.inventory.describeDocument(i)],
      [PutParameterCommand, 'PutParameter', (i) => account.parameters.putParameter(i)],
      [GetParameterCommand, 'GetParameter', (i) => account.parameters.getParameter(i)],
    ]),
    lambda: routeClient(LambdaClient, 'Lambda', account.recorder, [
      [GetFunctionConfigurationCommand, 'GetFunctionConfiguration', (i) => account.lambda.getFunctionConfiguration(i)],
    ]),
    dynamodb: wireDynamoDb(account.dynamodb, account.recorder),
    sts: wireSts(() => account.callerArn, account.recorder),
    logs: routeClient(CloudWatchLogsClient, 'CloudWatchLogs', account.recorder, [
      [FilterLogEventsCommand, 'FilterLogEvents', (i) => account.cloudWatchLogs.filterLogEvents(i)],
    ]),
  };
}
