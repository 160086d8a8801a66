import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { NotificationTopic } from './notifications';

/** What the alarms watch and where they report. */
export interface RotationAlarmsProps {
  readonly secretArn: string;
  readonly function: lambda.IFunction;
  readonly notifications: NotificationTopic;
}

/**
 * Failure signals → SNS: the RotationFailed service event of this one secret (Secrets Manager has no metric for
 * it) and the function's Errors metric (throws and timeouts).
 */
export class RotationAlarms extends Construct {
  readonly rotationFailedRule: events.Rule;
  readonly errorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RotationAlarmsProps) {
    super(scope, id);
    const { topic, owned } = props.notifications;

    this.rotationFailedRule = new events.Rule(this, 'RotationFailed', {
      description: 'A rotation of the SES SMTP secret failed',
      eventPattern: {
        source: ['aws.secretsmanager'],
        detailType: ['AWS Service Event via CloudTrail'],
        detail: {
          eventSource: ['secretsmanager.amazonaws.com'],
          // TestRotationFailed: the test-only run of rotateImmediately=false; RotationAbandoned: listed by some
          // sources. The secret ARN is in additionalEventData.SecretId, as in RotationSucceeded events.
          eventName: ['RotationFailed', 'RotationAbandoned', 'TestRotationFailed'],
          additionalEventData: { SecretId: [props.secretArn] },
        },
      },
    });
    // A plain target: the publish permission below is narrowed to this rule, which the stock SnsTopic target is not.
    this.rotationFailedRule.addTarget({ bind: () => ({ arn: topic.topicArn }) });

    this.errorsAlarm = new cloudwatch.Alarm(this, 'FunctionErrors', {
      alarmDescription:
        'The SES SMTP rotation function failed or timed out. The old key stays valid; see the Runbook section of the README.',
      metric: props.function.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.errorsAlarm.addAlarmAction(new cwActions.SnsAction(topic));

    if (owned) {
      const account = Stack.of(this).account;
      const publish = (sid: string, service: string, sourceArn: string) =>
        new iam.PolicyStatement({
          sid,
          principals: [new iam.ServicePrincipal(service)],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: { ArnEquals: { 'aws:SourceArn': sourceArn }, StringEquals: { 'aws:SourceAccount': account } },
        });
      topic.addToResourcePolicy(
        publish('RotationFailedEvent', 'events.amazonaws.com', this.rotationFailedRule.ruleArn),
      );
      topic.addToResourcePolicy(publish('FunctionErrorsAlarm', 'cloudwatch.amazonaws.com', this.errorsAlarm.alarmArn));
    }
  }
}
