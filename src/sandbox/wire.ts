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
import type { CallRecorder } from './call-recorder';
import type { FakeDynamoDb } from './fake-dynamodb';
import type { FakeIam } from './fake-iam';
import type { FakeSecretsManager } from './fake-secrets-manager';

type CommandClass = new (input: never) => object;

/** One operation a fake serves: the SDK command class, its name in recordings, the fake's method. */
export type Route = [CommandClass, string, (input: never) => unknown];

/** Serves one SDK command (by its class name, e.g. `ListAccessKeysCommand`) from a fake, through the recorder. */
export type Dispatch = (commandName: string, input: unknown) => Promise<unknown>;

/** Undoes a wiring. */
export interface Wiring {
  restore(): void;
}

/**
 * Dispatches on the command class to the fake's method, through the recorder (which records and injects faults).
 * An operation the fake does not serve fails loudly instead of reaching AWS.
 */
export function dispatcher(service: string, recorder: CallRecorder, routes: Route[]): Dispatch {
  const served = new Map(routes.map(([command, operation, handler]) => [command.name, { operation, handler }]));
  return async (commandName, input) => {
    const target = served.get(commandName);
    if (target === undefined) {
      throw new Error(`the ${service} sandbox does not serve ${commandName.replace(/Command$/, '')}`);
    }
    return recorder.serve(service, target.operation, input, () => target.handler(input as never));
  };
}

/** The part of an SDK v3 client the wiring touches. */
interface SdkClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: object) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: { input: unknown }) => Promise<unknown>,
      options: { step: 'initialize'; priority: 'high'; name: string },
    ): void;
  };
  send(command: object, ...rest: unknown[]): Promise<unknown>;
}
type ClientClass = { prototype: SdkClient; name: string };

const MIDDLEWARE = 'sesSmtpRotationSandbox';
/** The dispatch in force per client class (the latest wiring wins, as a new sandbox account replaces the last). */
const active = new Map<unknown, Dispatch[]>();
/** Instances whose stack already carries the sandbox middleware. */
const equipped = new WeakSet<object>();
/** Per-instance wirings (a bench or test that routes one client it made). */
const perInstance = new WeakMap<object, Dispatch>();
/** The `send` each wired class had, and whether it was the class's own (SDK clients inherit it). */
const originalSend = new Map<ClientClass, { send: SdkClient['send']; own: boolean }>();

/**
 * Adds the sandbox middleware to a client's own stack, first in the `initialize` step: the SDK's `send` runs as in
 * production (command, handler resolution, promise or callback), and the middleware answers from the fake before
 * anything is serialized, signed or sent. With no wiring in force it passes the call on unchanged.
 */
function equip(client: SdkClient, clientClass: unknown): void {
  if (equipped.has(client)) return;
  equipped.add(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const dispatch = perInstance.get(client) ?? active.get(clientClass)?.at(-1);
      if (dispatch === undefined) return next(args);
      return { output: await dispatch(context.commandName ?? '', args.input), response: undefined };
    },
    { step: 'initialize', priority: 'high', name: MIDDLEWARE },
  );
}

/**
 * Routes every call of every instance of `clientClass` (production code builds its own clients) to `dispatch` until
 * restored. The class's `send` only equips each instance with the middleware on its first call.
 */
function wireClass(clientClass: ClientClass, dispatch: Dispatch): Wiring {
  if (!originalSend.has(clientClass)) {
    const send = clientClass.prototype.send;
    originalSend.set(clientClass, { send, own: Object.hasOwn(clientClass.prototype, 'send') });
    clientClass.prototype.send = function (this: SdkClient, command: object, ...rest: unknown[]) {
      equip(this, clientClass);
      return send.call(this, command, ...rest);
    };
  }
  const stack = active.get(clientClass) ?? [];
  stack.push(dispatch);
  active.set(clientClass, stack);
  let restored = false;
  return {
    restore: () => {
      // Idempotent: a second restore must not undo a wiring made after the first.
      if (restored) return;
      restored = true;
      const index = stack.lastIndexOf(dispatch);
      if (index >= 0) stack.splice(index, 1);
      if (stack.length > 0) return;
      active.delete(clientClass);
      const original = originalSend.get(clientClass);
      if (original?.own) clientClass.prototype.send = original.send;
      else delete (clientClass.prototype as Partial<SdkClient>).send;
      originalSend.delete(clientClass);
    },
  };
}

/**
 * Routes every SDK v3 call of a client class (or of one client instance) to a stateful fake, through the recorder,
 * so production code runs unmodified. Uses only the SDK's own middleware stack: the CLI's demo runs with production
 * dependencies alone.
 */
export function routeClient(
  client: (new (config: never) => object) | object,
  service: string,
  recorder: CallRecorder,
  routes: Route[],
): Wiring {
  const dispatch = dispatcher(service, recorder, routes);
  if (typeof client === 'function') return wireClass(client as unknown as ClientClass, dispatch);
  const instance = client as SdkClient;
  equip(instance, (instance as { constructor: unknown }).constructor);
  perInstance.set(instance, dispatch);
  return { restore: () => void perInstance.delete(instance) };
}

/** Routes Secrets Manager calls to the fake. */
export function wireSecretsManager(fake: FakeSecretsManager, recorder: CallRecorder): Wiring {
  return routeClient(SecretsManagerClient, 'SecretsManager', recorder, [
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
export function wireIam(fake: FakeIam, recorder: CallRecorder): Wiring {
  return routeClient(IAMClient, 'IAM', recorder, [
    [ListAccessKeysCommand, 'ListAccessKeys', (i) => fake.listAccessKeys(i)],
    [CreateAccessKeyCommand, 'CreateAccessKey', (i) => fake.createAccessKey(i)],
    [DeleteAccessKeyCommand, 'DeleteAccessKey', (i) => fake.deleteAccessKey(i)],
    [UpdateAccessKeyCommand, 'UpdateAccessKey', (i) => fake.updateAccessKey(i)],
    [GetAccessKeyLastUsedCommand, 'GetAccessKeyLastUsed', (i) => fake.getAccessKeyLastUsed(i)],
  ]);
}

/** Captures SNS notifications (the sandbox has no mail). */
export function wireSns(published: { subject?: string; message: string }[], recorder: CallRecorder): Wiring {
  return routeClient(SNSClient, 'SNS', recorder, [
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
export function wireDynamoDb(fake: FakeDynamoDb, recorder: CallRecorder): Wiring {
  return routeClient(DynamoDBClient, 'DynamoDB', recorder, [
    [GetItemCommand, 'GetItem', (i) => fake.getItem(i)],
    [PutItemCommand, 'PutItem', (i) => fake.putItem(i)],
    [UpdateItemCommand, 'UpdateItem', (i) => fake.updateItem(i)],
    [DeleteItemCommand, 'DeleteItem', (i) => fake.deleteItem(i)],
    [QueryCommand, 'Query', (i) => fake.query(i)],
    [TransactWriteItemsCommand, 'TransactWriteItems', (i) => fake.transactWriteItems(i)],
  ]);
}

/** Answers GetCallerIdentity with whoever `caller()` says is signed in (tests switch principals). */
export function wireSts(caller: () => string, recorder: CallRecorder): Wiring {
  return routeClient(STSClient, 'STS', recorder, [
    [
      GetCallerIdentityCommand,
      'GetCallerIdentity',
      () => ({ Arn: caller(), Account: caller().split(':')[4] ?? '', UserId: 'AIDASANDBOXCALLER' }),
    ],
  ]);
}
