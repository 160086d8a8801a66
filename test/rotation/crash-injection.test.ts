/**
 * The crash-injection suite: for every AWS call a rotation makes, in every step, the Lambda dies (or the call
 * fails) immediately before and immediately after that call; Secrets Manager then retries the whole rotation with
 * the same token until it succeeds. After every invocation and at the end, the safety invariants I1–I7 must hold.
 */
import { SandboxAccount, type SandboxOptions } from '../../src/sandbox/account';
import { checkInvariants } from '../../src/sandbox/invariants';
import { runRotation, type RotationRun } from '../../src/sandbox/rotation-driver';
import { FAULT_VARIANTS } from '../fault-variants';

interface BaseScenario {
  readonly name: string;
  readonly options: SandboxOptions;
  /** Rotations completed before the one under test. */
  readonly priorRotations: number;
}

const BASES: BaseScenario[] = [
  { name: 'first rotation of an empty secret (adopting the console key)', options: {}, priorRotations: 0 },
  { name: 'first rotation of a settings-only secret', options: { initialSecret: 'settings' }, priorRotations: 0 },
  {
    name: 'first rotation where the first value becomes AWSCURRENT by itself',
    options: { autoCurrentOnFirstValue: true },
    priorRotations: 0,
  },
  { name: 'a routine rotation of a rotated secret', options: { initialSecret: 'settings' }, priorRotations: 1 },
  {
    name: 'a routine rotation with a disaster-recovery region (half the relays use its endpoint)',
    options: { initialSecret: 'settings', additionalRegion: 'eu-central-1' },
    priorRotations: 1,
  },
];

let scenariosRun = 0;

async function prepare(base: BaseScenario): Promise<SandboxAccount> {
  const account = new SandboxAccount({ hosts: 4, ...base.options });
  for (let n = 0; n < base.priorRotations; n += 1) {
    const run = await rotate(account);
    if (!run.succeeded) throw new Error('the prior rotation failed');
  }
  return account;
}

function rotate(account: SandboxAccount, checkEach?: (label: string) => void): Promise<RotationRun> {
  return runRotation(account, {
    maxAttempts: 6,
    handler: { probe: account.sesProbe() },
    onInvocation: (o) => checkEach?.(`after ${o.step} (attempt ${o.attempt}, ${o.result})`),
  });
}

function errorTexts(run: RotationRun): string[] {
  return run.invocations.flatMap((i) => (i.error ? [i.error.message, String(i.error.stack)] : []));
}

describe('crash injection', () => {
  afterAll(() => {
    // The README quotes this number.
    process.stdout.write(`crash-injection suite: ${scenariosRun} fault scenarios, invariants I1–I7 held in all\n`);
  });

  it.each(BASES)('keeps every invariant under every fault: $name', async (base) => {
    // Prepare: a clean run tells which AWS calls the rotation makes.
    const reference = await prepare(base);
    const before = reference.recorder.calls.length;
    expect((await rotate(reference)).succeeded).toBe(true);
    const calls = reference.recorder.calls.slice(before).map((c) => `${c.service}:${c.operation}`);
    reference.restore();
    expect(calls.length).toBeGreaterThan(10);

    const failures: string[] = [];
    for (let index = 0; index < calls.length; index += 1) {
      for (const variant of FAULT_VARIANTS) {
        const label = `${variant.kind} ${variant.when} call ${index} (${calls[index]})`;
        const account = await prepare(base);
        try {
          // Act: fault at that call, then Secrets Manager's retries.
          account.recorder.plan({ ...variant, atCall: account.recorder.calls.length + index });
          const run = await rotate(account, (when) => {
            for (const p of checkInvariants(account)) failures.push(`${label}, ${when}: ${p}`);
          });
          // Assess
          if (!run.succeeded) failures.push(`${label}: the rotation did not complete in 6 attempts`);
          for (const p of checkInvariants(account, { completed: true, texts: errorTexts(run) }))
            failures.push(`${label}: ${p}`);
          scenariosRun += 1;
        } finally {
          account.restore();
        }
      }
    }
    expect([...new Set(failures)]).toEqual([]);
  });
});
