import { ListCommandInvocationsCommand, ListCommandsCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import { SsmFleet, commandComment } from '../../src/aws/ssm-fleet';
import { Deadline } from '../../src/core/clock';
import { DocumentParameterError } from '../../src/core/errors';
import { makeHosts } from '../../src/sandbox/fake-fleet-hosts';
import {
  PASSWORD,
  SECRET_ARN,
  VERSION_ID,
  fleetConfig,
  harness,
  installed,
  send,
  thrown,
  type Harness,
} from './ssm-fleet-fixture';

describe('SsmFleet.deliver', () => {
  let h: Harness | undefined;
  afterEach(() => {
    h?.mock.restore();
    installed.clear();
  });

  it('sends one tag-targeted canary command with only the secret ARN and version id, then reports the host', async () => {
    // Prepare
    const [host] = makeHosts(1);
    h = harness([host!]);

    // Act
    const report = await h.deliver();

    // Assess
    expect(h.mock).toHaveReceivedCommandTimes(SendCommandCommand, 1);
    expect(h.mock).toHaveReceivedCommandWith(
      SendCommandCommand,
      send({
        DocumentName: 'ses-smtp-rotation-UpdateRelayCredential',
        MaxConcurrency: '10%',
        CloudWatchOutputConfig: { CloudWatchOutputEnabled: true, CloudWatchLogGroupName: '/ses-smtp-rotation/fleet' },
      }),
    );
    expect(report).toEqual({ commandId: h.fake.commandIds()[0], hostsUpdated: 1 });
    expect(installed.get(host!.instanceId)).toBe(PASSWORD);
  });

  it('reaches a mixed Linux and Windows fleet with a single command', async () => {
    // Prepare
    const hosts = makeHosts(9, { platforms: 'mixed', hybridEvery: 4 });
    h = harness(hosts);

    // Act
    const report = await h.deliver();

    // Assess
    expect(h.mock).toHaveReceivedCommandTimes(SendCommandCommand, 1);
    expect(new Set(hosts.map((x) => x.platform))).toEqual(new Set(['Linux', 'Windows']));
    expect(report.hostsUpdated).toBe(9);
    expect(hosts.every((x) => installed.get(x.instanceId) === PASSWORD)).toBe(true);
  });

  it('targets explicit node ids when no tag is configured', async () => {
    // Prepare
    const hosts = makeHosts(2, { tags: {} });
    const ids = hosts.map((x) => x.instanceId);
    h = harness(hosts, { config: { tagTargets: [], instanceIds: ids, outputLogGroup: undefined } });

    // Act
    const report = await h.deliver();

    // Assess
    const input = h.mock.commandCalls(SendCommandCommand)[0]!.args[0].input;
    expect(input.InstanceIds).toEqual(ids);
    expect(input.Targets).toBeUndefined();
    expect(input.CloudWatchOutputConfig).toEqual({ CloudWatchOutputEnabled: true });
    expect(report.hostsUpdated).toBe(2);
  });

  it('passes the configured concurrency, error budget and delivery timeout', async () => {
    // Prepare
    h = harness(makeHosts(3), { config: { maxConcurrency: '1', maxErrors: '2', deliveryTimeoutSeconds: 900 } });

    // Act
    await h.deliver();

    // Assess
    expect(h.mock).toHaveReceivedCommandWith(SendCommandCommand, {
      MaxConcurrency: '1',
      MaxErrors: '2',
      TimeoutSeconds: 900,
    });
  });

  it('keeps the comment within the 100 characters SSM allows for the longest version id', () => {
    expect(commandComment('a'.repeat(64)).length).toBeLessThanOrEqual(100);
  });

  it('never sends, logs or reports the password', async () => {
    // Prepare
    h = harness(makeHosts(60, { platforms: 'mixed' }));
    h.fake.host('i-0000000000000003c').behaviour = { kind: 'fail' };

    // Act
    const error = await thrown(h.deliver());
    h.fake.host('i-0000000000000003c').behaviour = { kind: 'run' };
    const report = await h.deliver();

    // Assess
    const sent = h.mock.commandCalls(SendCommandCommand).map((c) => c.args[0].input);
    expect(
      sent.every(
        (input) =>
          Object.keys(input.Parameters ?? {})
            .sort()
            .join() === 'SecretArn,VersionId',
      ),
    ).toBe(true);
    const everything = JSON.stringify([h.fake.calls, h.mock.calls().map((c) => c.args[0].input), h.logs, report]);
    expect(everything).not.toContain(PASSWORD);
    expect(`${error.message} ${error.stack ?? ''}`).not.toContain(PASSWORD);
    expect(installed.get('i-0000000000000003c')).toBe(PASSWORD);
  });

  it('refuses a version id the document would reject before calling SSM', async () => {
    // Prepare
    h = harness(makeHosts(1));

    // Act
    const error = await thrown(h.deliver(60_000, 'not a token'));

    // Assess
    expect(error).toBeInstanceOf(DocumentParameterError);
    expect(h.fake.calls).toHaveLength(0);
  });

  it('lets the SDK error through when the document does not exist', async () => {
    // Prepare
    h = harness(makeHosts(1), { config: { documentName: 'someone-elses-document' } });

    // Act
    const error = await thrown(h.deliver());

    // Assess
    expect(error.name).toBe('InvalidDocument');
  });

  it('refuses a configuration without any target', () => {
    expect(
      () =>
        new SsmFleet({
          ssm: {} as never,
          clock: { now: () => 0, sleep: async () => undefined },
          config: fleetConfig({ tagTargets: [], instanceIds: [] }),
        }),
    ).toThrow(/no targets/);
  });

  it.each([1, 500])('reads one ListCommands per poll and no invocation listing for %i hosts', async (count) => {
    // Prepare
    h = harness(makeHosts(count, { durationMs: 20_000 }));

    // Act
    const report = await h.deliver();

    // Assess
    const polls = h.clock.sleeps + 1;
    const byId = h.mock.commandCalls(ListCommandsCommand).filter((c) => c.args[0].input.CommandId !== undefined);
    const searches = h.mock.commandCalls(ListCommandsCommand).filter((c) => c.args[0].input.CommandId === undefined);
    expect(byId).toHaveLength(polls);
    expect(searches).toHaveLength(1);
    // The command ran successfully on all invocations: no host can be in a bad state, so none is listed.
    expect(h.mock).toHaveReceivedCommandTimes(ListCommandInvocationsCommand, 0);
    expect(h.fake.callCounts().GetCommandInvocation).toBe(0);
    expect(report.hostsUpdated).toBe(count);
  });

  it('polls at the configured interval and stops at the deadline', async () => {
    // Prepare
    h = harness(makeHosts(1, { durationMs: 3_600_000 }), { config: { pollIntervalSeconds: 10 } });
    const start = h.clock.now();

    // Act
    await thrown(h.fleet.deliver({ secretArn: SECRET_ARN, versionId: VERSION_ID }, Deadline.after(h.clock, 60_000)));

    // Assess
    expect(h.clock.sleeps).toBe(6);
    expect(h.clock.now() - start).toBe(60_000);
  });
});
