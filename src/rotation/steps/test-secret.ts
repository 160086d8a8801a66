import { maskKeyId } from '../../core/mask';
import { parseSecretValue } from '../../core/secret';
import { credentialOf } from '../credential';
import type { RotationDeps, StepContext } from '../deps';

/**
 * testSecret: prove over SMTP (AUTH, no mail) that the pending credential authenticates, before any host gets it.
 * A pending version without a value means Secrets Manager is only testing the configuration (rotation configured
 * with RotateImmediately=false): nothing is minted, pushed or deleted; the current credential is probed if any.
 */
export async function testSecret(deps: RotationDeps, ctx: StepContext): Promise<void> {
  const { secrets, probe, config, log } = deps;
  const { secretArn, event, verdict, deadline } = ctx;
  if (verdict.phase === 'promoted') {
    log.info('version is already AWSCURRENT; it was tested before promotion');
    return;
  }
  const pending = await secrets.value(secretArn, { versionId: event.token, stage: 'AWSPENDING' });
  if (!pending) {
    log.info('pending version has no value: configuration test only (RotateImmediately=false)', {
      region: config.region,
      endpoint: config.endpoint,
    });
    const current = await secrets.value(secretArn, { stage: 'AWSCURRENT' });
    const value = current ? parseSecretValue(current.secretString) : undefined;
    if (value?.kind === 'credential') {
      const report = await probe.authenticate(
        { ...value.credential, host: value.credential.endpoint },
        deadline.within(config.probeMaxWaitMs),
      );
      log.info('the AWSCURRENT credential authenticates', { keyId: maskKeyId(value.credential.username), ...report });
    }
    return;
  }
  const credential = credentialOf(pending, 'the pending version');
  const report = await probe.authenticate(
    {
      host: credential.endpoint,
      port: credential.port,
      region: credential.region,
      username: credential.username,
      password: credential.password,
    },
    deadline.within(config.probeMaxWaitMs),
  );
  log.info('the pending credential authenticates', {
    keyId: maskKeyId(credential.username),
    endpoint: credential.endpoint,
    port: credential.port,
    attempts: report.attempts,
    elapsedMs: report.elapsedMs,
  });
}
