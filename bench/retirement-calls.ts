/**
 * AWS API calls of one retirement pass per secret, in each state the hourly pass meets, in the sandbox and virtual
 * time. Run: `npx tsx bench/retirement-calls.ts`.
 */
import { SandboxAccount } from '../src/sandbox/account';
import { runRetirementPass } from '../src/sandbox/retirement-driver';
import { runRotation } from '../src/sandbox/rotation-driver';

const HOUR = 3_600_000;

/** Calls of one pass in one state. */
export interface PassCalls {
  readonly state: string;
  readonly calls: number;
  readonly operations: string;
}

/** Two staged rotations, then one pass at each point of the old key's life. */
export async function measureRetirementPasses(): Promise<PassCalls[]> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const rows: PassCalls[] = [];
  const measure = async (account: SandboxAccount, state: string) => {
    const from = account.recorder.calls.length;
    const outcome = await runRetirementPass(account);
    if (outcome.result !== 'ok') throw new Error(`the pass ${outcome.result} (${state})`);
    const calls = account.recorder.calls.slice(from);
    rows.push({ state, calls: calls.length, operations: calls.map((c) => c.operation).join(', ') });
  };
  const rotated = async (stray: boolean) => {
    const account = new SandboxAccount({ hosts: 3, initialSecret: 'settings', retirement: 'staged' });
    const options = { handler: { probe: account.sesProbe() } };
    for (let n = 0; n < 2; n += 1) {
      if (n === 1) account.clock.advance(10 * 24 * HOUR);
      if (!(await runRotation(account, options)).succeeded) throw new Error('rotation failed');
    }
    const [old] = account.iam.keys(account.userName);
    if (stray && old) account.iam.recordUse(old.id, new Date(account.secrets.lastRotatedDate!.getTime() + HOUR));
    return account;
  };
  const account = await rotated(false);
  try {
    account.clock.advance(HOUR);
    await measure(account, 'old key retiring, nothing due');
    account.clock.advance(24 * HOUR);
    await measure(account, 'deactivation due');
    account.clock.advance(HOUR);
    await measure(account, 'old key inactive, nothing due');
    account.clock.advance(7 * 24 * HOUR);
    await measure(account, 'deletion due');
    account.clock.advance(HOUR);
    await measure(account, 'no old key');
  } finally {
    account.restore();
  }
  const held = await rotated(true);
  try {
    held.clock.advance(2 * HOUR);
    await measure(held, 'held: first alert');
    held.clock.advance(HOUR);
    await measure(held, 'held: later passes');
  } finally {
    held.restore();
  }
  return rows;
}

/** A markdown table of the measurements. */
export function formatPassTable(rows: readonly PassCalls[]): string {
  return [
    '| Retirement pass, per secret | Calls | Operations |',
    '|---|---:|---|',
    ...rows.map((r) => `| ${r.state} | ${r.calls} | ${r.operations} |`),
  ].join('\n');
}

if (require.main === module) {
  void measureRetirementPasses().then((rows) => process.stdout.write(`${formatPassTable(rows)}\n`));
}
