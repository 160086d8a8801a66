import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HOUR_MS, LAST_USED_REPORTING_DELAY_MS, type RetirementPolicy } from '../../src/rotation/retirement-policy';
import type { NotificationTopic } from './notifications';
import { rotationIntervalBoundsMs } from './schedule';

/** What the retirement alarms and the dashboard watch. */
export interface RetirementMonitoringProps {
  readonly function: lambda.IFunction;
  readonly notifications: NotificationTopic;
  readonly namespace: string;
  /** Powertools adds it as the `service` dimension of every metric. */
  readonly serviceName: string;
  readonly policy: RetirementPolicy;
  readonly schedule: { expression: string; window: string };
}

/**
 * Alarms on the retirement pass's hourly gauges, and one dashboard per installation. The pass publishes
 * `OldKeyInUse`, `OldKeyActiveHours` and `HoursSinceLastRotation`; the rotation `HostsUpdated` and
 * `RotationDurationSeconds`.
 */
export class RetirementMonitoring extends Construct {
  readonly oldKeyInUse: cloudwatch.Alarm;
  readonly oldKeyStillActive: cloudwatch.Alarm;
  readonly rotationOverdue?: cloudwatch.Alarm;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: RetirementMonitoringProps) {
    super(scope, id);
    const metric = (metricName: string, statistic: string, label: string) =>
      new cloudwatch.Metric({
        namespace: props.namespace,
        metricName,
        dimensionsMap: { service: props.serviceName },
        statistic,
        period: Duration.hours(1),
        label,
      });
    const inUse = metric('OldKeyInUse', 'Maximum', 'Old key in use (held)');
    const activeHours = metric('OldKeyActiveHours', 'Maximum', 'Old key active, hours since confirmation');
    const sinceRotation = metric('HoursSinceLastRotation', 'Maximum', 'Hours since the last rotation');
    const alarm = (alarmId: string, description: string, m: cloudwatch.IMetric, threshold: number) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: description,
        metric: m,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new cwActions.SnsAction(props.notifications.topic));
      return created;
    };

    this.oldKeyInUse = alarm(
      'OldKeyInUse',
      'A consumer the push did not reach still uses the old SES SMTP key; its retirement is held. README runbook: "A consumer still uses the old key".',
      inUse,
      1,
    );
    // Deactivation is due after max(deactivateAfter, IAM's reporting delay); a day later something is wrong.
    const deactivateHours = Math.max(props.policy.deactivateAfterMs, LAST_USED_REPORTING_DELAY_MS) / HOUR_MS + 24;
    this.oldKeyStillActive = alarm(
      'OldKeyStillActive',
      `The old SES SMTP key is still active ${Math.round(deactivateHours)} hours after every relay confirmed the new one (held, paused or the retirement pass failing).`,
      activeHours,
      deactivateHours,
    );
    // The longest interval, so that no legitimate schedule makes the alarm fire early.
    const interval = rotationIntervalBoundsMs(props.schedule.expression)?.maxMs;
    if (interval !== undefined) {
      const windowHours = Number(props.schedule.window.replace(/h$/, ''));
      const overdueHours = interval / HOUR_MS + windowHours + 48;
      this.rotationOverdue = alarm(
        'RotationOverdue',
        `No SES SMTP rotation completed for ${Math.round(overdueHours)} hours: longer than the schedule ${props.schedule.expression} plus two days.`,
        sinceRotation,
        overdueHours,
      );
    }

    if (props.notifications.owned) {
      const account = Stack.of(this).account;
      for (const [sid, a] of [
        ['OldKeyInUseAlarm', this.oldKeyInUse],
        ['OldKeyStillActiveAlarm', this.oldKeyStillActive],
        ...(this.rotationOverdue ? [['RotationOverdueAlarm', this.rotationOverdue] as const] : []),
      ] as const) {
        props.notifications.topic.addToResourcePolicy(
          new iam.PolicyStatement({
            sid,
            principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
            actions: ['sns:Publish'],
            resources: [props.notifications.topic.topicArn],
            conditions: { ArnEquals: { 'aws:SourceArn': a.alarmArn }, StringEquals: { 'aws:SourceAccount': account } },
          }),
        );
      }
    }

    const daysSince = new cloudwatch.MathExpression({
      expression: 'h / 24',
      usingMetrics: { h: sinceRotation },
      label: 'Days since the last rotation',
      period: Duration.hours(1),
    });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(14),
      widgets: [
        [
          new cloudwatch.SingleValueWidget({ title: 'Days since the last rotation', metrics: [daysSince], width: 6 }),
          new cloudwatch.SingleValueWidget({
            title: 'Last rotation',
            metrics: [
              metric('RotationDurationSeconds', 'Maximum', 'Duration (s)').with({ period: Duration.days(1) }),
              metric('HostsUpdated', 'Maximum', 'Hosts updated').with({ period: Duration.days(1) }),
            ],
            width: 9,
          }),
          new cloudwatch.AlarmStatusWidget({
            title: 'Alarms',
            alarms: [this.oldKeyInUse, this.oldKeyStillActive, ...(this.rotationOverdue ? [this.rotationOverdue] : [])],
            width: 9,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Retiring key: hours active since confirmation',
            left: [activeHours],
            width: 8,
          }),
          new cloudwatch.GraphWidget({ title: 'Held retirements (old key in use)', left: [inUse], width: 8 }),
          new cloudwatch.GraphWidget({
            title: 'Failed steps and pushes (function errors)',
            left: [props.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' })],
            width: 8,
          }),
        ],
      ],
    });
  }
}
