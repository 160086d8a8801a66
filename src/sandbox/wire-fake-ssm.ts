/**
 * The Run Command operations a {@link FakeSsm} serves, shared by the sandbox account, the benchmarks and the tests'
 * aws-sdk-client-mock wiring (`test/sandbox/wire-fake-ssm.ts`).
 */
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
} from '@aws-sdk/client-ssm';
import type { FakeSsm } from './fake-ssm';
import type { Route } from './wire';

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
