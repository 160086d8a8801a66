import { InvalidDocument, ListCommandsCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { send, setup, VERSION_ID } from './fake-ssm-fixture';
import { wireFakeSsm } from './wire-fake-ssm';

describe('ssmRoutes', () => {
  it('answers an SSMClient through aws-sdk-client-mock', async () => {
    // Prepare
    const f = setup(1);
    const client = new SSMClient({ region: 'eu-west-1' });
    const mock = wireFakeSsm(f.fake, client);

    // Act
    const sent = await client.send(new SendCommandCommand(send()));
    const listed = await client.send(new ListCommandsCommand({ CommandId: sent.Command!.CommandId }));
    mock.restore();

    // Assess
    expect(mock).toHaveReceivedCommandWith(SendCommandCommand, { Comment: `ses-smtp-rotation ${VERSION_ID}` });
    expect(listed.Commands?.[0]?.CommandId).toBe(sent.Command!.CommandId);
  });

  it('passes SDK errors through the wired client', async () => {
    // Prepare
    const f = setup(1);
    const client = new SSMClient({ region: 'eu-west-1' });
    const mock = wireFakeSsm(f.fake, client);

    // Act
    const sent = await client.send(new SendCommandCommand(send()));
    const error = await client.send(new SendCommandCommand(send({ DocumentName: 'missing' }))).catch((e: unknown) => e);
    mock.restore();

    // Assess
    expect(sent.Command?.Status).toBe('Pending');
    expect(error).toBeInstanceOf(InvalidDocument);
    expect(f.fake.callCounts().SendCommand).toBe(2);
  });
});
