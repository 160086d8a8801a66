import { makeHosts } from '../../src/sandbox/fake-fleet-hosts';
import { arrival, hookEnding, plannedRun } from '../../src/sandbox/fake-ssm-host-run';

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
