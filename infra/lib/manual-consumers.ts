import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ConfigurationError } from '../../src/core/errors';
import type { NotificationTopic } from './notifications';

/** Manual consumers: systems the SSM push cannot reach, changed by hand and confirmed (README). */
export interface ManualConsumersOptions {
  /** Days a rotation may wait for manual consumers before the alarm and the overdue alert (1–90). @default 7 */
  readonly alarmAfterDays?: number;
  /** Customer managed key for the table. @default the AWS managed key of DynamoDB */
  readonly encryptionKey?: kms.IKey;
}

/** What the registry is wired to. */
export interface ManualConsumerRegistryProps extends ManualConsumersOptions {
  readonly role: iam.IRole;
  readonly secretArn: string;
  readonly notifications: NotificationTopic;
  readonly namespace: string;
  readonly serviceName: string;
}

/**
 * The manual-consumer registry: one DynamoDB table (on-demand, point-in-time recovery, encrypted, no fixed name,
 * retained on stack deletion: it is an audit trail), the function's least-privilege access to this secret's items
 * only, and the alarm on the ManualConsumersWaitingDays gauge of the hourly pass.
 */
export class ManualConsumerRegistry extends Construct {
  readonly table: dynamodb.Table;
  readonly waitingAlarm: cloudwatch.Alarm;
  readonly alarmAfterDays: number;
  private readonly secretArn: string;

  constructor(scope: Construct, id: string, props: ManualConsumerRegistryProps) {
    super(scope, id);
    this.alarmAfterDays = props.alarmAfterDays ?? 7;
    if (!Number.isInteger(this.alarmAfterDays) || this.alarmAfterDays < 1 || this.alarmAfterDays > 90) {
      throw new ConfigurationError(
        `manualConsumers.alarmAfterDays is ${this.alarmAfterDays}: give a whole number of days from 1 to 90`,
        { setting: 'manualConsumers.alarmAfterDays' },
      );
    }
    this.secretArn = props.secretArn;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: props.encryptionKey
        ? dynamodb.TableEncryption.CUSTOMER_MANAGED
        : dynamodb.TableEncryption.AWS_MANAGED,
      ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The function reads the registry and records its wait (PutItem, UpdateItem on rotation# items); it never
    // deletes, never confirms, and sees only the items of its own secret.
    this.grant(props.role, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    props.encryptionKey?.grantEncryptDecrypt(props.role);

    this.waitingAlarm = new cloudwatch.Alarm(this, 'WaitingAlarm', {
      alarmDescription:
        `A rotation has waited ${this.alarmAfterDays} days or more for manual consumers to confirm; the old key ` +
        'stays active meanwhile. README runbook: "A manual consumer never confirmed".',
      metric: new cloudwatch.Metric({
        namespace: props.namespace,
        metricName: 'ManualConsumersWaitingDays',
        dimensionsMap: { service: props.serviceName },
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      threshold: this.alarmAfterDays,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.waitingAlarm.addAlarmAction(new cwActions.SnsAction(props.notifications.topic));
  }

  /**
   * Lets the function's hourly pass re-attempt a fully confirmed rotation (RotateSecret on its own secret, which
   * requires invoking the rotation function). Separate from the role's main policies: it names the function,
   * which itself depends on them.
   */
  allowResume(role: iam.IRole, fn: lambda.IFunction): void {
    new iam.Policy(this, 'ResumePolicy', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ResumeConfirmedRotation',
          actions: ['secretsmanager:RotateSecret'],
          resources: [this.secretArn],
        }),
        new iam.PolicyStatement({
          sid: 'RotateSecretInvokesTheFunction',
          actions: ['lambda:InvokeFunction'],
          resources: [fn.functionArn],
        }),
      ],
    });
  }

  /**
   * Lets people confirm (`confirm`): read the registry of this secret and write a confirmation. They also need to
   * read the secret (`credential show`) and, for the last confirmation, RotateSecret: see the README.
   */
  grantConfirm(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:ConditionCheckItem',
      'dynamodb:PutItem',
    ]);
  }

  /** Lets operators add and remove consumers (`consumers add|remove`), and list them. */
  grantManage(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem']);
  }

  /** Grants actions on the items of this secret only (dynamodb:LeadingKeys = the secret's ARN). */
  private grant(grantee: iam.IGrantable, actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [this.secretArn] } },
    });
  }
}
