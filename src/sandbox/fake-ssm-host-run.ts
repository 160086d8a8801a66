/**
 * What one host does with a simulated Run Command: whether the command reaches it at all (scripted delivery
 * failures, the document's platforms), when and how its run ends (scripted failures, the document's execution
 * timeout), and otherwise what the host hook reports.
 */
import type { FakeHost, HostRunner, HostRunRequest } from './fake-fleet-hosts';
import type { InvocationState } from './fake-ssm-status';
import type { FakeDocument } from './fake-ssm-validation';

/** How a run ends: the state, the output SSM shows and the exit code. */
export interface RunEnding {
  readonly ending: 'Success' | 'Failed' | 'ExecutionTimedOut';
  readonly output: string;
  readonly exitCode: number;
}

/** What happens when the command reaches an online host. */
export type Arrival =
  | { readonly kind: 'refused'; readonly state: InvocationState }
  | { readonly kind: 'delayed'; readonly delayedMs: number }
  | { readonly kind: 'start' };

export function arrival(host: FakeHost, document: FakeDocument): Arrival {
  const behaviour = host.behaviour;
  const platforms = document.platformTypes ?? ['Linux', 'Windows'];
  if (behaviour.kind === 'undeliverable') return { kind: 'refused', state: 'Undeliverable' };
  if (behaviour.kind === 'invalid-platform' || !platforms.includes(host.platform)) {
    return { kind: 'refused', state: 'InvalidPlatform' };
  }
  if (behaviour.kind === 'access-denied') return { kind: 'refused', state: 'AccessDenied' };
  if (behaviour.kind === 'delayed') return { kind: 'delayed', delayedMs: behaviour.delayedMs };
  return { kind: 'start' };
}

/**
 * When a started run ends (ms after its start) and, for a scripted outcome, how; without `ending` the host hook
 * decides.
 */
export function plannedRun(
  host: FakeHost,
  timing: { readonly defaultDurationMs: number },
  document: FakeDocument,
): { readonly afterMs: number; readonly ending?: RunEnding } {
  const behaviour = host.behaviour;
  const duration = host.durationMs ?? timing.defaultDurationMs;
  const limit = (document.executionTimeoutSeconds ?? 600) * 1000;
  if (behaviour.kind === 'execution-timeout' || duration > limit) {
    return { afterMs: limit, ending: { ending: 'ExecutionTimedOut', output: '', exitCode: -1 } };
  }
  if (behaviour.kind === 'fail') {
    return {
      afterMs: duration,
      ending: { ending: 'Failed', output: behaviour.output ?? '', exitCode: behaviour.exitCode ?? 1 },
    };
  }
  return { afterMs: duration };
}

/** Runs the host hook; SSM keeps the first 24,000 characters of the output. */
export async function hookEnding(runner: HostRunner, host: FakeHost, request: HostRunRequest): Promise<RunEnding> {
  try {
    const result = await runner(host, request);
    return {
      ending: result.status,
      output: (result.output ?? '').slice(0, 24_000),
      exitCode: result.status === 'Success' ? 0 : ((result as { exitCode?: number }).exitCode ?? 1),
    };
  } catch (error) {
    // The host's script crashed: report the error class only, never a message that might quote a value.
    return { ending: 'Failed', exitCode: 1, output: `host hook threw ${(error as Error).name}` };
  }
}
