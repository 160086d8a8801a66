/**
 * An `SSMClient` answered by a {@link FakeSsm} without aws-sdk-client-mock: a middleware at the start of the stack
 * hands each command to the fake, so nothing is signed or sent. For the offline demo in a production install,
 * where dev dependencies are absent.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import type { FakeSsm } from './fake-ssm';

type Handler = (input: never) => Promise<object>;

/** A client whose SendCommand / ListCommands / ListCommandInvocations / GetCommandInvocation / CancelCommand reach `fake`. */
export function fakeSsmClient(fake: FakeSsm): SSMClient {
  const client = new SSMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDFAKESSMCLIENT000', secretAccessKey: 'not-used-by-the-fake' },
  });
  const handlers: Record<string, Handler> = {
    SendCommandCommand: (input) => fake.sendCommand(input),
    ListCommandsCommand: (input) => fake.listCommands(input),
    ListCommandInvocationsCommand: (input) => fake.listCommandInvocations(input),
    GetCommandInvocationCommand: (input) => fake.getCommandInvocation(input),
    CancelCommandCommand: (input) => fake.cancelCommand(input),
  };
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const handler = handlers[context.commandName ?? ''];
      if (!handler) throw new Error(`the fake SSM does not implement ${context.commandName ?? 'this command'}`);
      const output = await handler(args.input as never);
      return { output: { ...output, $metadata: {} }, response: {} } as never;
    },
    { step: 'initialize', name: 'fakeSsm', priority: 'high' },
  );
  return client;
}
