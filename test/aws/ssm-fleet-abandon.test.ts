import { SendCommandCommand } from '@aws-sdk/client-ssm';
import { abandonComment, commandComment } from '../../src/aws/ssm-fleet';
import { Deadline } from '../../src/core/clock';
import { makeHosts } from '../../src/sandbox/fake-fleet-hosts';
import {
  OTHER_VERSION_ID,
  PASSWORD,
  SECRET_ARN,
  VERSION_ID,
  harness,
  installed,
  type Harness,
} from './ssm-fleet-fixture';

describe('SsmFleet.deliver with an abandon identity', () => {
  let h: Harness | undefined;
  afterEach(() => {
    h?.mock.restore();
    installed.clear();
  });

  const abandonPush = (fleet: Harness, newerThan?: Date) =>
    fleet.fleet.deliver(
      {
        secretArn: SECRET_ARN,
        versionId: VERSION_ID,
        comment: abandonComment(OTHER_VERSION_ID),
        ...(newerThan ? { newerThan } : {}),
      },
      Deadline.after(fleet.clock, 15 * 60_000),
    );

  it('sends a new command although the rotation push of the same version was confirmed long ago', async () => {
    // Prepare: the rotation that made VERSION_ID current pushed it; then hosts moved to the pending version.
    h = harness(makeHosts(3));
    const rotationPush = await h.deliver();
    await h.deliver(15 * 60_000, OTHER_VERSION_ID);

    // Act
    const report = await abandonPush(h);

    // Assess
    expect(report.commandId).not.toBe(rotationPush.commandId);
    expect(h.mock).toHaveReceivedCommandTimes(SendCommandCommand, 3);
    expect(h.mock.commandCalls(SendCommandCommand)[2]?.args[0].input).toMatchObject({
      Comment: `ses-smtp-rotation abandon ${OTHER_VERSION_ID}`,
      Parameters: expect.objectContaining({ VersionId: [VERSION_ID] }),
    });
    expect([...installed.values()]).toEqual([PASSWORD, PASSWORD, PASSWORD]);
  });

  it('resumes its own command on a second call instead of sending again', async () => {
    h = harness(makeHosts(3));
    const first = await abandonPush(h);

    const second = await abandonPush(h);

    expect(second.commandId).toBe(first.commandId);
    expect(h.mock).toHaveReceivedCommandTimes(SendCommandCommand, 1);
  });

  it('sends again when its confirmed command is not newer than newerThan', async () => {
    h = harness(makeHosts(2));
    const first = await abandonPush(h);
    h.clock.advance(60_000);

    const second = await abandonPush(h, new Date(h.clock.now()));

    expect(second.commandId).not.toBe(first.commandId);
    expect(h.mock).toHaveReceivedCommandTimes(SendCommandCommand, 2);
  });

  it('keeps comments within the 100 characters SSM allows and apart from the rotation comments', () => {
    const longest = 'v'.repeat(64);
    expect(abandonComment(longest).length).toBeLessThanOrEqual(100);
    expect(abandonComment(VERSION_ID)).not.toBe(commandComment(VERSION_ID));
  });
});
