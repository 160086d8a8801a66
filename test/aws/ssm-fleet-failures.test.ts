import { GetCommandInvocationCommand, ListCommandInvocationsCommand, ListCommandsCommand } from '@aws-sdk/client-ssm';
import { FleetPushFailedError, NoTargetsError } from '../../src/rotation/fleet-errors';
import { RESULT_MARKER } from '../../src/core/document-contract';
import { makeHosts } from '../../src/sandbox/fake-fleet-hosts';
import { VirtualClock } from '../../src/sandbox/virtual-clock';
import { PASSWORD, harness, installed, thrown, type Harness } from './ssm-fleet-fixture';

/** A virtual clock that runs `onSleep` before the n-th sleep (e.g. to cancel a command mid-wait). */
class ScriptedClock extends VirtualClock {
  constructor(
    private readonly at: number,
    private readonly onSleep: () => Promise<void>,
  ) {
    super();
  }

  override async sleep(ms: number): Promise<void> {
    if (this.sleeps + 1 === this.at) await this.onSleep();
    return super.sleep(ms);
  }
}

/** "Status/TargetCount" of every poll the fleet made, in order. */
async function polled(h: Harness): Promise<string[]> {
  const polls = h.mock.commandCalls(ListCommandsCommand).filter((c) => c.args[0].input.CommandId !== undefined);
  const outputs = await Promise.all(polls.map((c) => c.returnValue));
  return outputs.map((o) => `${o.Commands?.[0]?.Status}/${o.Commands?.[0]?.TargetCount}`);
}

async function failure(h: Harness): Promise<FleetPushFailedError> {
  const error = await thrown(h.deliver());
  expect(error).toBeInstanceOf(FleetPushFailedError);
  const failed = error as FleetPushFailedError;
  expect(failed.message).toContain(failed.commandId);
  expect(failed.message).toContain('Nothing was promoted; the old key stays valid');
  return failed;
}

