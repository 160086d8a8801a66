import { Deadline } from '../../src/core/clock';
import { PROBE_REGION_CONCURRENCY } from '../../src/core/additional-regions';
import type { SmtpProbe, SmtpProbeTarget } from '../../src/rotation/ports';
import { proveRegions, type RegionFailure } from '../../src/rotation/region-probes';
import { VirtualClock } from '../../src/sandbox/virtual-clock';

function target(region: string): SmtpProbeTarget {
  return {
    host: `email-smtp.${region}.amazonaws.com`,
    port: 587,
    region,
    username: 'AKIAIOSFODNN7EXAMPLE',
    password: 'p',
  };
}

/** A probe whose checks take `ms` of virtual time; regions in `refuse` fail. Records concurrency and windows. */
function slowProbe(clock: VirtualClock, ms: number, refuse: string[] = []) {
  let running = 0;
  const seen = { maxRunning: 0, started: [] as string[], windows: [] as number[] };
  const probe: SmtpProbe = {
    authenticate: async (t, deadline) => {
      seen.started.push(t.region);
      seen.windows.push(deadline.remaining());
      running++;
      seen.maxRunning = Math.max(seen.maxRunning, running);
      await clock.sleep(ms);
      running--;
      if (refuse.includes(t.region)) throw new Error(`535 from ${t.host} (password derived for ${t.region})`);
      return { attempts: 1, elapsedMs: ms };
    },
  };
  return { probe, seen };
}

describe('proveRegions', () => {
  it('proves every region, at most PROBE_REGION_CONCURRENCY at a time, each with the full window', async () => {
    // Prepare
    const clock = new VirtualClock();
    const regions = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-east-2', 'us-west-2', 'ca-central-1'];
    const { probe, seen } = slowProbe(clock, 60_000);
    // Act
    const proofs = await proveRegions(probe, regions.map(target), Deadline.after(clock, 870_000), 150_000);
    // Assess
    expect(proofs.map((p) => p.region)).toEqual(regions);
    expect(seen.maxRunning).toBe(PROBE_REGION_CONCURRENCY);
    expect(seen.windows.every((w) => w === 150_000)).toBe(true);
  });

  it('throws the first failing region in order and reports every failure', async () => {
    const clock = new VirtualClock();
    const { probe } = slowProbe(clock, 1_000, ['eu-central-1']);
    const failures: RegionFailure[] = [];
    await expect(
      proveRegions(probe, [target('eu-west-1'), target('eu-central-1')], Deadline.after(clock, 870_000), 150_000, (f) =>
        failures.push(f),
      ),
    ).rejects.toThrow('password derived for eu-central-1');
    expect(failures.map((f) => f.region)).toEqual(['eu-central-1']);
  });

  it('starts no further region after a failure', async () => {
    const clock = new VirtualClock();
    const regions = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-east-2', 'us-west-2'];
    const { probe, seen } = slowProbe(clock, 1_000, ['eu-west-1']);
    await expect(proveRegions(probe, regions.map(target), Deadline.after(clock, 870_000), 150_000)).rejects.toThrow(
      'eu-west-1',
    );
    expect(seen.started).toEqual(regions.slice(0, PROBE_REGION_CONCURRENCY));
  });
});
