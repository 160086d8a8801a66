import { makeHosts, type HostRunner } from '../../src/sandbox/fake-fleet-hosts';
import { arrival, hookEnding, plannedRun } from '../../src/sandbox/fake-ssm-host-run';
import { DEFAULT_FAKE_DOCUMENT } from '../../src/sandbox/fake-ssm-validation';
import { SECRET_ARN, send, sendAndRun, setup, VERSION_ID } from './fake-ssm-fixture';

const request = { commandId: 'c-1', documentName: 'doc', parameters: {} };

describe('arrival', () => {
  it('refuses a host whose platform the document does not list', () => {
    // Prepare
    const [host] = makeHosts(1, { platforms: 'linux' });

    // Act / Assess
    expect(arrival(host!, { platformTypes: ['Windows'] } as never)).toEqual({
      kind: 'refused',
      state: 'InvalidPlatform',
    });
  });

  it('delays a host scripted to be delayed', () => {
    const [host] = makeHosts(1, { platforms: 'linux' });
    host!.behaviour = { kind: 'delayed', delayedMs: 5_000 };
    expect(arrival(host!, {} as never)).toEqual({ kind: 'delayed', delayedMs: 5_000 });
  });
});

describe('plannedRun', () => {
  it('ends a run longer than the execution timeout at the timeout', () => {
    const [host] = makeHosts(1, { platforms: 'linux', durationMs: 700_000 });
    expect(plannedRun(host!, { defaultDurationMs: 1_000 }, {} as never)).toEqual({
      afterMs: 600_000,
      ending: { ending: 'ExecutionTimedOut', output: '', exitCode: -1 },
    });
  });

  it('leaves the ending to the host hook when nothing is scripted', () => {
    const [host] = makeHosts(1, { platforms: 'linux', durationMs: 20_000 });
    expect(plannedRun(host!, { defaultDurationMs: 1_000 }, {} as never)).toEqual({ afterMs: 20_000 });
  });
});

describe('hookEnding', () => {
  it('reports a crashing hook by its error class only', async () => {
    const [host] = makeHosts(1, { platforms: 'linux' });
    const ending = await hookEnding(
      async () => {
        throw new TypeError('password=hunter2');
      },
      host!,
      request,
    );
    expect(ending).toEqual({ ending: 'Failed', exitCode: 1, output: 'host hook threw TypeError' });
  });
});

describe('FakeSsm host runs', () => {
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
    expect(seen).toEqual([
      [f.hosts[0]!.instanceId, DEFAULT_FAKE_DOCUMENT, { SecretArn: [SECRET_ARN], VersionId: [VERSION_ID] }],
    ]);
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
});
