import { ListCommandsCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import { FleetPushFailedError, FleetPushPendingError } from '../../src/rotation/fleet-errors';
import { makeHosts } from '../../src/sandbox/fake-fleet-hosts';
import { OTHER_VERSION_ID, harness, installed, thrown, type Harness } from './ssm-fleet-fixture';

describe('SsmFleet.deliver across invocations', () => {
  let h: Harness | undefined;
  afterEach(() => {
    h?.mock.restore();
    installed.clear();
  });

  it('stops at the deadline with the command id and progress, then the next call resumes the same command', async () => {
    // Prepare: 20 hosts at concurrency 2 need minutes; the first invocation has one.
    h = harness(makeHosts(20, { durationMs: 30_000 }), { config: { maxConcurrency: '2' } });

    // Act
    const pending = await thrown(h.deliver(60_000));
    const report = await h.deliver(15 * 60_000);

    // Assess
    expect(pending).toBeInstanceOf(FleetPushPendingError);
    const { commandId, completed, targets } = pending as FleetPushPendingError;
    expect(pending.message).toContain(`SSM command ${commandId} is still in progress (${completed}/20 hosts done`);
    expect(targets).toBe(20);
    expect(completed).toBeGreaterThan(0);
    expect(completed).toBeLessThan(20);
    expect(h.mock).toHaveReceivedCommandTimes(SendCommandCommand, 1);
    expect(report).toMatchObject({ commandId, hostsUpdated: 20 });
    expect(h.logs.some((l) => l.includes('resumes waiting') && l.includes(commandId))).toBe(true);
  });

  it('finds its command by the comment after dying right after SendCommand', async () => {
    // Prepare: SendCommand reaches SSM, then the invocation dies before it learns the id.
    h = harness(makeHosts(3));
    const fake = h.fake;
    h.mock.on(SendCommandCommand).callsFakeOnce(async (input) => {
      await fake.sendCommand(input);
      throw new Error('Lambda killed');
    });

    // Act
    const crash = await thrown(h.deliver());
    const report = await h.deliver();

    // Assess
    expect(crash.message).toBe('Lambda killed');
    expect(fake.callCounts().SendCommand).toBe(1);
    expect(report).toMatchObject({ commandId: fake.commandIds()[0], hostsUpdated: 3 });
    expect(h.mock).toHaveReceivedCommandWith(ListCommandsCommand, {
      Filters: [
        { key: 'DocumentName', value: 'ses-smtp-rotation-UpdateRelayCredential' },
        { key: 'InvokedAfter', value: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) },
      ],
      MaxResults: 50,
    });
  });

  it('returns the earlier report without sending again when every host already confirmed', async () => {
    // Prepare
    h = harness(makeHosts(4));
    const first = await h.deliver();

    // Act
    const again = await h.deliver();

    // Assess
    expect(h.mock).toHaveReceivedCommandTimes(SendCommandCommand, 1);
    expect(again).toEqual(first);
  });

  it('sends a new command after a failed one once the host is fixed, and never two at a time', async () => {
    // Prepare
    const hosts = makeHosts(6, { durationMs: 30_000 });
    hosts[3]!.behaviour = { kind: 'fail' };
    h = harness(hosts, { config: { maxConcurrency: '1' } });
    const failed = (await thrown(h.deliver())) as FleetPushFailedError;
    hosts[3]!.behaviour = { kind: 'run' };

    // Act: the retry runs out of time while the new command is in progress; the one after resumes it.
    const pending = (await thrown(h.deliver(40_000))) as FleetPushPendingError;
    const report = await h.deliver();

    // Assess
    expect(failed).toBeInstanceOf(FleetPushFailedError);
    expect(pending).toBeInstanceOf(FleetPushPendingError);
    expect(pending.commandId).not.toBe(failed.commandId);
    expect(report.commandId).toBe(pending.commandId);
    expect(report.hostsUpdated).toBe(6);
    expect(h.mock).toHaveReceivedCommandTimes(SendCommandCommand, 2);
    expect(h.logs.some((l) => l.startsWith('WARN') && l.includes(failed.commandId))).toBe(true);
  });

  it('ignores commands of another version', async () => {
    // Prepare
    h = harness(makeHosts(2));
    const other = await h.deliver(15 * 60_000, OTHER_VERSION_ID);

    // Act
    const report = await h.deliver();

    // Assess
    expect(report.commandId).not.toBe(other.commandId);
    expect(h.mock).toHaveReceivedCommandTimes(SendCommandCommand, 2);
  });

  it('sends a new command when the version was last pushed before the look-back window', async () => {
    // Prepare
    h = harness(makeHosts(2));
    const old = await h.deliver();
    h.clock.advance(15 * 24 * 3600 * 1000);

    // Act
    const report = await h.deliver();

    // Assess
    expect(report.commandId).not.toBe(old.commandId);
  });
});
