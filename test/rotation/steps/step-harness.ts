import { parseSecretValue, type SmtpCredential } from '../../../src/core/secret';
import { createHandler, type HandlerOverrides } from '../../../src/handler';
import type { Step } from '../../../src/rotation/event';
import type { SmtpProbe, SmtpProbeTarget } from '../../../src/rotation/ports';
import type { SandboxAccount } from '../../../src/sandbox/account';
import { SandboxAuthRejectedError } from '../../../src/sandbox/sandbox-probe';

/** Starts a rotation in the sandbox (pending version without a value) and returns its token. */
export function startRotation(account: SandboxAccount): string {
  const out = account.secrets.rotateSecret({ SecretId: account.secrets.arn });
  return out.VersionId as string;
}

/** Invokes one step through the real handler, with the sandbox's fakes. */
export async function invokeStep(
  account: SandboxAccount,
  step: Step,
  token: string,
  overrides: Omit<HandlerOverrides, 'env' | 'clock'> & {
    env?: NodeJS.ProcessEnv;
    rotationToken?: string;
    /** The invocation's remaining time at start. @default 900000 (Lambda's 15-minute timeout) */
    remainingMs?: number;
  } = {},
): Promise<void> {
  const { env, rotationToken, remainingMs = 900_000, ...rest } = overrides;
  const handler = createHandler({
    probe: account.sesProbe(),
    log: account.log(),
    recordMetrics: (hostsUpdated, durationSeconds) => void account.metrics.push({ hostsUpdated, durationSeconds }),
    ...rest,
    env: account.env(env),
    clock: account.clock,
  });
  const started = account.clock.now();
  await handler(
    {
      Step: step,
      SecretId: account.secrets.arn,
      ClientRequestToken: token,
      ...(rotationToken ? { RotationToken: rotationToken } : {}),
    },
    { getRemainingTimeInMillis: () => remainingMs - (account.clock.now() - started) },
  );
}

/** All captured log lines and messages as one text, for leak scans. */
export function allText(account: SandboxAccount, errors: unknown[] = []): string {
  return [
    ...account.logs.map((l) => JSON.stringify(l)),
    ...errors.map((e) => `${(e as Error).message} ${(e as Error).stack}`),
  ].join('\n');
}

/** The credential a version holds (the test fails when it holds none). */
export function storedCredential(account: SandboxAccount, versionId: string): SmtpCredential {
  const value = parseSecretValue(account.secrets.peekValue(versionId));
  if (value.kind !== 'credential') throw new Error(`version ${versionId} holds no credential`);
  return value.credential;
}

/**
 * The sandbox's SES check, recording what it was asked to prove and the time left for it; regions in `refuse`
 * answer 535 as SES does for an unsubscribed one.
 */
export function recordingProbe(account: SandboxAccount, refuse: readonly string[] = []) {
  const targets: { target: SmtpProbeTarget; remainingMs: number }[] = [];
  const real = account.sesProbe();
  const probe: SmtpProbe = {
    authenticate: async (target, deadline) => {
      targets.push({ target, remainingMs: deadline.remaining() });
      if (refuse.includes(target.region)) {
        throw new SandboxAuthRejectedError(`535 from ${target.host} (password derived for ${target.region})`);
      }
      return real.authenticate(target, deadline);
    },
  };
  return { probe, targets };
}
