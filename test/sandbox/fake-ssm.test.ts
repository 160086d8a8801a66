import {
  InvalidCommandId,
  InvalidDocument,
  InvalidInstanceId,
  InvalidNextToken,
  InvalidParameters,
  InvocationDoesNotExist,
  ListCommandsCommand,
  SSMClient,
  SendCommandCommand,
  type SendCommandCommandInput,
} from '@aws-sdk/client-ssm';
import { makeHosts, type HostRunner } from '../../src/sandbox/fake-fleet-hosts';
import { FakeSsm, type FakeSsmOptions } from '../../src/sandbox/fake-ssm';
import { DEFAULT_FAKE_DOCUMENT } from '../../src/sandbox/fake-ssm-validation';
import { VirtualClock } from '../../src/sandbox/virtual-clock';
import { wireFakeSsm } from './wire-fake-ssm';

const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ses-smtp-credential-AbCdEf';
const VERSION = '5f0c2a9e-7d41-4c1b-9a53-2e8f6b1d0c77';

function send(overrides: Partial<SendCommandCommandInput> = {}): SendCommandCommandInput {
  return {
    DocumentName: DEFAULT_FAKE_DOCUMENT,
    Targets: [{ Key: 'tag:Role', Values: ['smtp-relay'] }],
    Parameters: { SecretArn: [ARN], VersionId: [VERSION] },
    Comment: `ses-smtp-rotation ${VERSION}`,
    MaxConcurrency: '100%',
    MaxErrors: '0',
    TimeoutSeconds: 600,
    ...overrides,
  };
}

function setup(count: number, options: Partial<FakeSsmOptions> = {}) {
  const clock = new VirtualClock(0);
  const hosts = makeHosts(count);
  const fake = new FakeSsm({ clock, hosts, ...options });
  const status = async (commandId: string) => {
    const c = (await fake.listCommands({ CommandId: commandId })).Commands![0]!;
    return {
      status: c.Status,
      details: c.StatusDetails,
      target: c.TargetCount,
      completed: c.CompletedCount,
      errors: c.ErrorCount,
      deliveryTimedOut: c.DeliveryTimedOutCount,
    };
  };
  return { clock, hosts, fake, status };
}

async function sendAndRun(f: ReturnType<typeof setup>, input = send(), ms = 3_600_000): Promise<string> {
  const out = await f.fake.sendCommand(input);
  f.clock.advance(ms);
  await f.fake.advance();
  return out.Command!.CommandId!;
}

