/**
 * The demo's second act: the staged retirement of the old key in virtual time (promotion → deactivation →
 * deletion), through the real retirement pass and the real `retire` command. With a stray consumer, a service the
 * push does not reach keeps sending with the old key: the pass holds it and prints the alert; the operator
 * resumes too early, the consumer breaks at deactivation, `retire --reactivate` rolls back at once, the consumer is
 * moved, and `retire --now` deletes the key.
 */
import { retireCommand } from '../cli/commands/retire';
import { maskKeyId } from '../core/mask';
import type { SmtpCredential } from '../core/secret';
import type { SandboxAccount } from './account';
import { runCliCommand } from './demo-cli';
import { runRetirementPass } from './retirement-driver';

const HOUR = 3_600_000;

/** What the retirement act proved. */
export interface RetirementProof {
  readonly held: boolean;
  readonly strayBrokeAtDeactivation?: boolean;
  readonly reactivatedWorks?: boolean;
  readonly keysOnUser: number;
  readonly ok: boolean;
}

/**
 * Runs the retirement act after a completed staged rotation.
 * @param oldCredential the credential every relay had before the rotation (the stray consumer keeps it)
 */
export async function demoRetirement(
  account: SandboxAccount,
  login: (credential: SmtpCredential) => Promise<boolean>,
  oldCredential: SmtpCredential,
  print: (line: string) => void,
  options: { stray: boolean },
): Promise<RetirementProof> {
  const oldKey = maskKeyId(oldCredential.username);
  const pass = async (label: string) => {
    const outcome = await runRetirementPass(account);
    const decision = outcome.result === 'ok' ? outcome.report.keys[0]?.decision.action : outcome.result;
    print(`  ${label}: retirement pass → ${decision ?? 'nothing to retire'}`);
  };
  const retire = async (...args: string[]) => {
    print(`  $ ses-smtp-rotation retire --secret-id <secret> ${args.join(' ')}`.trimEnd());
    await runCliCommand(retireCommand, ['--secret-id', account.secrets.arn, ...args], account, (l) =>
      print(`    ${l}`),
    );
  };
  const printAlert = () => {
    const alert = account.notifications.filter((n) => n.subject?.includes('still in use')).at(-1);
    if (!alert) return;
    print(`  ALERT (SNS): ${alert.subject ?? ''}`);
    for (const line of alert.message.split('\n').slice(0, 6)) print(`    ${line}`);
  };
  print('');
  print(`Retirement (staged policy: deactivate 24 h after confirmation, delete 7 days later). Old key ${oldKey}.`);
  if (options.stray)
    print('A stray consumer the push does not reach (an app with its own copy) keeps using the old key.');
  const useOldKey = async () => (options.stray ? login(oldCredential) : true);

  account.clock.advance(HOUR);
  await useOldKey();
  await pass('+1 h');
  if (!options.stray) {
    account.clock.advance(23 * HOUR);
    await pass('+24 h');
    account.clock.advance(7 * 24 * HOUR);
    await pass('+8 days');
    const keysOnUser = account.iam.keys(account.userName).length;
    const rejected = !(await login(oldCredential));
    print(
      `  the old key is gone (${keysOnUser} key left) and its password is ${rejected ? 'rejected' : 'STILL ACCEPTED'}.`,
    );
    return { held: false, keysOnUser, ok: keysOnUser === 1 && rejected };
  }

  account.clock.advance(23 * HOUR);
  await useOldKey();
  await pass('+24 h');
  printAlert();
  const held = account.iam.keys(account.userName).some((k) => k.id === oldCredential.username && k.status === 'Active');
  await retire();
  print('  The operator thinks the consumer was moved and resumes too early:');
  await retire('--resume');
  account.clock.advance(HOUR);
  await pass('+25 h');
  const strayBrokeAtDeactivation = !(await login(oldCredential));
  print(
    `  the stray consumer ${strayBrokeAtDeactivation ? 'now fails with 535' : 'STILL SENDS'}: rollback in one call:`,
  );
  await retire('--reactivate');
  const reactivatedWorks = await useOldKey();
  print(
    `  the stray consumer ${reactivatedWorks ? 'sends again' : 'STILL FAILS'}; it is moved to the current credential, then:`,
  );
  await retire('--now');
  const keysOnUser = account.iam.keys(account.userName).length;
  print(`  the old key is deleted; the user has ${keysOnUser} key.`);
  return {
    held,
    strayBrokeAtDeactivation,
    reactivatedWorks,
    keysOnUser,
    ok: held && strayBrokeAtDeactivation && reactivatedWorks && keysOnUser === 1,
  };
}
