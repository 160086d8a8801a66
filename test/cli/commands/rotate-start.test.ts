import { randomUUID } from 'node:crypto';
import { main } from '../../../src/cli/main';
import { sandboxPerTest } from '../sandbox-cli';

describe('startRotation', () => {
  const sandbox = sandboxPerTest();

  it('starts a rotation and says how to follow it', async () => {
    // Prepare
    const { account, io } = sandbox.start({ hosts: 3 });

    // Act
    const code = await main(['rotate', '--secret-id', account.secrets.arn], io);

    // Assess
    expect(code).toBe(0);
    const pending = account.secrets.versionWithStage('AWSPENDING');
    expect(io.out()).toContain(`rotation started: version ${pending}`);
    expect(io.out()).toContain(`ses-smtp-rotation status --secret-id ${account.secrets.arn}`);
  });

  it('explains an unfinished previous rotation and does not call RotateSecret', async () => {
    const { account, io } = sandbox.start({ hosts: 2, rotations: false });
    const stuck = randomUUID();
    account.secrets.rotateSecret({ SecretId: account.secrets.arn, ClientRequestToken: stuck });

    const code = await main(['rotate', '--secret-id', account.secrets.arn], io);

    expect(code).toBe(1);
    const err = io.err();
    expect(err).toContain('a previous rotation is not complete');
    expect(err).toContain(`AWSPENDING is on version ${stuck}`);
    expect(err).toContain('Never remove AWSPENDING by hand while some hosts may already hold the pending key');
    expect(err).toContain('no new key is minted');
    expect(account.recorder.calls.filter((c) => c.operation === 'RotateSecret')).toHaveLength(0);
  });

  it('refuses a secret without a rotation function', async () => {
    const { account, io } = sandbox.start({ hosts: 1, rotations: false });
    account.secrets.rotationLambdaArn = undefined;

    const code = await main(['rotate', '--secret-id', account.secrets.arn, '--json'], io);

    expect(code).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ outcome: 'not-configured', versionId: null });
    expect(io.err()).toContain('no rotation function is attached');
  });
});
