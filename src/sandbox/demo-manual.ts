import { confirmCommand } from '../cli/commands/confirm';
import { EXIT } from '../cli/command';
import type { SandboxAccount } from './account';
import { runCliCommand } from './demo-cli';
import { provenHosts, type Login } from './demo-proof';
import { runRetirementPass } from './retirement-driver';
import { continueRotation, type DriverOptions, type RotationRun } from './rotation-driver';

const NAMES = ['scanner', 'mainframe-gw', 'appliance', 'partner-relay', 'fax-gateway'];
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin'];

/** What the manual part of the demo showed. */
export interface ManualProof {
  readonly consumers: readonly string[];
  readonly confirmedBy: readonly string[];
  /** Whether the rotation was promoted after the confirmations (false while one never confirms). */
  readonly promoted: boolean;
  /** Every relay and every manual consumer could send while the rotation waited. */
  readonly everyoneSentWhileWaiting: boolean;
  readonly reminderSent: boolean;
  readonly ok: boolean;
}

/** Registers the demo's manual consumers (before the rotation). */
export function registerManualConsumers(account: SandboxAccount, count: number): string[] {
  const names = NAMES.slice(0, count);
  for (const name of names) account.manual.register(name);
  return names;
}

/**
 * After the rotation parked on manual consumers: shows the request, the people switching and confirming with
 * their own identities (the real `confirm` command), and the resume the last confirmation triggers; with
 * `silent`, the last consumer never confirms: nothing is promoted, the old key stays, the reminder goes out.
 */
export async function demoManual(
  account: SandboxAccount,
  run: RotationRun,
  options: { names: readonly string[]; silent: boolean; login: Login; driver: DriverOptions },
  print: (line: string) => void,
): Promise<{ proof: ManualProof; resumed?: RotationRun }> {
  const arn = account.secrets.arn;
  const request = account.notifications.find((n) => n.subject?.startsWith('ACTION NEEDED: change'));
  print('');
  print('Every relay confirmed, but manual consumers are registered: finishSecret asked them and did NOT promote.');
  print(`Notification "${request?.subject ?? '(none)'}":`);
  for (const line of (request?.message ?? '').split('\n').slice(4, -2)) print(`  ${line}`);
  const hosts = await provenHosts(account, options.login);
  const manualOk = options.names.every((n) => account.manual.canSend(n));
  print(
    `While it waits: ${hosts}/${account.hosts.length} relays send with the new key, the manual consumers with the old one.`,
  );

  // With `silent`, the last consumer is the one nobody changes.
  const silent = options.names.at(-1) ?? '';
  const confirming = options.silent ? options.names.slice(0, -1) : options.names;
  const confirmedBy: string[] = [];
  let resumed: RotationRun | undefined;
  let resuming: Promise<void> = Promise.resolve();
  // Secrets Manager re-running the unfinished rotation when RotateSecret is called.
  account.secrets.rotationRunner = (token) => {
    resuming = continueRotation(account, token, options.driver).then((r) => void (resumed = r));
    return resuming;
  };
  const operator = account.callerArn;
  for (const [i, name] of confirming.entries()) {
    const person = PEOPLE[i] ?? 'someone';
    const principal = `arn:aws:sts::111122223333:assumed-role/MailOps/${person}`;
    account.clock.advance(3 * 3_600_000);
    print('');
    print(`${person} changes ${name} by hand:`);
    // Not run here: it would print the password. The demo switches the consumer itself.
    print(`  reads the new credential (ses-smtp-rotation credential show --pending --reveal) and configures ${name}`);
    account.manual.switchTo(name, run.token);
    const args = ['--secret-id', arn, '--consumer', name, '--note', `CHG-${1000 + i}`];
    print(`  $ ses-smtp-rotation confirm ${args.join(' ')}`);
    // The command records whoever STS says is signed in: this person.
    account.callerArn = principal;
    const code = await runCliCommand(confirmCommand, args, account, (l) => print(`    ${l}`));
    if (code === EXIT.ok) confirmedBy.push(principal);
  }
  account.callerArn = operator;
  let reminderSent = false;
  if (options.silent) {
    print('');
    print(`Nobody changes ${silent}. A day later the hourly pass reminds:`);
    account.clock.advance(25 * 3_600_000);
    await runRetirementPass(account);
    const reminder = account.notifications.find((n) => n.subject?.startsWith('REMINDER'));
    reminderSent = reminder !== undefined;
    print(`  "${reminder?.subject ?? '(no reminder)'}"`);
  } else {
    // The last confirmation's RotateSecret started the re-attempt; the demo waits for it to end.
    await resuming;
    print('');
    print(`The re-attempted rotation ${resumed?.succeeded ? 'passed finishSecret and promoted' : 'did NOT complete'}.`);
  }
  const promoted = account.secrets.versionWithStage('AWSCURRENT') === run.token;
  const oldKeyAlive = options.names.every((n) => account.manual.canSend(n));
  if (options.silent) {
    print(
      `AWSCURRENT ${promoted ? 'MOVED' : 'did not move'}; the old key is ${oldKeyAlive ? 'still active' : 'GONE'}: ` +
        `${silent} can still send.`,
    );
  }
  const ok = options.silent
    ? !promoted && oldKeyAlive && manualOk && reminderSent
    : promoted && manualOk && resumed?.succeeded === true;
  return {
    proof: {
      consumers: options.names,
      confirmedBy,
      promoted,
      everyoneSentWhileWaiting: manualOk && hosts === account.hosts.length,
      reminderSent,
      ok,
    },
    ...(resumed ? { resumed } : {}),
  };
}
