import { describeProbeBudget, probeBudget } from '../../core/additional-regions';
import { ConfigurationError } from '../../core/errors';
import { maskKeyId } from '../../core/mask';
import { parseSecretValue, type SmtpCredential } from '../../core/secret';
import { ADDITIONAL_REGIONS_ENV } from '../config-regions';
import { credentialOf } from '../credential';
import type { RotationDeps, StepContext } from '../deps';
import type { SmtpProbeTarget } from '../ports';
import { proveRegions } from '../region-probes';

/**
 * testSecret: prove over SMTP (AUTH, no mail) that the pending credential authenticates, in its primary region and
 * in every additional region it holds a password for, before any host gets it. A pending version without a value
 * means Secrets Manager is only testing the configuration (rotation configured with RotateImmediately=false):
 * nothing is minted, pushed or deleted; the current credential is probed if any.
 */
export async function testSecret(deps: RotationDeps, ctx: StepContext): Promise<void> {
  const { secrets, config, log } = deps;
  const { secretArn, event, verdict } = ctx;
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
      const report = await prove(deps, ctx, value.credential);
      log.info('the AWSCURRENT credential authenticates', { keyId: maskKeyId(value.credential.username), ...report });
    }
    return;
  }
  const credential = credentialOf(pending, 'the pending version');
  const missing = (config.additionalRegions ?? []).filter(
    ({ region }) => !(credential.additionalRegions ?? []).some((r) => r.region === region),
  );
  if (missing.length > 0) {
    // Created before the region was configured, and the key's secret is gone: this version can never get that
    // region's password. Relays pointed at it refuse the version (nothing changes on them, nothing is promoted).
    log.warn(
      'the pending version has no password for some configured additional regions: if relays use their endpoints ' +
        'the push fails on them; abandon this rotation (ses-smtp-rotation rotate --abandon) and rotate again',
      { regions: missing.map((r) => r.region) },
    );
  }
  const report = await prove(deps, ctx, credential);
  log.info('the pending credential authenticates', {
    keyId: maskKeyId(credential.username),
    endpoint: credential.endpoint,
    port: credential.port,
    ...report,
  });
}

/**
 * Proves the credential in each of its regions: the primary alone exactly as before, several with bounded
 * parallelism and the same retry window each. Returns the primary's attempts and time (plus one entry per
 * additional region) for the log.
 */
async function prove(
  deps: RotationDeps,
  ctx: StepContext,
  credential: SmtpCredential,
): Promise<Record<string, unknown>> {
  const { probe, config, log } = deps;
  const { username, port } = credential;
  const targets: SmtpProbeTarget[] = [
    { host: credential.endpoint, port, region: credential.region, username, password: credential.password },
    ...(credential.additionalRegions ?? []).map((r) => ({
      host: r.endpoint,
      port,
      region: r.region,
      username,
      password: r.password,
    })),
  ];
  if (targets.length > 1) {
    const budget = probeBudget(targets.length, config.probeMaxWaitMs, ctx.deadline.remaining());
    if (!budget.fits) {
      throw new ConfigurationError(
        `testSecret cannot prove every region before the function times out: ` +
          `${describeProbeBudget(budget, config.probeMaxWaitMs)}. No relay has received the key ` +
          `(${ADDITIONAL_REGIONS_ENV}, PROBE_MAX_WAIT_SECONDS)`,
        { setting: ADDITIONAL_REGIONS_ENV },
      );
    }
  }
  const proofs = await proveRegions(probe, targets, ctx.deadline, config.probeMaxWaitMs, (failure) =>
    log.error('the SMTP check failed in a region; no relay has received the key', {
      region: failure.region,
      endpoint: failure.host,
      errorName: (failure.error as Error).name,
    }),
  );
  const [primary, ...others] = proofs;
  return {
    attempts: primary!.report.attempts,
    elapsedMs: primary!.report.elapsedMs,
    ...(others.length > 0 && {
      additionalRegions: others.map((p) => ({ region: p.region, endpoint: p.host, ...p.report })),
    }),
  };
}
