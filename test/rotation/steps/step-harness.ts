import { createHandler, type HandlerOverrides } from '../../../src/handler';
import type { Step } from '../../../src/rotation/event';
import type { SandboxAccount } from '../../../src/sandbox/account';

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
