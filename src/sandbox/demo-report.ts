/** The demo's report (its --json output) and the parts of it computed from the account and the runs. */
import type { Step } from '../rotation/event';
import type { SandboxAccount } from './account';
import { hostMta } from './fake-fleet-hosts';
import type { ManualProof } from './demo-manual';
import type { DemoProof } from './demo-proof';
import type { RetirementProof } from './demo-retirement';
import type { RotationRun } from './rotation-driver';

/** The demo's result (also its --json output). */
export interface DemoReport {
  readonly hosts: number;
  readonly platforms: Record<string, number>;
  /** Relays per mail server (postfix, exim, sendmail, iis). */
  readonly mtas: Record<string, number>;
  readonly endpoint: string;
  /** The DR region, the endpoint name its relays use, where the demo serves it, and how many relays use it. */
  readonly drRegion?: {
    readonly region: string;
    readonly endpoint: string;
    readonly servedAt: string;
    readonly relays: number;
  };
  readonly runs: readonly { token: string; succeeded: boolean; attempts: number; errors: string[] }[];
  readonly failedHost?: string;
  readonly crashAt?: Step;
  readonly audit?: string;
  readonly proof: DemoProof;
  readonly retirement?: RetirementProof;
  readonly manual?: ManualProof;
  readonly apiCalls: number;
  readonly virtualSeconds: number;
  readonly ok: boolean;
}

/** How the demo names each mail server, in the order it lists them. */
export const MTA_NAMES: Readonly<Record<string, string>> = {
  postfix: 'Postfix',
  exim: 'Exim',
  sendmail: 'Sendmail',
  iis: 'IIS SMTP',
};

const MTA_ORDER = Object.keys(MTA_NAMES);

/** What the report says of each run: attempts, and the errors and simulated crashes it went through. */
export function runSummaries(runs: readonly RotationRun[]): DemoReport['runs'] {
  return runs.map((r) => ({
    token: r.token,
    succeeded: r.succeeded,
    attempts: r.attempts,
    errors: r.invocations.flatMap((i) =>
      i.error ? [i.error.message] : i.result === 'crashed' ? [`${i.step}: the Lambda died (simulated)`] : [],
    ),
  }));
}

/** The report of a run where a manual consumer never confirmed: the proof is the manual part's. */
export function manualOnlyReport(
  account: SandboxAccount,
  fleet: {
    hostCount: number;
    hostsAuthenticated: number;
    platforms: Record<string, number>;
    mtas: Record<string, number>;
  },
  runs: readonly RotationRun[],
  manual: ManualProof,
): DemoReport {
  const { hostCount, hostsAuthenticated, platforms, mtas } = fleet;
  return {
    hosts: hostCount,
    platforms,
    mtas,
    endpoint: `127.0.0.1:${account.port}`,
    runs: runSummaries(runs),
    proof: {
      hosts: hostCount,
      hostsAuthenticated,
      oldPasswordRejected: false,
      keysOnUser: account.iam.keys(account.userName).length,
    },
    manual,
    apiCalls: account.recorder.calls.length,
    virtualSeconds: virtualSeconds(account),
    ok: manual.ok,
  };
}

/** Relays per platform and per mail server (in {@link MTA_NAMES} order). */
export function fleetMix(account: SandboxAccount): Pick<DemoReport, 'platforms' | 'mtas'> {
  return {
    platforms: countBy(account.hosts.map((h) => h.platform)),
    mtas: countBy(account.hosts.map(hostMta).sort((a, b) => MTA_ORDER.indexOf(a) - MTA_ORDER.indexOf(b))),
  };
}

/** Seconds of virtual time since the sandbox clock's start. */
export function virtualSeconds(account: SandboxAccount): number {
  return Math.round((account.clock.now() - Date.UTC(2025, 0, 1)) / 1000);
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
