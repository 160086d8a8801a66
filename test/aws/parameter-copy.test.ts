import { SSMClient } from '@aws-sdk/client-ssm';
import { ParameterCopy } from '../../src/aws/parameter-copy';
import type { Fault } from '../../src/sandbox/call-recorder';
import { SandboxAccount } from '../../src/sandbox/account';
import { checkInvariants } from '../../src/sandbox/invariants';
import { runRotation } from '../../src/sandbox/rotation-driver';

const NAME = '/mail/ses-smtp';
const VARIANTS: Omit<Fault, 'atCall'>[] = [
  { when: 'before', kind: 'crash' },
  { when: 'after', kind: 'crash' },
  { when: 'before', kind: 'throw' },
  { when: 'after', kind: 'throw' },
];

function account(): SandboxAccount {
  const a = new SandboxAccount({ hosts: 2, initialSecret: 'settings' });
  a.lambda.overrides = { ...a.lambda.overrides, PARAMETER_STORE_NAME: NAME };
  return a;
}

const rotate = (a: SandboxAccount) => runRotation(a, { maxAttempts: 6, handler: { probe: a.sesProbe() } });
const copied = (a: SandboxAccount) =>
  JSON.parse(a.parameters.peek(NAME)?.value ?? '{}') as { versionId?: string; password?: string };

describe('ParameterCopy', () => {
  let a: SandboxAccount;
  afterEach(() => a?.restore());

  it('writes the promoted credential as a SecureString after promotion, once per version', async () => {
    // Prepare
    a = account();

    // Act
    const run = await rotate(a);

    // Assess
    expect(a.parameters.peek(NAME)).toMatchObject({ type: 'SecureString', version: 1 });
    expect(copied(a).versionId).toBe(run.token);
    expect(a.secretValues()).toContain(copied(a).password);
    expect(checkInvariants(a, { completed: true })).toEqual([]);
  });

  it('never writes an older version over a newer one, and rewrites nothing for the same version', async () => {
    // Prepare: two rotations; then a late retry of the first one copies again
    a = account();
    const first = await rotate(a);
    a.clock.advance(86_400_000);
    const second = await rotate(a);
    const copy = new ParameterCopy(new SSMClient({ region: a.region }), { name: NAME });
    const firstValue = JSON.parse(a.secrets.peekValue(first.token) ?? '{}') as never;
    const created = a.secrets
      .listSecretVersionIds({ SecretId: a.secrets.arn })
      .Versions?.find((v) => v.VersionId === first.token)?.CreatedDate;

    // Act
    const late = await copy.write(firstValue, { versionId: first.token, ...(created ? { createdDate: created } : {}) });

    // Assess
    expect(late).toBe('newer-present');
    expect(copied(a).versionId).toBe(second.token);
    expect(a.parameters.peek(NAME)?.version).toBe(2);
  });

  it('ends with AWSCURRENT in the parameter whatever call of the rotation fails or dies', async () => {
    const reference = account();
    const start = reference.recorder.calls.length;
    await rotate(reference);
    const total = reference.recorder.calls.length - start;
    reference.restore();

    const failures: string[] = [];
    for (let index = 0; index < total; index += 1) {
      for (const variant of VARIANTS) {
        const s = account();
        try {
          s.recorder.plan({ ...variant, atCall: s.recorder.calls.length + index });
          const run = await rotate(s);
          if (!run.succeeded) failures.push(`${variant.kind} ${variant.when} ${index}: not completed`);
          for (const p of checkInvariants(s, { completed: true }))
            failures.push(`${variant.kind} ${variant.when} ${index}: ${p}`);
        } finally {
          s.restore();
        }
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
