/**
 * Connects a {@link FakeSsm} to `SSMClient` through aws-sdk-client-mock, so adapter tests can layer `.on(Command)`
 * behaviours and use the aws-sdk-client-mock-jest matchers on the returned stub. The route table is the sandbox's.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { CallRecorder } from '../../src/sandbox/call-recorder';
import type { FakeSsm } from '../../src/sandbox/fake-ssm';
import { dispatcher } from '../../src/sandbox/wire';
import { ssmRoutes } from '../../src/sandbox/wire-fake-ssm';

/** Mocks every `SSMClient` (or only `client`) so its calls reach `fake`. Call `restore()` on the result when done. */
export function wireFakeSsm(fake: FakeSsm, client?: SSMClient): AwsClientStub<SSMClient> {
  const stub = mockClient(client ?? SSMClient);
  const dispatch = dispatcher('SSM', new CallRecorder(), ssmRoutes(fake));
  stub.send.callsFake(
    (command: { constructor: { name: string }; input: unknown }) =>
      dispatch(command.constructor.name, command.input) as Promise<never>,
  );
  return stub;
}
