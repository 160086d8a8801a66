import type { Deadline } from '../core/clock';
import type { RotationDeps, StepContext } from './deps';
import type { RotationEvent, Step } from './event';
import { guard } from './guard';
import { assertRotatesSecret, assertTrustedCaCurrent } from './readiness';
import { createSecret } from './steps/create-secret';
import { finishSecret } from './steps/finish-secret';
import { testSecret } from './steps/test-secret';

const STEP_HANDLERS: Record<Exclude<Step, 'setSecret'>, (deps: RotationDeps, ctx: StepContext) => Promise<void>> = {
  createSecret,
  testSecret,
  finishSecret,
};

/** The steps that need the SMTP check (testSecret logs in; createSecret mints the key only it can prove). */
const SMTP_STEPS: ReadonlySet<Step> = new Set<Step>(['createSecret', 'testSecret']);

/**
 * Runs one rotation step: refuses a secret other than the configured one, and an SMTP step whose extra CA is not
 * valid now (before any AWS call), runs the stage guard, dispatches.
 *
 * setSecret makes no AWS call: IAM activated the key when createSecret minted it, there is no other service to
 * "set"; testSecret proves the credential over SMTP and finishSecret delivers it to the hosts.
 */
export async function runStep(deps: RotationDeps, event: RotationEvent, deadline: Deadline): Promise<void> {
  assertRotatesSecret(deps.config, event.secretId);
  // The wall clock, not deps.clock: the TLS handshake judges the CA by it (the sandbox's clock is virtual).
  if (SMTP_STEPS.has(event.step)) assertTrustedCaCurrent(deps.config, new Date());
  if (event.step === 'setSecret') {
    deps.log.info('setSecret: nothing to apply (the key is active since createSecret; testSecret proves it)');
    return;
  }
  const meta = await deps.secrets.describe(event.secretId);
  const verdict = guard(meta, event.token);
  await STEP_HANDLERS[event.step](deps, { event, secretArn: meta.arn, verdict, deadline, meta });
}
