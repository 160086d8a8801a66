/**
 * The rotation Lambda's handler without its production logger: clients, configuration and adapters are built once
 * per container (on the first invocation, so a configuration error is reported as that invocation's error, with the
 * variable's name). `handler.ts` gives it Powertools' logger; the offline sandbox gives it its own log, and so
 * never loads Powertools.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as onFirstUse from './adapters/on-first-use';
import { SecretStore } from './aws/secret-store';
import { Deadline, systemClock, type Clock } from './core/clock';
import { loadConfig, type RotationConfig } from './rotation/config';
import type { Log, RetirementMetrics, RotationDeps } from './rotation/deps';
import type { Fleet, SmtpProbe } from './rotation/ports';
import { runRetirementPass, type RetirementReport } from './rotation/retire-pass';
import { parseInvocation } from './rotation/retirement-state';
import { runStep } from './rotation/rotator';

/** The part of the Lambda context the handler uses. */
export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

/** Replacements for the offline sandbox and tests; production uses none. */
export interface HandlerOverrides {
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: Clock;
  readonly log?: Log;
  readonly probe?: SmtpProbe;
  readonly fleet?: Fleet;
  /** Replaces Powertools metrics (the sandbox records instead of printing EMF). */
  readonly recordMetrics?: (hostsUpdated: number, durationSeconds: number | undefined) => void;
  /** Replaces Powertools metrics of the retirement pass. */
  readonly recordRetirementMetrics?: (metrics: RetirementMetrics) => void;
}

/** The production logger: logs, and carries the invocation's keys on every line while they are set. */
export interface ProductionLog extends Log {
  appendKeys(keys: Record<string, unknown>): void;
  resetKeys(): void;
}

/** The event handler. */
export type RotationHandler = (rawEvent: unknown, context: LambdaContextLike) => Promise<void | RetirementReport>;

/** Builds a handler that logs through `overrides.log`, else through `production`. */
export function createRotationHandler(overrides: HandlerOverrides & { readonly log: Log }): RotationHandler;
export function createRotationHandler(overrides: HandlerOverrides, production: ProductionLog): RotationHandler;
export function createRotationHandler(overrides: HandlerOverrides, production?: ProductionLog): RotationHandler {
  // The overloads guarantee one or the other.
  const log = (overrides.log ?? production) as Log;
  let deps: RotationDeps | undefined;

  /**
   * Runs `work` with `keys` on every log line (and the secret's ARN on Powertools' lines), logs a failure as
   * `failed` with the error's name and message (never a stack or a secret), and rethrows it for Lambda to record.
   */
  const logged = async <T>(
    secretArn: string,
    keys: Record<string, string>,
    failed: string,
    work: (d: RotationDeps, keyedLog: Log) => Promise<T>,
  ): Promise<T> => {
    production?.appendKeys({ ...keys, secretArn });
    const keyedLog = overrides.log ? withKeys(overrides.log, keys) : log;
    try {
      deps ??= buildDeps(overrides, log);
      return await work({ ...deps, log: keyedLog }, keyedLog);
    } catch (error) {
      keyedLog.error(failed, { errorName: (error as Error).name, errorMessage: (error as Error).message });
      throw error;
    } finally {
      production?.resetKeys();
    }
  };

  return async (rawEvent, context) => {
    const invocation = parseInvocation(rawEvent);
    if (invocation.kind === 'retire') {
      const { event } = invocation;
      return logged(event.secretId, { action: 'retire' }, 'retirement pass failed', (d) => runRetirementPass(d, event));
    }
    const event = invocation.event;
    // Never the RotationToken: Secrets Manager keeps it out of CloudTrail, we keep it out of logs.
    const keys = { step: event.step, versionId: event.token };
    return logged(event.secretId, keys, 'step failed', async (d, stepLog) => {
      const deadline = Deadline.after(d.clock, context.getRemainingTimeInMillis(), d.config.safetyMarginMs);
      await runStep(d, event, deadline);
      stepLog.info('step completed');
    });
  };
}

function buildDeps(overrides: HandlerOverrides, log: Log): RotationDeps {
  const config: RotationConfig = loadConfig(overrides.env ?? process.env);
  if (config.regionWarning) log.warn(config.regionWarning);
  for (const { warning } of config.additionalRegions ?? []) if (warning) log.warn(warning);
  const clock = overrides.clock ?? systemClock;
  // Loaded on first use: a cold start for createSecret parses and runs no SSM, SNS, DynamoDB or nodemailer code.
  const adapters = () => import('./adapters/production');
  const fleet =
    overrides.fleet ?? onFirstUse.fleetOnFirstUse(async () => (await adapters()).ssmFleet(config, clock, log));
  const probe = overrides.probe ?? onFirstUse.probeOnFirstUse(async () => (await adapters()).smtpProbe(config, clock));
  const topicArn = config.notificationTopicArn;
  const manual = config.manualConsumers;
  const copy = config.parameterCopy;
  const namespace = process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'SesSmtpRotation';
  const metrics = onFirstUse.metricsOnFirstUse(async () =>
    (await import('./adapters/metrics')).powertoolsMetrics(namespace),
  );
  const record = overrides.recordMetrics ?? metrics.rotation;
  return {
    config,
    secrets: new SecretStore(new SecretsManagerClient({})),
    keys: onFirstUse.keysOnFirstUse(async () => (await import('./adapters/keys')).accessKeys()),
    probe,
    fleet,
    ...(topicArn
      ? { notifier: onFirstUse.notifierOnFirstUse(async () => (await adapters()).snsNotifier(topicArn)) }
      : {}),
    ...(manual
      ? { registry: onFirstUse.registryOnFirstUse(async () => (await adapters()).consumerRegistry(manual.tableName)) }
      : {}),
    ...(copy
      ? { parameterCopy: onFirstUse.copyOnFirstUse(copy.name, async () => (await adapters()).parameterCopy(copy)) }
      : {}),
    clock,
    log,
    onCompleted: (audit, durationMs) =>
      record(audit.hostsUpdated, durationMs === undefined ? undefined : durationMs / 1000),
    onRetirementPass: overrides.recordRetirementMetrics ?? metrics.retirement,
  };
}

function withKeys(log: Log, keys: Record<string, unknown>): Log {
  return {
    info: (m, a) => log.info(m, { ...keys, ...a }),
    warn: (m, a) => log.warn(m, { ...keys, ...a }),
    error: (m, a) => log.error(m, { ...keys, ...a }),
  };
}
