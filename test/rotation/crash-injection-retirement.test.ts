/**
 * The crash-injection suite, extended to retirement: the hourly pass (deactivation, deletion, hold) and a rotation
 * started while the old key is still retiring (routine and emergency). The Lambda dies (or the call fails)
 * immediately before and after every AWS call; the next pass (or Secrets Manager's retry) must repair it, and the
 * invariants must hold after every invocation.
 */
import { SandboxAccount } from '../../src/sandbox/account';
import { checkInvariants, checkRetirementPass, snapshotKeys } from '../../src/sandbox/invariants';
import { runRetirementPass } from '../../src/sandbox/retirement-driver';
import { runRotation } from '../../src/sandbox/rotation-driver';
import { RETIREMENT_TAGS } from '../../src/rotation/retirement';
import { FAULT_VARIANTS } from '../fault-variants';
import { DAY_MS as DAY, HOUR_MS as HOUR } from '../../src/rotation/retirement-policy';

interface Setup {
  readonly account: SandboxAccount;
  readonly oldKeyId: string;
  readonly confirmedAt: Date;
}

/** Two rotations, the first one's leftover cleaned: the user holds the current key and one retiring key. */
async function retiringKeyAfter(advanceMs: number, stray = false): Promise<Setup> {
  const account = new SandboxAccount({ hosts: 2, initialSecret: 'settings', retirement: 'staged' });
  for (let n = 0; n < 2; n += 1) {
    if (n === 1) account.clock.advance(10 * DAY);
    if (!(await runRotation(account, { handler: { probe: account.sesProbe() } })).succeeded) throw new Error('setup');
  }
  const oldKeyId = account.iam.keys(account.userName)[0]!.id;
  const confirmedAt = account.secrets.lastRotatedDate!;
  account.clock.advance(advanceMs);
  if (stray) account.iam.recordUse(oldKeyId, new Date(confirmedAt.getTime() + HOUR));
  return { account, oldKeyId, confirmedAt };
}

type Scenario = {
  name: string;
  setup: () => Promise<Setup>;
  expectAfter: (s: Setup) => string[];
};

const stateOf = (s: Setup) => s.account.iam.keys(s.account.userName).find((k) => k.id === s.oldKeyId)?.status;

const PASS_SCENARIOS: Scenario[] = [
  {
    name: 'deactivation due',
    setup: () => retiringKeyAfter(25 * HOUR),
    expectAfter: (s) => (stateOf(s) === 'Inactive' ? [] : [`old key is ${stateOf(s) ?? 'gone'}, not Inactive`]),
  },
  {
    name: 'deletion due',
    setup: () => retiringKeyAfter(9 * DAY),
    expectAfter: (s) => (stateOf(s) === undefined ? [] : ['the unused old key survived after deleteAfter']),
  },
  {
    name: 'hold: a stray consumer',
    setup: () => retiringKeyAfter(2 * DAY, true),
    expectAfter: (s) => [
      ...(stateOf(s) === 'Active' ? [] : ['a key in use was retired']),
      ...(s.account.notifications.some((n) => n.subject?.includes('still in use')) ? [] : ['no alert was sent']),
    ],
  },
];

let scenariosRun = 0;

describe('crash injection: retirement', () => {
  afterAll(() => {
    process.stdout.write(`crash-injection (retirement): ${scenariosRun} fault scenarios, invariants held in all\n`);
  });

  it.each(PASS_SCENARIOS)('the pass repairs every fault: $name', async (scenario) => {
    // Prepare: which calls a clean pass makes.
    const reference = await scenario.setup();
    const start = reference.account.recorder.calls.length;
    await runRetirementPass(reference.account);
    const calls = reference.account.recorder.calls.slice(start).map((c) => `${c.service}:${c.operation}`);
    reference.account.restore();

    const failures: string[] = [];
    for (let index = 0; index < calls.length; index += 1) {
      for (const variant of FAULT_VARIANTS) {
        const label = `${variant.kind} ${variant.when} call ${index} (${calls[index]})`;
        const s = await scenario.setup();
        try {
          const before = snapshotKeys(s.account);
          // Act: the faulty pass, then the next hourly pass.
          s.account.recorder.plan({ ...variant, atCall: s.account.recorder.calls.length + index });
          await runRetirementPass(s.account);
          s.account.recorder.plan(undefined);
          for (const p of checkRetirementPass(s.account, before, { confirmedAt: s.confirmedAt, routine: true }))
            failures.push(`${label}, after the faulty pass: ${p}`);
          s.account.clock.advance(HOUR);
          const next = await runRetirementPass(s.account);
          if (next.result !== 'ok') failures.push(`${label}: the next pass ${next.result}`);
          // Assess
          for (const p of checkRetirementPass(s.account, before, { confirmedAt: s.confirmedAt, routine: true }))
            failures.push(`${label}: ${p}`);
          for (const p of scenario.expectAfter(s)) failures.push(`${label}: ${p}`);
          scenariosRun += 1;
        } finally {
          s.account.restore();
        }
      }
    }
    expect([...new Set(failures)]).toEqual([]);
  });

  it.each([
    { name: 'routine, unused retiring key', tag: undefined, stray: false },
    { name: 'emergency, retiring key in use', tag: RETIREMENT_TAGS.emergency, stray: true },
    { name: 'immediate retirement requested, unused retiring key', tag: RETIREMENT_TAGS.immediate, stray: false },
  ])('a rotation started while a key retires survives every fault: $name', async ({ tag, stray }) => {
    // With a retirement request (emergency or immediate) the rotation ends with one key and the request cleared.
    const atOnce = tag !== undefined;
    const prepare = async () => {
      const s = await retiringKeyAfter(2 * HOUR, stray);
      if (tag) s.account.secrets.tags.set(tag, 'true');
      return s;
    };
    const reference = await prepare();
    const start = reference.account.recorder.calls.length;
    expect((await runRotation(reference.account, { handler: { probe: reference.account.sesProbe() } })).succeeded).toBe(
      true,
    );
    const total = reference.account.recorder.calls.length - start;
    reference.account.restore();

    const failures: string[] = [];
    for (let index = 0; index < total; index += 1) {
      for (const variant of FAULT_VARIANTS) {
        const label = `${variant.kind} ${variant.when} call ${index}`;
        const s = await prepare();
        try {
          s.account.recorder.plan({ ...variant, atCall: s.account.recorder.calls.length + index });
          const run = await runRotation(s.account, {
            maxAttempts: 6,
            handler: { probe: s.account.sesProbe() },
            onInvocation: (o) => {
              for (const p of checkInvariants(s.account)) failures.push(`${label}, after ${o.step}: ${p}`);
            },
          });
          if (!run.succeeded) failures.push(`${label}: the rotation did not complete`);
          const keys = s.account.iam.keys(s.account.userName);
          if (keys.some((k) => k.id === s.oldKeyId)) failures.push(`${label}: the retiring key survived`);
          if (atOnce && keys.length !== 1) failures.push(`${label}: ${tag} left ${keys.length} keys`);
          if (tag && s.account.secrets.tags.has(tag)) failures.push(`${label}: the tag ${tag} was not cleared`);
          for (const p of checkInvariants(s.account, { completed: true })) failures.push(`${label}: ${p}`);
          scenariosRun += 1;
        } finally {
          s.account.restore();
        }
      }
    }
    expect([...new Set(failures)]).toEqual([]);
  });
});