describe('SsmFleet.deliver when hosts do not confirm', () => {
  let h: Harness | undefined;
  afterEach(() => {
    h?.mock.restore();
    installed.clear();
  });

  it('names the one failing host beyond the first page of a 60-host fleet', async () => {
    // Prepare
    const hosts = makeHosts(60);
    const culprit = hosts[56]!;
    culprit.behaviour = { kind: 'fail', output: `${RESULT_MARKER} status=failed reason=postmap-missing` };
    h = harness(hosts, { config: { maxConcurrency: '100%' } });

    // Act
    const error = await failure(h);

    // Assess
    expect(error.message).toContain(`1 host Failed (the document exited non-zero): ${culprit.instanceId}`);
    expect(error.message).toContain(`First error: ${culprit.instanceId} exit code 1, ${RESULT_MARKER} status=failed`);
    expect(h.mock).toHaveReceivedCommandWith(ListCommandInvocationsCommand, {
      Filters: [{ key: 'Status', value: 'Failed' }],
      MaxResults: 50,
    });
    expect(h.mock).toHaveReceivedCommandWith(GetCommandInvocationCommand, { InstanceId: culprit.instanceId });
  });

  it('pages through a bad state with NextToken and names the first 50 plus "and N more"', async () => {
    // Prepare
    const hosts = makeHosts(75);
    hosts.slice(0, 60).forEach((x) => (x.behaviour = { kind: 'undeliverable' }));
    h = harness(hosts, { config: { maxConcurrency: '100%' } });

    // Act
    const error = await failure(h);

    // Assess
    const undeliverable = error.failures.find((f) => f.state === 'Undeliverable')!;
    expect(undeliverable.total).toBe(60);
    expect(undeliverable.hostIds).toEqual(hosts.slice(0, 50).map((x) => x.instanceId));
    expect(error.message).toContain(`${hosts[49]!.instanceId} and 10 more`);
    expect(error.message).not.toContain(hosts[50]!.instanceId);
    const undeliverableCalls = h.mock
      .commandCalls(ListCommandInvocationsCommand)
      .filter((c) => c.args[0].input.Filters?.[0]?.value === 'Undeliverable');
    expect(undeliverableCalls).toHaveLength(2);
    expect(undeliverableCalls[1]!.args[0].input.NextToken).toEqual(expect.any(String));
  });

  it('fails on Undeliverable hosts even though the command status is Success', async () => {
    // Prepare
    const hosts = makeHosts(3);
    hosts[1]!.behaviour = { kind: 'undeliverable' };
    h = harness(hosts);

    // Act
    const error = await failure(h);

    // Assess
    const listed = await h.fake.listCommands({ CommandId: error.commandId });
    expect(listed.Commands?.[0]).toMatchObject({ Status: 'Success', StatusDetails: 'Incomplete' });
    expect(error.message).toContain(
      `1 host Undeliverable (the node is gone or its agent is not responding): ${hosts[1]!.instanceId}`,
    );
    // Not a clean Success, so every bad state is listed once (one page each here).
    const states = h.mock.commandCalls(ListCommandInvocationsCommand).map((c) => c.args[0].input.Filters?.[0]?.value);
    expect(states).toEqual([
      'Failed',
      'ExecutionTimedOut',
      'DeliveryTimedOut',
      'Undeliverable',
      'InvalidPlatform',
      'AccessDenied',
      'Terminated',
      'Cancelled',
    ]);
  });

  it('fails on a host whose platform the document does not support', async () => {
    // Prepare
    const hosts = makeHosts(2);
    hosts[0]!.platform = 'MacOS';
    h = harness(hosts);

    // Act
    const error = await failure(h);

    // Assess
    expect(error.message).toContain(
      `Invalid Platform (the document does not support the node's OS): ${hosts[0]!.instanceId}`,
    );
  });

  it('fails on a host the rotation role may not send to', async () => {
    // Prepare
    const hosts = makeHosts(2);
    hosts[1]!.behaviour = { kind: 'access-denied' };
    h = harness(hosts);

    // Act
    const error = await failure(h);

    // Assess
    expect(error.failures.map((f) => [f.state, f.hostIds])).toEqual([['AccessDenied', [hosts[1]!.instanceId]]]);
  });

  it('names the hosts Terminated after the canary exceeded MaxErrors', async () => {
    // Prepare
    const hosts = makeHosts(10);
    hosts[1]!.behaviour = { kind: 'fail' };
    h = harness(hosts, { config: { maxConcurrency: '1', maxErrors: '0' } });

    // Act
    const error = await failure(h);

    // Assess
    const states = Object.fromEntries(error.failures.map((f) => [f.state, f.hostIds]));
    expect(states.Failed).toEqual([hosts[1]!.instanceId]);
    expect(states.Terminated).toEqual(hosts.slice(2).map((x) => x.instanceId));
    expect(error.message).toContain('8 hosts Terminated (never ran: the rollout stopped after MaxErrors was exceeded)');
    expect(installed.has(hosts[2]!.instanceId)).toBe(false);
  });

  it('fails when an offline host is not reached before the delivery timeout', async () => {
    // Prepare
    const hosts = makeHosts(3);
    hosts[2]!.online = false;
    h = harness(hosts, { config: { deliveryTimeoutSeconds: 60 } });

    // Act
    const error = await failure(h);

    // Assess
    expect(error.failures.map((f) => [f.state, f.hostIds])).toEqual([['DeliveryTimedOut', [hosts[2]!.instanceId]]]);
  });

  it('fails when the document runs past its execution timeout', async () => {
    // Prepare
    const hosts = makeHosts(2);
    hosts[0]!.behaviour = { kind: 'execution-timeout' };
    h = harness(hosts, {
      fake: { documents: [{ name: 'ses-smtp-rotation-UpdateRelayCredential', executionTimeoutSeconds: 120 }] },
    });

    // Act
    const error = await failure(h);

    // Assess
    expect(error.message).toContain(
      `Execution Timed Out (the document ran longer than its timeout): ${hosts[0]!.instanceId}`,
    );
  });

  it('fails when someone cancels the command, after waiting through Cancelling', async () => {
    // Prepare
    const hosts = makeHosts(4, { durationMs: 60_000 });
    const clock = new ScriptedClock(3, async () => {
      await h!.fake.cancelCommand({ CommandId: h!.fake.commandIds()[0] });
    });
    h = harness(hosts, { clock, config: { maxConcurrency: '100%' }, fake: { cancelDurationMs: 20_000 } });

    // Act
    const error = await failure(h);

    // Assess
    // Targets resolve after 2 s; cancelled after the poll at 10 s; running hosts stay Cancelling for 20 s.
    expect(await polled(h)).toEqual([
      'Pending/0',
      'InProgress/4',
      'InProgress/4',
      'Cancelling/4',
      'Cancelling/4',
      'Cancelling/4',
      'Cancelled/4',
    ]);
    expect(error.message).toContain('command status Cancelled');
    expect(error.failures.find((f) => f.state === 'Cancelled')?.total).toBe(4);
  });

  it('names the tag when no managed node carries it', async () => {
    // Prepare
    h = harness(makeHosts(3, { tags: { Role: 'web' } }));

    // Act
    const error = await thrown(h.deliver());

    // Assess
    expect(error).toBeInstanceOf(NoTargetsError);
    expect(error.message).toContain('no managed node carries tag Role=smtp-relay');
    expect(error.message).toContain('Nothing was promoted');
  });

  it('keeps waiting while tag targets resolve (TargetCount 0) and then succeeds', async () => {
    // Prepare
    h = harness(makeHosts(2), { fake: { targetResolutionMs: 45_000 } });

    // Act
    const report = await h.deliver();

    // Assess
    expect(report.hostsUpdated).toBe(2);
    // Polls at 0…40 s see unresolved targets; the one at 45 s sees both hosts.
    expect((await polled(h)).slice(0, 10)).toEqual([...Array(9).fill('Pending/0'), 'InProgress/2']);
  });

  it('keeps waiting on a Delayed host and then succeeds', async () => {
    // Prepare
    const hosts = makeHosts(2);
    hosts[0]!.behaviour = { kind: 'delayed', delayedMs: 90_000 };
    h = harness(hosts, { config: { maxConcurrency: '100%' } });

    // Act
    const report = await h.deliver();

    // Assess
    expect(report.hostsUpdated).toBe(2);
    expect(h.clock.totalSleptMs).toBeGreaterThanOrEqual(90_000);
    expect(h.fake.invocations(report.commandId).map((i) => i.state)).toEqual(['Success', 'Success']);
  });

  it('keeps the error short and free of secrets even when a host prints one', async () => {
    // Prepare
    const hosts = makeHosts(1);
    hosts[0]!.behaviour = { kind: 'fail', output: `debug noise\n${RESULT_MARKER} status=failed got=${PASSWORD}\n` };
    h = harness(hosts);

    // Act
    const error = await failure(h);

    // Assess
    expect(error.message).not.toContain(PASSWORD);
    expect(error.message).not.toContain('debug noise');
    expect(error.firstError).toContain('[redacted]');
  });
});
