/**
 * Broken sandbox states the operator commands must explain, shared by the regression tests of issue 12 and the
 * table-driven test: an unfinished rotation (a failed push), a failed testSecret (SES answers 535, the function's
 * "step failed" line in its log group), a secret the function refuses, a missing IAM user; and the stuck second
 * rotation `rotate --abandon` and `status` start from.
 */
import { maskKeyId } from '../../src/core/mask';
import type { SmtpProbe } from '../../src/rotation/ports';
import type { SandboxAccount } from '../../src/sandbox/account';
import { runRotation, type RotationRun } from '../../src/sandbox/rotation-driver';
import { SmtpAuthRejectedError } from '../../src/smtp/errors';

/** A probe for which SES rejects every credential with 535, as for a password derived for another region. */
export function rejectingProbe(): SmtpProbe {
  return {
    authenticate: async (target) => {
      throw new SmtpAuthRejectedError(
        `535 Authentication Credentials Invalid from ${target.host}:${target.port} for key ${maskKeyId(target.username)}: ` +
          `the password is derived for ${target.region}; it must be the region of the endpoint`,
        {
          host: target.host,
          port: target.port,
          tlsMode: 'starttls',
          region: target.region,
          keyId: maskKeyId(target.username),
        } as never,
      );
    },
  };
}

/** A first rotation whose push failed on one host: AWSPENDING holds the new key, the console key is still used. */
export async function unfinishedRotation(account: SandboxAccount): Promise<RotationRun> {
  account.hosts[0]!.behaviour = { kind: 'fail', exitCode: 3 };
  const run = await runRotation(account, { handler: { probe: account.sesProbe() }, maxAttempts: 1 });
  if (run.succeeded) throw new Error('the rotation was expected to fail');
  return run;
}

/** A routine rotation, then a second one whose push fails on the last host after the others switched. */
export async function failedSecondRotation(account: SandboxAccount): Promise<{ pending: string; current: string }> {
  const first = await runRotation(account, { handler: { probe: account.sesProbe() } });
  if (!first.succeeded) throw new Error('the first rotation was expected to succeed');
  const last = account.hosts[account.hosts.length - 1]!;
  last.behaviour = { kind: 'fail', exitCode: 3 };
  const run = await runRotation(account, { maxAttempts: 1, handler: { probe: account.sesProbe() } });
  if (run.succeeded) throw new Error('the second rotation was expected to fail');
  last.behaviour = { kind: 'run' };
  return {
    pending: account.secrets.versionWithStage('AWSPENDING')!,
    current: account.secrets.versionWithStage('AWSCURRENT')!,
  };
}

/** A rotation whose testSecret failed (535): nothing pushed, the failure only in the function's log. */
export async function failedTestSecret(account: SandboxAccount): Promise<RotationRun> {
  const run = await runRotation(account, { handler: { probe: rejectingProbe() }, maxAttempts: 1 });
  if (run.succeeded) throw new Error('the rotation was expected to fail');
  return run;
}

/** The function is configured for another region than the one the secret's settings record. */
export function refusedSecret(account: SandboxAccount): void {
  account.lambda.overrides = { SES_REGION: 'us-east-1', SMTP_ENDPOINT: 'email-smtp.us-east-1.amazonaws.com' };
}

/** The function names an IAM user that does not exist. */
export function missingUser(account: SandboxAccount): void {
  account.lambda.overrides = { SES_IAM_USER_NAME: 'ses-smtp-nobody' };
}
