/**
 * Connects a {@link FakeSsm} to `SSMClient` through aws-sdk-client-mock, so adapter code runs unchanged and tests can
 * use the aws-sdk-client-mock-jest matchers on the returned stub. The route table is shared with the sandbox account.
 */
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { CallRecorder } from './call-recorder';
import type { FakeSsm } from './fake-ssm';
import { routeClient, type Route } from './wire';

/** The Run Command operations the fake serves. */
export function ssmRoutes(fake: FakeSsm): Route[] {
  return [
    [SendCommandCommand, 'SendCommand', (i) => fake.sendCommand(i)],
    [ListCommandsCommand, 'ListCommands', (i) => fake.listCommands(i)],
    [ListCommandInvocationsCommand, 'ListCommandInvocations', (i) => fake.listCommandInvocations(i)],
    [GetCommandInvocationCommand, 'GetCommandInvocation', (i) => fake.getCommandInvocation(i)],
    [CancelCommandCommand, 'CancelCommand', (i) => fake.cancelCommand(i)],
  ];
}

/**
 * Mocks every `SSMClient` (or only `client`) so its calls reach `fake`. Call `restore()` on the result when done.
 */
export function wireFakeSsm(fake: FakeSsm, client?: SSMClient): AwsClientStub<SSMClient> {
  return routeClient(client ?? SSMClient, 'SSM', new CallRecorder(), ssmRoutes(fake)) as AwsClientStub<SSMClient>;
}
