/**
 * What the demo tells the operator while it runs: host progress from the ListCommands counts, the handler's notable
 * log lines, and the scripted Lambda crash.
 */
import type { Step } from '../rotation/event';
import type { SandboxAccount } from './account';
import type { DriverOptions } from './rotation-driver';

/** The Lambda dies right after the most consequential call of each step (setSecret makes none: lost whole). */
const CRASH_POINTS: Record<Exclude<Step, 'setSecret'>, string> = {
  createSecret: 'CreateAccessKey',
  testSecret: 'GetSecretValue',
  finishSecret: 'UpdateSecretVersionStage',
};

export function crashPlan(
  account: SandboxAccount,
  crashAt: Step | undefined,
  print: (line: string) => void,
): Partial<DriverOptions> {
  if (crashAt === undefined) return {};
  let done = false;
  if (crashAt === 'setSecret') {
    return {
      loseInvocation: (step) => {
        if (done || step !== 'setSecret') return false;
        done = true;
        print('  ⚡ the Lambda container dies during setSecret');
        return true;
      },
    };
  }
  return {
    beforeInvocation: (step) => {
      if (done || step !== crashAt) return;
      done = true;
      const operation = CRASH_POINTS[crashAt];
      print(`  ⚡ the Lambda will die right after ${operation} in ${crashAt}`);
      account.recorder.plan({ operation, when: 'after', kind: 'crash' });
    },
  };
}

/** Prints host progress from the ListCommands counts the fleet reads (one line per change). */
export function wireProgress(account: SandboxAccount, print: (line: string) => void): void {
  let last = '';
  account.recorder.onServed((call, output) => {
    if (call.operation !== 'ListCommands' || !(call.input as { CommandId?: string }).CommandId) return;
    const command = (
      output as { Commands?: { TargetCount?: number; CompletedCount?: number; ErrorCount?: number; Status?: string }[] }
    ).Commands?.[0];
    if (!command) return;
    const done = command.CompletedCount ?? 0;
    const total = command.TargetCount ?? 0;
    // One line per quarter of the fleet (and on any error or status change), not one per poll.
    const bucket = `${command.Status}/${total === 0 ? 0 : Math.floor((4 * done) / total)}/${command.ErrorCount ?? 0}`;
    if (bucket === last) return;
    last = bucket;
    print(
      `      hosts ${done}/${total} done (${command.Status}${command.ErrorCount ? `, ${command.ErrorCount} failed` : ''})`,
    );
  });
}

/** Captures the handler's log lines for the account and prints the notable ones. */
export function narratingLog(account: SandboxAccount, print: (line: string) => void) {
  const capture = account.log();
  const notable = /minted|stored|authenticates|fleet push sent|confirmed|promoted|retired|deleted|resumes|already/;
  const show = (level: 'info' | 'warn' | 'error') => (message: string, attributes?: Record<string, unknown>) => {
    capture[level](message, attributes);
    if (level === 'info' && !notable.test(message)) return;
    const facts = ['keyId', 'commandId', 'hostsUpdated', 'attempts', 'reason', 'additionalRegions']
      .filter((k) => attributes?.[k] !== undefined)
      .map((k) => `${k}=${fact(attributes?.[k])}`);
    print(`      ${message}${facts.length ? ` (${facts.join(', ')})` : ''}`);
  };
  return { info: show('info'), warn: show('warn'), error: () => undefined };
}

/** A log attribute as the narration shows it: additional regions by name (they are logged with their reports). */
function fact(value: unknown): string {
  if (!Array.isArray(value)) return String(value);
  return value
    .map((v: unknown) => (typeof v === 'object' && v !== null ? String((v as { region?: unknown }).region) : String(v)))
    .join('+');
}
