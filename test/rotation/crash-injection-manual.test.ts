/**
 * The crash-injection suite, extended to manual consumers: a rotation parked on two manual consumers, the two
 * confirmations (CLI, by two principals), the resume the last one triggers, the promotion, and the staged
 * retirement by the hourly pass. Every AWS call of that sequence (function and CLI) fails or dies immediately
 * before and after; then people do what the tool tells them (re-run confirm) and the hourly pass runs. The
 * invariants must hold after every invocation, and at the end the version is promoted, confirmed by both, and the
 * old key retired.
 */
import { main } from '../../src/cli/main';
import { SandboxAccount } from '../../src/sandbox/account';
import { checkInvariants } from '../../src/sandbox/invariants';
import { runRetirementPass } from '../../src/sandbox/retirement-driver';
import { continueRotation, runRotation } from '../../src/sandbox/rotation-driver';
import { sandboxIo } from '../cli/sandbox-cli';
import { FAULT_VARIANTS } from '../fault-variants';
import { DAY_MS as DAY, HOUR_MS as HOUR } from '../../src/rotation/retirement-policy';

const PEOPLE: [string, string][] = [
  ['scanner', 'arn:aws:sts::111122223333:assumed-role/MailOps/alice'],
  ['mainframe-gw', 'arn:aws:sts::111122223333:assumed-role/MailOps/bob'],
];

interface Run {
  readonly account: SandboxAccount;
  readonly problems: string[];
  token?: string;
  readonly runs: Promise<unknown>[];
}

function setup(): Run {
  const account = new SandboxAccount({ hosts: 2, initialSecret: 'settings', registry: true, retirement: 'staged' });
  for (const [name] of PEOPLE) account.manual.register(name);
  const run: Run = { account, problems: [], runs: [] };
  return run;
}

/** A CLI run that a crash fault kills (the process dies: the awaited promise never settles). */
async function cli(account: SandboxAccount, args: string[]): Promise<void> {
  let onCrash: () => void = () => undefined;
  const crashed = new Promise<void>((resolve) => (onCrash = resolve));
  account.recorder.onCrash(() => onCrash());
  await Promise.race([main(args, sandboxIo(account)), crashed]);
  onCrash = () => undefined;
}

/** The whole story; `repair` adds what people and the schedule do after a fault. */
async function story(run: Run, repair: boolean): Promise<void> {
  const { account } = run;
  const rotation = await runRotation(account, {
    maxAttempts: 6,
    handler: { probe: account.sesProbe() },
    onInvocation: (o) => {
      for (const p of checkInvariants(account)) run.problems.push(`park, after ${o.step}: ${p}`);
    },
  });
  run.token = rotation.token;
  // From now on, RotateSecret re-runs the unfinished rotation, as Secrets Manager does (the resume).
  account.secrets.rotationRunner = async (token) => {
    const resumed = continueRotation(account, token, {
      maxAttempts: 6,
      handler: { probe: account.sesProbe() },
      onInvocation: (o) => {
        for (const p of checkInvariants(account)) run.problems.push(`resume, after ${o.step}: ${p}`);
      },
    });
    run.runs.push(resumed);
    await resumed;
  };
  for (const [name] of PEOPLE) account.manual.switchTo(name, rotation.token);
  const confirmAll = async () => {
    for (const [name, principal] of PEOPLE) {
      account.callerArn = principal;
      await cli(account, ['confirm', '--secret-id', account.secrets.arn, '--consumer', name]);
    }
  };
  await confirmAll();
  await Promise.all(run.runs);
  if (repair) {
    account.recorder.plan(undefined);
    await confirmAll(); // the tool said "already confirmed" or failed: people run it again
    await Promise.all(run.runs);
    account.clock.advance(HOUR);
    await runRetirementPass(account); // the safety net re-attempts a fully confirmed rotation
    await Promise.all(run.runs);
  }
  for (const advance of [25 * HOUR, 8 * DAY]) {
    account.clock.advance(advance);
    await runRetirementPass(account);
  }
}

let scenariosRun = 0;

describe('crash injection: manual consumers', () => {
  afterAll(() => {
    process.stdout.write(`crash-injection (manual consumers): ${scenariosRun} fault scenarios, invariants held\n`);
  });

  it('confirm → resume → promote → retire survives a fault at every call', async () => {
    // Prepare: the calls of a clean story.
    const reference = setup();
    const start = reference.account.recorder.calls.length;
    await story(reference, false);
    const calls = reference.account.recorder.calls.slice(start).map((c) => `${c.service}:${c.operation}`);
    expect(reference.account.secrets.versionWithStage('AWSCURRENT')).toBe(reference.token);
    expect(reference.problems).toEqual([]);
    reference.account.restore();

    const failures: string[] = [];
    for (let index = 0; index < calls.length; index += 1) {
      for (const variant of FAULT_VARIANTS) {
        const label = `${variant.kind} ${variant.when} call ${index} (${calls[index]})`;
        const run = setup();
        try {
          // Act
          run.account.recorder.plan({ ...variant, atCall: run.account.recorder.calls.length + index });
          await story(run, true);

          // Assess
          const { account } = run;
          failures.push(...run.problems.map((p) => `${label}: ${p}`));
          if (account.secrets.versionWithStage('AWSCURRENT') !== run.token) failures.push(`${label}: not promoted`);
          for (const p of checkInvariants(account, { completed: true })) failures.push(`${label}: ${p}`);
          if (account.iam.keys(account.userName).length !== 1) failures.push(`${label}: the old key was not retired`);
          const confirmations = account.dynamodb
            .dump()[0]
            ?.items.filter((i) => i.sk?.S?.startsWith(`confirmation#${run.token ?? ''}#`));
          if (confirmations?.length !== 2) failures.push(`${label}: ${confirmations?.length} confirmations`);
          scenariosRun += 1;
        } finally {
          run.account.restore();
        }
      }
    }
    expect([...new Set(failures)]).toEqual([]);
  }, 120_000);
});
