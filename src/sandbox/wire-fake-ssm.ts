/**
 * Connects a {@link FakeSsm} to `SSMClient` through aws-sdk-client-mock (a dev dependency: tests and benchmarks),
 * so adapter code runs unchanged and tests can use the aws-sdk-client-mock-jest matchers on the returned stub.
 */
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { FakeSsm } from './fake-ssm';

/**
 * Mocks every `SSMClient` (or only `client`) so its calls reach `fake`. Call `restore()` on the result when done.
 */
export function wireFakeSsm(fake: FakeSsm, client?: SSMClient): AwsClientStub<SSMClient> {
  const mock = client ? mockClient(client) : mockClient(SSMClient);
  mock.on(SendCommandCommand).callsFake((input) => fake.sendCommand(input));
  mock.on(ListCommandsCommand).callsFake((input) => fake.listCommands(input));
  mock.on(ListCommandInvocationsCommand).callsFake((input) => fake.listCommandInvocations(input));
  mock.on(GetCommandInvocationCommand).callsFake((input) => fake.getCommandInvocation(input));
  mock.on(CancelCommandCommand).callsFake((input) => fake.cancelCommand(input));
  return mock;
}
