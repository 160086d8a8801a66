import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  DAY_MS,
  DEFAULT_RETIREMENT,
  HOUR_MS,
  RETIREMENT_ENV,
  formatWindow,
  type RetirementPolicy,
} from '../../src/rotation/retirement-policy';
import type { RetirementOptions } from './props';
import { rotationIntervalBoundsMs } from './schedule';
import { propError } from './validate';

/** Margin kept between the end of the deletion window and the earliest next rotation. */
export const RETIREMENT_MARGIN_MS = DAY_MS;

/**
 * Resolves and checks the retirement props at synth: both windows positive and, together with the rotation window
 * and a day of margin, shorter than the time to the next scheduled rotation (the old key must be gone before the
 * next rotation needs its slot). Errors name the prop.
 * @throws ConfigurationError
 */
export function resolveRetirement(
  options: RetirementOptions | undefined,
  schedule: { expression: string; window: string },
): RetirementPolicy {
  const window = (prop: 'deactivateAfter' | 'deleteAfter', value: Duration | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const ms = value.toMilliseconds();
    if (!(ms > 0)) throw propError(`retirement.${prop}`, 'must be longer than zero, e.g. Duration.hours(24)');
    return ms;
  };
  const policy: RetirementPolicy = {
    mode: options?.policy ?? DEFAULT_RETIREMENT.mode,
    deactivateAfterMs: window('deactivateAfter', options?.deactivateAfter, DEFAULT_RETIREMENT.deactivateAfterMs),
    deleteAfterMs: window('deleteAfter', options?.deleteAfter, DEFAULT_RETIREMENT.deleteAfterMs),
    inUse: options?.inUse ?? DEFAULT_RETIREMENT.inUse,
  };
  if (!['immediate', 'staged'].includes(policy.mode))
    throw propError('retirement.policy', 'must be immediate or staged');
  if (!['hold', 'proceed'].includes(policy.inUse)) throw propError('retirement.inUse', 'must be hold or proceed');
  // The shortest interval: a rotation may start anywhere in its window, so the window is subtracted too.
  const interval = rotationIntervalBoundsMs(schedule.expression)?.minMs;
  if (policy.mode === 'staged' && interval !== undefined) {
    const windowMs = Number(schedule.window.replace(/h$/, '')) * HOUR_MS;
    const total = policy.deactivateAfterMs + policy.deleteAfterMs;
    const room = interval - windowMs - RETIREMENT_MARGIN_MS;
    if (total > room) {
      throw propError(
        'retirement.deleteAfter',
        `together with retirement.deactivateAfter is ${formatWindow(total)}, but the schedule ` +
          `${schedule.expression} (window ${schedule.window}) may rotate again after ${formatWindow(interval)}: ` +
          `both windows must end at least a day before, so shorten them to at most ${formatWindow(Math.max(room, 0))} ` +
          'in total, or use a longer schedule',
      );
    }
  }
  return policy;
}

/** The function's RETIREMENT_* variables for a resolved policy. */
export function retirementEnvironment(policy: RetirementPolicy): Record<string, string> {
  return {
    [RETIREMENT_ENV.mode]: policy.mode,
    [RETIREMENT_ENV.deactivateAfter]: formatWindow(policy.deactivateAfterMs),
    [RETIREMENT_ENV.deleteAfter]: formatWindow(policy.deleteAfterMs),
    [RETIREMENT_ENV.inUse]: policy.inUse,
  };
}

/** The hourly EventBridge schedule that runs the retirement pass for one secret. */
export class RetirementSchedule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: { function: lambda.IFunction; secretArn: string }) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Hourly', {
      description: 'Retirement pass of the old SES SMTP key: deactivate, then delete, or hold when still in use',
      schedule: events.Schedule.rate(Duration.hours(1)),
    });
    this.rule.addTarget(
      new targets.LambdaFunction(props.function, {
        event: events.RuleTargetInput.fromObject({ action: 'retire', secretId: props.secretArn }),
        retryAttempts: 2,
      }),
    );
  }
}
