import type { Deadline } from '../core/clock';
import type { RotationDeps, StepContext } from './deps';
import type { RotationEvent, Step } from './event';
import { guard } from './guard';
import { assertRotatesSecret } from './readiness';
import { createSecret } from './steps/create-secret';
import { finishSecret } from './steps/finish-secret';
import { testSecret } from './steps/test-secret';

const STEP_HANDLERS: Record<Exclude<Step, 'setSecret'>, (deps: RotationDeps, ctx: StepContext) => Promise<void>> = {
  createSecret,
  testSecret,
  finishSecret,
};

/**
 * Runs one rotation step: refuses a secret other than the configured one, runs the stage guard, dispatches.
 *
 * setSecret makes no AWS call: IAM activated the key when createSecret minted it, there is no other service to
 * "set"; testSecret proves the credential over SMTP and finishSecret delivers it to the hosts.
 */
export async function runStep(deps: RotationDeps, event: RotationEvent, deadline: Deadline): Promise<void> {
  assertRotatesSecret(deps.config, event.secretId);
  if (event.step === 'setSecret') {
    deps.log.info('setSecret: nothing to apply (the key is active since createSecret; testSecret proves it)');
    return;
  }
  const meta = await deps.secrets.describe(event.secretId);
  const verdict = guard(meta, event.token);
  await STEP_HANDLERS[event.step](deps, { event, secretArn: meta.arn, verdict, deadline, meta });
}
