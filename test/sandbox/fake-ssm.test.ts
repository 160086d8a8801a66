import { InvalidCommandId, InvocationDoesNotExist } from '@aws-sdk/client-ssm';
import { sendAndRun, setup } from './fake-ssm-fixture';

describe('FakeSsm', () => {
  it('reports unknown commands and invocations with the SDK exception classes', async () => {
    const f = setup(1);
    await expect(f.fake.listCommands({ CommandId: 'nope' })).rejects.toBeInstanceOf(InvalidCommandId);
    const id = await sendAndRun(f);
    await expect(
      f.fake.getCommandInvocation({ CommandId: id, InstanceId: 'i-00000000000000999' }),
    ).rejects.toBeInstanceOf(InvocationDoesNotExist);
  });

  it('records every call with its operation and input', async () => {
    const f = setup(1);
    const id = await sendAndRun(f);
    await f.fake.listCommands({ CommandId: id });
    expect(f.fake.calls.map((c) => c.operation)).toEqual(['SendCommand', 'ListCommands']);
    expect(f.fake.callCounts()).toMatchObject({ SendCommand: 1, ListCommands: 1, ListCommandInvocations: 0 });
    expect(f.fake.callsTo('ListCommands')[0]!.input).toEqual({ CommandId: id });
  });
});