describe('FakeSsm', () => {
  it('shows TargetCount 0 and Pending until tag targets resolve, then counts the matching hosts', async () => {
    // Prepare
    const f = setup(3, { targetResolutionMs: 10_000, defaultDurationMs: 20_000 });
    f.hosts[2]!.tags = { Role: 'web' };

    // Act
    const id = (await f.fake.sendCommand(send())).Command!.CommandId!;
    const early = await f.status(id);
    f.clock.advance(10_000);
    const resolved = await f.status(id);
    f.clock.advance(60_000);
    const done = await f.status(id);

    // Assess
    expect(early).toMatchObject({ status: 'Pending', target: 0, completed: 0 });
    expect(resolved).toMatchObject({ status: 'InProgress', target: 2 });
    expect(done).toEqual({
      status: 'Success',
      details: 'Success',
      target: 2,
      completed: 2,
      errors: 0,
      deliveryTimedOut: 0,
    });
  });

  it('ends "No Instances In Tag" when no host carries the tag', async () => {
    const f = setup(2);
    const id = await sendAndRun(f, send({ Targets: [{ Key: 'tag:Role', Values: ['nothing'] }] }));
    expect(await f.status(id)).toMatchObject({ status: 'Failed', details: 'No Instances In Tag', target: 0 });
  });

  it('knows explicit node ids at once and marks an id it does not manage Undeliverable', async () => {
    // Prepare
    const f = setup(1, { targetResolutionMs: 10_000 });
    const input = send({ Targets: undefined, InstanceIds: [f.hosts[0]!.instanceId, 'i-0123456789abcdef0'] });

    // Act
    const id = (await f.fake.sendCommand(input)).Command!.CommandId!;
    const atOnce = await f.status(id);
    f.clock.advance(3_600_000);
    await f.fake.advance();

    // Assess
    expect(atOnce.target).toBe(2);
    expect(f.fake.invocations(id).map((i) => i.state)).toEqual(['Success', 'Undeliverable']);
  });

  it('ANDs tag keys and ORs values', async () => {
    // Prepare
    const f = setup(3);
    f.hosts[0]!.tags = { Role: 'relay-dr', Env: 'prod' };
    f.hosts[1]!.tags = { Role: 'smtp-relay', Env: 'prod' };
    f.hosts[2]!.tags = { Role: 'smtp-relay', Env: 'test' };

    // Act
    const id = await sendAndRun(
      f,
      send({
        Targets: [
          { Key: 'tag:Role', Values: ['smtp-relay', 'relay-dr'] },
          { Key: 'tag:Env', Values: ['prod'] },
        ],
      }),
    );

    // Assess
    expect(f.fake.invocations(id).map((i) => i.host.instanceId)).toEqual([
      f.hosts[0]!.instanceId,
      f.hosts[1]!.instanceId,
    ]);
  });

  it('reports Incomplete details while some hosts are Undeliverable, Invalid Platform or Access Denied', async () => {
    // Prepare
    const f = setup(4);
    f.hosts[0]!.behaviour = { kind: 'undeliverable' };
    f.hosts[1]!.platform = 'MacOS';
    f.hosts[2]!.behaviour = { kind: 'access-denied' };

    // Act
    const id = await sendAndRun(f);

    // Assess: they do not count against MaxErrors but make the command Incomplete (the Status is modelled as
    // Success, adversarially); Invalid Platform and Access Denied are modelled as not counted in CompletedCount.
    expect(await f.status(id)).toEqual({
      status: 'Success',
      details: 'Incomplete',
      target: 4,
      completed: 2,
      errors: 0,
      deliveryTimedOut: 0,
    });
  });

  it('fails the command only when every host is Undeliverable', async () => {
    const f = setup(2);
    f.hosts.forEach((h) => (h.behaviour = { kind: 'undeliverable' }));
    const id = await sendAndRun(f);
    expect(await f.status(id)).toMatchObject({ status: 'Failed', details: 'Undeliverable', completed: 2 });
  });

  it('reports Incomplete, not Failed, when fewer hosts failed than MaxErrors allows', async () => {
    // Prepare
    const f = setup(4);
    f.hosts[1]!.behaviour = { kind: 'fail' };

    // Act
    const id = await sendAndRun(f, send({ MaxErrors: '1' }));

    // Assess
    expect(await f.status(id)).toMatchObject({ status: 'Success', details: 'Incomplete', errors: 1, completed: 4 });
  });

  it('reports Success details only when every invocation succeeded', async () => {
    const f = setup(3);
    const id = await sendAndRun(f);
    expect(await f.status(id)).toMatchObject({ status: 'Success', details: 'Success', completed: 3 });
  });

  it('terminates the hosts not yet started once more than MaxErrors failed', async () => {
    // Prepare
    const f = setup(6);
    f.hosts[0]!.behaviour = { kind: 'fail' };
    f.hosts[1]!.behaviour = { kind: 'fail' };

    // Act
    const id = await sendAndRun(f, send({ MaxConcurrency: '1', MaxErrors: '1' }));

    // Assess
    expect(f.fake.invocations(id).map((i) => i.state)).toEqual([
      'Failed',
      'Failed',
      'Terminated',
      'Terminated',
      'Terminated',
      'Terminated',
    ]);
    expect(await f.status(id)).toMatchObject({ status: 'Failed', completed: 6, errors: 2 });
  });

  it('never runs more hosts at once than MaxConcurrency, ramping up to it', async () => {
    // Prepare
    const f = setup(40, { defaultDurationMs: 10_000, rampStepMs: 5_000 });

    // Act
    const id = await sendAndRun(f, send({ MaxConcurrency: '10%' }));

    // Assess: from start and end times, at most 4 (10 % of 40) overlap; the first wave is a single host.
    const runs = f.fake.invocations(id).map((i) => ({ start: i.startedAt!, end: i.endedAt! }));
    const overlap = runs.map((a) => runs.filter((b) => b.start <= a.start && b.end > a.start).length);
    const firstStart = Math.min(...runs.map((r) => r.start));
    expect(Math.max(...overlap)).toBe(4);
    expect(runs.filter((r) => r.start === firstStart)).toHaveLength(1);
    expect(await f.status(id)).toMatchObject({ status: 'Success', completed: 40 });
  });

  it('ends an offline host Delivery Timed Out at the delivery timeout, and runs it if it comes back in time', async () => {
    // Prepare
    const f = setup(3);
    f.hosts[1]!.online = false;
    f.hosts[2]!.online = false;

    // Act
    const id = (await f.fake.sendCommand(send({ TimeoutSeconds: 60 }))).Command!.CommandId!;
    f.clock.advance(30_000);
    await f.fake.updateHost(f.hosts[2]!.instanceId, { online: true });
    f.clock.advance(3_600_000);
    await f.fake.advance();

    // Assess: some hosts timed out, so the command is Incomplete (modelled with status Success).
    expect(f.fake.invocations(id).map((i) => i.state)).toEqual(['Success', 'DeliveryTimedOut', 'Success']);
    expect(await f.status(id)).toMatchObject({ status: 'Success', details: 'Incomplete', deliveryTimedOut: 1 });
  });

  it('ends a host that runs longer than the document timeout Execution Timed Out', async () => {
    const f = setup(1, { documents: [{ name: DEFAULT_FAKE_DOCUMENT, executionTimeoutSeconds: 30 }] });
    f.hosts[0]!.durationMs = 31_000;
    const id = await sendAndRun(f);
    expect(f.fake.invocations(id)[0]!.state).toBe('ExecutionTimedOut');
    expect(await f.status(id)).toMatchObject({ status: 'Failed', errors: 1, completed: 1 });
  });

  it('shows a Delayed invocation, not a final one, while sending to the agent is retried', async () => {
    // Prepare
    const f = setup(1);
    f.hosts[0]!.behaviour = { kind: 'delayed', delayedMs: 60_000 };

    // Act
    const id = (await f.fake.sendCommand(send())).Command!.CommandId!;
    f.clock.advance(30_000);
    const delayed = await f.fake.listCommandInvocations({
      CommandId: id,
      Filters: [{ key: 'Status', value: 'Delayed' }],
    });
    f.clock.advance(3_600_000);
    await f.fake.advance();

    // Assess
    expect(delayed.CommandInvocations?.map((i) => i.StatusDetails)).toEqual(['Delayed']);
    expect(f.fake.invocations(id)[0]!.state).toBe('Success');
  });

  it('passes the command parameters to the host hook and records its output', async () => {
    // Prepare
    const seen: unknown[] = [];
    const runOnHost: HostRunner = async (host, request) => {
      seen.push([host.instanceId, request.documentName, request.parameters]);
      return { status: 'Failed', output: 'ses-smtp-rotation-result status=failed', exitCode: 3 };
    };
    const f = setup(1, { runOnHost });

    // Act
    const id = await sendAndRun(f);
    const invocation = await f.fake.getCommandInvocation({ CommandId: id, InstanceId: f.hosts[0]!.instanceId });

    // Assess
    expect(seen).toEqual([[f.hosts[0]!.instanceId, DEFAULT_FAKE_DOCUMENT, { SecretArn: [ARN], VersionId: [VERSION] }]]);
    expect(invocation).toMatchObject({
      Status: 'Failed',
      ResponseCode: 3,
      StandardOutputContent: 'ses-smtp-rotation-result status=failed',
    });
  });

  it('reports a host hook that throws as Failed without quoting its message', async () => {
    const f = setup(1, { runOnHost: async () => Promise.reject(new TypeError('secret-ish detail')) });
    const id = await sendAndRun(f);
    expect(f.fake.invocations(id)[0]).toMatchObject({ state: 'Failed', output: 'host hook threw TypeError' });
  });

  it('pages invocations 50 at a time with NextToken and filters by one detailed status', async () => {
    // Prepare
    const f = setup(120);
    f.hosts.slice(0, 70).forEach((h) => (h.behaviour = { kind: 'undeliverable' }));
    const id = await sendAndRun(f);

    // Act
    const first = await f.fake.listCommandInvocations({
      CommandId: id,
      Filters: [{ key: 'Status', value: 'Undeliverable' }],
      MaxResults: 50,
    });
    const second = await f.fake.listCommandInvocations({
      CommandId: id,
      Filters: [{ key: 'Status', value: 'Undeliverable' }],
      MaxResults: 50,
      NextToken: first.NextToken,
    });
    const failed = await f.fake.listCommandInvocations({
      CommandId: id,
      Filters: [{ key: 'Status', value: 'Failed' }],
    });

    // Assess
    expect(first.CommandInvocations).toHaveLength(50);
    expect(second.CommandInvocations).toHaveLength(20);
    expect(second.NextToken).toBeUndefined();
    expect(second.CommandInvocations![0]).toMatchObject({ Status: 'Failed', StatusDetails: 'Undeliverable' });
    expect(failed.CommandInvocations).toHaveLength(0);
  });

  it('refuses a page size above 50, a foreign token and two Status filters in one call', async () => {
    const f = setup(1);
    const id = await sendAndRun(f);
    await expect(f.fake.listCommands({ MaxResults: 51 })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(f.fake.listCommands({ NextToken: 'bm9wZQ==' })).rejects.toBeInstanceOf(InvalidNextToken);
    await expect(
      f.fake.listCommandInvocations({
        CommandId: id,
        Filters: [
          { key: 'Status', value: 'Failed' },
          { key: 'Status', value: 'Undeliverable' },
        ],
      }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('filters commands by document and InvokedAfter, newest first', async () => {
    // Prepare
    const f = setup(1, { documents: [{ name: DEFAULT_FAKE_DOCUMENT }, { name: 'other-doc' }] });
    const a = await sendAndRun(f, send(), 60_000);
    await sendAndRun(f, send({ DocumentName: 'other-doc' }), 60_000);
    const c = await sendAndRun(f, send(), 60_000);

    // Act
    const all = await f.fake.listCommands({ Filters: [{ key: 'DocumentName', value: DEFAULT_FAKE_DOCUMENT }] });
    const recent = await f.fake.listCommands({
      Filters: [
        { key: 'DocumentName', value: DEFAULT_FAKE_DOCUMENT },
        { key: 'InvokedAfter', value: new Date(90_000).toISOString() },
      ],
    });

    // Assess
    expect(all.Commands?.map((x) => x.CommandId)).toEqual([c, a]);
    expect(recent.Commands?.map((x) => x.CommandId)).toEqual([c]);
  });

  it.each([
    ['an unknown document', { DocumentName: 'missing' }, InvalidDocument],
    [
      'a parameter the document does not declare',
      { Parameters: { SecretArn: [ARN], VersionId: [VERSION], Password: ['x'] } },
      InvalidParameters,
    ],
    [
      'a parameter off its allowedPattern',
      { Parameters: { SecretArn: [ARN], VersionId: ['$(reboot)'] } },
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

  it('reports unknown commands and invocations with the SDK exception classes', async () => {
    const f = setup(1);
    await expect(f.fake.listCommands({ CommandId: 'nope' })).rejects.toBeInstanceOf(InvalidCommandId);
    const id = await sendAndRun(f);
    await expect(
      f.fake.getCommandInvocation({ CommandId: id, InstanceId: 'i-00000000000000999' }),
    ).rejects.toBeInstanceOf(InvocationDoesNotExist);
  });

  it('cancels: pending hosts at once, running hosts through Cancelling', async () => {
    // Prepare
    const f = setup(4, { defaultDurationMs: 60_000, cancelDurationMs: 5_000, rampStepMs: 0 });
    const id = (await f.fake.sendCommand(send({ MaxConcurrency: '2' }))).Command!.CommandId!;
    f.clock.advance(10_000);

    // Act
    await f.fake.cancelCommand({ CommandId: id });
    const cancelling = await f.status(id);
    f.clock.advance(5_000);
    const cancelled = await f.status(id);

    // Assess
    expect(cancelling.status).toBe('Cancelling');
    expect(cancelled).toMatchObject({ status: 'Cancelled', completed: 4 });
    expect(f.fake.invocations(id).map((i) => i.state)).toEqual(['Cancelled', 'Cancelled', 'Cancelled', 'Cancelled']);
  });

  it('records every call with its operation and input', async () => {
    const f = setup(1);
    const id = await sendAndRun(f);
    await f.fake.listCommands({ CommandId: id });
    expect(f.fake.calls.map((c) => c.operation)).toEqual(['SendCommand', 'ListCommands']);
    expect(f.fake.callCounts()).toMatchObject({ SendCommand: 1, ListCommands: 1, ListCommandInvocations: 0 });
    expect(f.fake.callsTo('ListCommands')[0]!.input).toEqual({ CommandId: id });
  });

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
    expect(mock).toHaveReceivedCommandWith(SendCommandCommand, { Comment: `ses-smtp-rotation ${VERSION}` });
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
