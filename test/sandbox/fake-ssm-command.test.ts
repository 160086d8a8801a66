/**
 * The life of one simulated Run Command (src/sandbox/fake-ssm-command.ts): target resolution, the rollout under
 * MaxConcurrency and MaxErrors, the delivery timeout, cancellation.
 */
import { send, sendAndRun, setup } from './fake-ssm-fixture';

describe('FakeSsm command', () => {
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
});
