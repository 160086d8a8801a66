/**
 * SSM API calls of one fleet push by fleet size, against the fake SSM in virtual time.
 * Run: `npx tsx bench/api-calls.ts`. Prints a markdown table.
 *
 * Extend to a full rotation by calling `measureFleetPush` with your own `fleetFactory`, or reuse `runFleetPush`'s
 * pieces (fake + virtual clock + `routeClient` with `ssmRoutes`) next to the Secrets Manager and IAM fakes and merge their counts.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { SsmFleet } from '../src/aws/ssm-fleet';
import { Deadline } from '../src/core/clock';
import type { FleetConfig } from '../src/rotation/config';
import type { Fleet } from '../src/rotation/ports';
import { makeHosts } from '../src/sandbox/fake-fleet-hosts';
import { FakeSsm, type SsmOperation } from '../src/sandbox/fake-ssm';
import { CallRecorder } from '../src/sandbox/call-recorder';
import { routeClient } from '../src/sandbox/wire';
import { ssmRoutes } from '../src/sandbox/wire-fake-ssm';
import { DEFAULT_FAKE_DOCUMENT } from '../src/sandbox/fake-ssm-validation';
import { VirtualClock } from '../src/sandbox/virtual-clock';

/** One measured push. */
export interface FleetPushMeasurement {
  readonly hosts: number;
  /** `ListCommands(CommandId)` calls: one per poll. */
  readonly polls: number;
  readonly calls: Record<SsmOperation, number>;
  readonly totalCalls: number;
  /** Virtual seconds from SendCommand to the confirmed report. */
  readonly virtualSeconds: number;
}

/** Scenario knobs (defaults: 20 s per host, 10 % concurrency, 5 s polls, tag targets resolved after 2 s). */
export interface FleetPushScenario {
  readonly perHostMs?: number;
  readonly maxConcurrency?: string;
  readonly pollIntervalSeconds?: number;
  readonly fleetFactory?: (ssm: SSMClient, clock: VirtualClock, config: FleetConfig) => Fleet;
}

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ses-smtp-credential-AbCdEf';
const VERSION_ID = '5f0c2a9e-7d41-4c1b-9a53-2e8f6b1d0c77';

/** Pushes one version to `hostCount` healthy hosts and counts the SSM calls it took. */
export async function measureFleetPush(
  hostCount: number,
  scenario: FleetPushScenario = {},
): Promise<FleetPushMeasurement> {
  const clock = new VirtualClock();
  const fake = new FakeSsm({
    clock,
    hosts: makeHosts(hostCount, { platforms: 'mixed', durationMs: scenario.perHostMs ?? 20_000 }),
  });
  const config: FleetConfig = {
    documentName: DEFAULT_FAKE_DOCUMENT,
    tagTargets: [{ key: 'Role', values: ['smtp-relay'] }],
    instanceIds: [],
    maxConcurrency: scenario.maxConcurrency ?? '10%',
    maxErrors: '0',
    deliveryTimeoutSeconds: 3600,
    pollIntervalSeconds: scenario.pollIntervalSeconds ?? 5,
  };
  const ssm = new SSMClient({ region: 'eu-west-1' });
  const mock = routeClient(ssm, 'SSM', new CallRecorder(), ssmRoutes(fake));
  const fleet = scenario.fleetFactory?.(ssm, clock, config) ?? new SsmFleet({ ssm, clock, config });
  const start = clock.now();
  const report = await fleet
    .deliver({ secretArn: SECRET_ARN, versionId: VERSION_ID }, Deadline.after(clock, 24 * 3600_000))
    .finally(() => mock.restore());
  if (report.hostsUpdated !== hostCount)
    throw new Error(`expected ${hostCount} hosts updated, got ${report.hostsUpdated}`);
  const calls = fake.callCounts();
  const polls = fake.callsTo('ListCommands').filter((c) => (c.input as { CommandId?: string }).CommandId).length;
  return {
    hosts: hostCount,
    polls,
    calls,
    totalCalls: Object.values(calls).reduce((a, b) => a + b, 0),
    virtualSeconds: (clock.now() - start) / 1000,
  };
}

/** A markdown table of measurements. */
export function formatTable(rows: readonly FleetPushMeasurement[]): string {
  const header =
    '| Hosts | Polls | SendCommand | ListCommands (search + polls) | ListCommandInvocations | GetCommandInvocation | Total SSM calls | Calls − polls | Virtual time |';
  const rule = '|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map(
    (r) =>
      `| ${r.hosts.toLocaleString('en-US')} | ${r.polls} | ${r.calls.SendCommand} | ${r.calls.ListCommands} | ` +
      `${r.calls.ListCommandInvocations} | ${r.calls.GetCommandInvocation} | ${r.totalCalls} | ${r.totalCalls - r.polls} | ` +
      `${Math.round(r.virtualSeconds)} s |`,
  );
  return [header, rule, ...lines].join('\n');
}

async function main(): Promise<void> {
  const rows: FleetPushMeasurement[] = [];
  for (const hosts of [1, 50, 500, 5_000]) rows.push(await measureFleetPush(hosts));
  console.log('Fleet push, happy path: 20 s per host, MaxConcurrency 10%, MaxErrors 0, 5 s polls (virtual clock).\n');
  console.log(formatTable(rows));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
