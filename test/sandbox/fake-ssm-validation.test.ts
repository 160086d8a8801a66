/** The fake SSM's input checks (src/sandbox/fake-ssm-validation.ts), raising the SDK's exception classes. */
import {
  InvalidDocument,
  InvalidInstanceId,
  InvalidParameters,
  type SendCommandCommandInput,
} from '@aws-sdk/client-ssm';
import { SECRET_ARN, send, setup, VERSION_ID } from './fake-ssm-fixture';

describe('FakeSsm input checks', () => {
  it.each([
    ['an unknown document', { DocumentName: 'missing' }, InvalidDocument],
    [
      'a parameter the document does not declare',
      { Parameters: { SecretArn: [SECRET_ARN], VersionId: [VERSION_ID], Password: ['x'] } },
      InvalidParameters,
    ],
    [
      'a parameter off its allowedPattern',
      { Parameters: { SecretArn: [SECRET_ARN], VersionId: ['$(reboot)'] } },
      InvalidParameters,
    ],
    ['a malformed node id', { Targets: undefined, InstanceIds: ['i-xyz'] }, InvalidInstanceId],
  ])('refuses %s with the SDK exception class', async (_what, overrides, errorClass) => {
    const f = setup(1);
    await expect(f.fake.sendCommand(send(overrides as Partial<SendCommandCommandInput>))).rejects.toBeInstanceOf(
      errorClass,
    );
  });

  it('refuses a comment over 100 characters and an out-of-range timeout', async () => {
    const f = setup(1);
    await expect(f.fake.sendCommand(send({ Comment: 'x'.repeat(101) }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(f.fake.sendCommand(send({ TimeoutSeconds: 10 }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});
