import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { SesSmtpRotation, type SesSmtpRotationProps, type VpcPlacement } from './ses-smtp-rotation';
import type { DeploymentSettings } from './settings';
import { propError } from './validate';

/** Properties of {@link SesSmtpRotationStack}. */
export interface SesSmtpRotationStackProps extends StackProps {
  /** Plain-data configuration (from CDK context in the app). */
  readonly settings: DeploymentSettings;
  /** Lambda code override (tests); default: the bundled src/handler.ts. */
  readonly code?: lambda.Code;
  /** SSM documents directory override (tests); default: ssm-documents/. */
  readonly documentsDirectory?: string;
}

/**
 * The ready-to-deploy stack: one {@link SesSmtpRotation} configured from plain settings, with the outputs an
 * operator needs. Existing resources (KMS key, VPC, topic, boundary) are referenced by id/ARN without lookups,
 * so `cdk synth` needs no AWS credentials.
 */
export class SesSmtpRotationStack extends Stack {
  readonly rotation: SesSmtpRotation;

  constructor(scope: Construct, id: string, props: SesSmtpRotationStackProps) {
    super(scope, id, {
      description: 'Rotates an Amazon SES SMTP credential across a fleet of mail relays (ses-smtp-rotation)',
      ...props,
    });
    this.rotation = new SesSmtpRotation(this, 'Rotation', this.rotationProps(props));
    addRotationOutputs(this, this.rotation);
  }

  private rotationProps(props: SesSmtpRotationStackProps): SesSmtpRotationProps {
    const s = props.settings;
    // One reference to the key: it encrypts the secret and, with manualConsumers, the registry table.
    const key = s.kmsKeyArn ? kms.Key.fromKeyArn(this, 'SecretKey', s.kmsKeyArn) : undefined;
    return {
      sending: { identities: s.identities, configurationSet: s.configurationSet },
      fleet: {
        tags: s.fleetTags,
        instanceIds: s.instanceIds,
        maxConcurrency: s.maxConcurrency,
        maxErrors: s.maxErrors,
      },
      sesRegion: s.sesRegion,
      additionalSesRegions: s.additionalSesRegions,
      smtpPort: s.smtpPort,
      fips: s.fips,
      smtpEndpoint: s.smtpEndpoint,
      smtpTlsServername: s.smtpTlsServername,
      smtpTrustedCaPem: s.smtpTrustedCaPem,
      schedule: {
        expression: s.schedule,
        window: s.scheduleWindow,
        rotateImmediatelyOnUpdate: s.rotateImmediately,
      },
      encryptionKey: key,
      vpc: this.vpcPlacement(s),
      notifications: {
        emails: s.notificationEmails,
        topic: s.notificationTopicArn ? sns.Topic.fromTopicArn(this, 'Topic', s.notificationTopicArn) : undefined,
      },
      hostRoleArns: s.hostRoleArns,
      logRetention: retention(s.logRetentionDays),
      permissionsBoundary: s.permissionsBoundaryArn
        ? iam.ManagedPolicy.fromManagedPolicyArn(this, 'Boundary', s.permissionsBoundaryArn)
        : undefined,
      code: props.code,
      documentsDirectory: props.documentsDirectory,
      retirement: {
        policy: s.retirementPolicy,
        deactivateAfter: s.deactivateAfterMs === undefined ? undefined : Duration.millis(s.deactivateAfterMs),
        deleteAfter: s.deleteAfterMs === undefined ? undefined : Duration.millis(s.deleteAfterMs),
        inUse: s.retirementInUse,
      },
      ...(s.manualConsumers
        ? {
            manualConsumers: {
              alarmAfterDays: s.manualConsumersAlarmAfterDays,
              encryptionKey: key,
            },
          }
        : {}),
      ...(s.parameterStoreName ? { parameterStore: { name: s.parameterStoreName } } : {}),
    };
  }

  private vpcPlacement(s: DeploymentSettings): VpcPlacement | undefined {
    if (!s.vpcId || !s.subnetIds) return undefined;
    const subnets = s.subnetIds.map((subnetId, i) => ec2.Subnet.fromSubnetId(this, `Subnet${i}`, subnetId));
    return {
      // Attributes, not a lookup: synth stays offline. Only the subnets given are used.
      vpc: ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: s.vpcId,
        availabilityZones: s.subnetIds.map((_, i) => `${this.region}-subnet${i}`),
        privateSubnetIds: s.subnetIds,
      }),
      subnets: { subnets },
      securityGroups: s.securityGroupIds?.map((groupId, i) =>
        ec2.SecurityGroup.fromSecurityGroupId(this, `SecurityGroup${i}`, groupId),
      ),
    };
  }
}

function retention(days: number | undefined): logs.RetentionDays | undefined {
  if (days === undefined) return undefined;
  const allowed = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!allowed.includes(days)) {
    throw propError('logRetention', `is ${days} days: CloudWatch Logs accepts ${allowed.join(', ')}`);
  }
  return days as logs.RetentionDays;
}

/**
 * The stack outputs an operator and the relays need (the secret, the log groups, the document, the topic). Shared by
 * this stack and the release template.
 */
export function addRotationOutputs(stack: Stack, rotation: SesSmtpRotation): void {
  const outputs: Record<string, [string, string]> = {
    SecretArn: [rotation.secret.secretArn, 'Secret holding the SMTP credential (hosts read it)'],
    SmtpUserName: [rotation.user.userName, 'IAM user whose access keys are the SMTP credentials'],
    FunctionName: [rotation.function.functionName, 'Rotation function'],
    FunctionLogGroup: [rotation.functionLogGroup.logGroupName, 'Rotation function logs'],
    CommandOutputLogGroup: [rotation.commandOutputLogGroup.logGroupName, 'Per-host output of the SSM documents'],
    FleetDocumentName: [rotation.fleetDocumentName, 'SSM document the push runs'],
    NotificationTopicArn: [rotation.topic.topicArn, 'Rotation notifications'],
    QueriesFolder: [rotation.queries.folder, 'Saved Logs Insights queries (CloudWatch > Logs Insights > Queries)'],
    RotateNow: [
      `aws secretsmanager rotate-secret --secret-id ${rotation.secret.secretArn} --region ${stack.region}`,
      'On-demand rotation',
    ],
  };
  for (const [name, [value, description]] of Object.entries(outputs)) {
    new CfnOutput(stack, name, { value, description });
  }
}
