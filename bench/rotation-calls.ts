/**
 * AWS API calls of one whole rotation (all four steps, every service) by fleet size, in the sandbox and virtual
 * time. Run: `npx tsx bench/rotation-calls.ts`.
 */
import { SandboxAccount } from '../src/sandbox/account';
import { runRotation } from '../src/sandbox/rotation-driver';

/** Calls of one routine rotation (the secret already holds a credential). */
export interface RotationCalls {
  readonly hosts: number;
  readonly polls: number;
  readonly byService: Record<string, number>;
  readonly total: number;
  readonly virtualSeconds: number;
}

/** Runs a first rotation (adoption), then measures a routine one. */
export async function measureRotation(hosts: number): Promise<RotationCalls> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const account = new SandboxAccount({ hosts, initialSecret: 'settings', hostDurationMs: 20_000 });
  try {
    const options = { handler: { probe: account.sesProbe() }, env: { FLEET_DELIVERY_TIMEOUT_SECONDS: '3600' } };
    if (!(await runRotation(account, options)).succeeded) throw new Error('the first rotation failed');
    const from = account.recorder.calls.length;
    const started = account.clock.now();
    if (!(await runRotation(account, options)).succeeded) throw new Error('the routine rotation failed');
    const calls = account.recorder.calls.slice(from);
    const byService: Record<string, number> = {};
    for (const c of calls) byService[c.service] = (byService[c.service] ?? 0) + 1;
    const polls = calls.filter(
      (c) => c.operation === 'ListCommands' && (c.input as { CommandId?: string }).CommandId,
    ).length;
    return { hosts, polls, byService, total: calls.length, virtualSeconds: (account.clock.now() - started) / 1000 };
  } finally {
    account.restore();
  }
}

/** A markdown table of measurements. */
export function formatRotationTable(rows: readonly RotationCalls[]): string {
  const services = ['SecretsManager', 'IAM', 'SSM', 'SNS'];
  return [
    `| Hosts | ${services.join(' | ')} | Total | Polls (ListCommands) | Total − polls | Virtual time |`,
    `|---:|${services.map(() => '---:').join('|')}|---:|---:|---:|---:|`,
    ...rows.map(
      (r) =>
        `| ${r.hosts.toLocaleString('en-US')} | ${services.map((s) => r.byService[s] ?? 0).join(' | ')} | ${r.total} | ` +
        `${r.polls} | ${r.total - r.polls} | ${Math.round(r.virtualSeconds)} s |`,
    ),
  ].join('\n');
}

if (require.main === module) {
  void (async () => {
    const rows: RotationCalls[] = [];
    for (const hosts of [1, 50, 500, 5000]) rows.push(await measureRotation(hosts));
    process.stdout.write(`${formatRotationTable(rows)}\n`);
  })();
}
