import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import type { CallRecorder } from './call-recorder';
import type { FakeDynamoDb } from './fake-dynamodb';
import type { FakeIam } from './fake-iam';
import type { FakeSecretsManager } from './fake-secrets-manager';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyStub = AwsStub<any, any, any>;
type CommandClass = new (input: never) => object;

/** One operation a fake serves: the SDK command class, its name in recordings, the fake's method. */
export type Route = [CommandClass, string, (input: never) => unknown];

/**
 * Routes every SDK v3 call of a client class (or of one client instance) to a stateful fake, through the recorder
 * (aws-sdk-client-mock replaces `send`, so production code runs unmodified). Unrouted operations fail loudly.
 */
function route(
  client: (new (config: object) => object) | object,
  service: string,
  recorder: CallRecorder,
  routes: Route[],
): AnyStub {
  const stub = mockClient(client as never) as unknown as AnyStub;
  const served = new Map(routes.map(([command, operation, handler]) => [command as unknown, { operation, handler }]));
  // One fake on `send` that dispatches on the command class: a sinon `withArgs` per operation would be matched
  // against every call and costs noticeably to set up. Tests may still layer `.on(Command)` behaviours on top.
  stub.send.callsFake((command: { constructor: unknown; input: unknown }) => {
    const target = served.get(command.constructor);
    if (target === undefined) {
      throw new Error(
        `the ${service} sandbox does not serve this operation (input keys: ${Object.keys(command.input as object)})`,
      );
    }
    return recorder.serve(service, target.operation, command.input, () => target.handler(command.input as never));
  });
  return stub;
}

/** Routes Secrets Manager calls to the fake. */
export function wireSecretsManager(fake: FakeSecretsManager, recorder: CallRecorder): AnyStub {
  return route(SecretsManagerClient, 'SecretsManager', recorder, [
    [DescribeSecretCommand, 'DescribeSecret', (i) => fake.describeSecret(i)],
    [GetSecretValueCommand, 'GetSecretValue', (i) => fake.getSecretValue(i)],
    [PutSecretValueCommand, 'PutSecretValue', (i) => fake.putSecretValue(i)],
    [UpdateSecretVersionStageCommand, 'UpdateSecretVersionStage', (i) => fake.updateSecretVersionStage(i)],
    [ListSecretVersionIdsCommand, 'ListSecretVersionIds', (i) => fake.listSecretVersionIds(i)],
    [RotateSecretCommand, 'RotateSecret', (i) => fake.rotateSecret(i)],
    [TagResourceCommand, 'TagResource', (i) => fake.tagResource(i)],
    [UntagResourceCommand, 'UntagResource', (i) => fake.untagResource(i)],
  ]);
}

/** Routes IAM calls to the fake. */
export function wireIam(fake: FakeIam, recorder: CallRecorder): AnyStub {
  return route(IAMClient, 'IAM', recorder, [
    [ListAccessKeysCommand, 'ListAccessKeys', (i) => fake.listAccessKeys(i)],
    [CreateAccessKeyCommand, 'CreateAccessKey', (i) => fake.createAccessKey(i)],
    [DeleteAccessKeyCommand, 'DeleteAccessKey', (i) => fake.deleteAccessKey(i)],
    [UpdateAccessKeyCommand, 'UpdateAccessKey', (i) => fake.updateAccessKey(i)],
    [GetAccessKeyLastUsedCommand, 'GetAccessKeyLastUsed', (i) => fake.getAccessKeyLastUsed(i)],
  ]);
}

/** Captures SNS notifications (the sandbox has no mail). */
export function wireSns(published: { subject?: string; message: string }[], recorder: CallRecorder): AnyStub {
  return route(SNSClient, 'SNS', recorder, [
    [
      PublishCommand,
      'Publish',
      (i: { Subject?: string; Message?: string }) => {
        published.push({ ...(i.Subject ? { subject: i.Subject } : {}), message: i.Message ?? '' });
        return { MessageId: `msg-${published.length}` };
      },
    ],
  ]);
}

/** Routes DynamoDB calls to the fake. */
export function wireDynamoDb(fake: FakeDynamoDb, recorder: CallRecorder): AnyStub {
  return route(DynamoDBClient, 'DynamoDB', recorder, [
    [GetItemCommand, 'GetItem', (i) => fake.getItem(i)],
    [PutItemCommand, 'PutItem', (i) => fake.putItem(i)],
    [UpdateItemCommand, 'UpdateItem', (i) => fake.updateItem(i)],
    [DeleteItemCommand, 'DeleteItem', (i) => fake.deleteItem(i)],
    [QueryCommand, 'Query', (i) => fake.query(i)],
    [TransactWriteItemsCommand, 'TransactWriteItems', (i) => fake.transactWriteItems(i)],
  ]);
}

/** Answers GetCallerIdentity with whoever `caller()` says is signed in (tests switch principals). */
export function wireSts(caller: () => string, recorder: CallRecorder): AnyStub {
  return route(STSClient, 'STS', recorder, [
    [
      GetCallerIdentityCommand,
      'GetCallerIdentity',
      () => ({ Arn: caller(), Account: caller().split(':')[4] ?? '', UserId: 'AIDASANDBOXCALLER' }),
    ],
  ]);
}

/** Lets a generic route be reused for other services (the SSM fake). */
export { route as routeClient };
