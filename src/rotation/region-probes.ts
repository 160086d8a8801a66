import type { Deadline } from '../core/clock';
import { PROBE_REGION_CONCURRENCY } from '../core/additional-regions';
import type { ProbeReport, SmtpProbe, SmtpProbeTarget } from './ports';

/** One region's successful check. */
export interface RegionProof {
  readonly region: string;
  readonly host: string;
  readonly report: ProbeReport;
}

/** One region's failed check, for the log (the error's message names the region and host, never the password). */
export interface RegionFailure {
  readonly region: string;
  readonly host: string;
  readonly error: unknown;
}

/**
 * Proves every target (one per region), {@link PROBE_REGION_CONCURRENCY} at a time. Each region gets the same
 * retry window, `windowMs` from the moment its own check starts (capped by `deadline`), so a region checked in a
 * later round is not cut short by the rounds before it. After a failure no further region is started; checks
 * already running finish (a probe cannot be cancelled mid-session). Throws the error of the first failing target
 * in the given order (primary first), after `onFailure` saw every failure.
 */
export async function proveRegions(
  probe: SmtpProbe,
  targets: readonly SmtpProbeTarget[],
  deadline: Deadline,
  windowMs: number,
  onFailure: (failure: RegionFailure) => void = () => undefined,
): Promise<RegionProof[]> {
  const proofs: (RegionProof | undefined)[] = new Array(targets.length);
  const failures: (RegionFailure | undefined)[] = new Array(targets.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < targets.length) {
      const index = next++;
      const target = targets[index]!;
      try {
        const report = await probe.authenticate(target, deadline.within(windowMs));
        proofs[index] = { region: target.region, host: target.host, report };
      } catch (error) {
        failed = true;
        failures[index] = { region: target.region, host: target.host, error };
      }
    }
  };
  const workers = Math.min(PROBE_REGION_CONCURRENCY, targets.length);
  await Promise.all(Array.from({ length: workers }, worker));
  const failedRegions = failures.filter((f): f is RegionFailure => f !== undefined);
  for (const failure of failedRegions) onFailure(failure);
  if (failedRegions.length > 0) throw failedRegions[0]!.error;
  return proofs as RegionProof[];
}
