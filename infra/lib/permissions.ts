import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { nagFindingResource } from './nag';
import { Construct } from 'constructs';

/** The resources the rotation function acts on. */
export interface RotationPermissionsInput {
  readonly role: iam.IRole;
  readonly secretArn: string;
  readonly userArn: string;
  readonly documentArns: readonly string[];
  readonly fleetTags?: Readonly<Record<string, readonly string[]>>;
  readonly instanceIds?: readonly string[];
  readonly logGroupArn: string;
  readonly topicArn: string;
  readonly topicKey?: kms.IKey;
  readonly secretKey?: kms.IKey;
  readonly inVpc: boolean;
}

/**
 * The rotation function's least-privilege policies (restated in the README section "Deploying"). Wildcard
 * resources appear only where the API has no resource-level permissions, each in its own policy with a cdk-nag
 * suppression that says why. Resources never use "*" where a resource exists.
 */
export class RotationPermissions extends Construct {
  /** Every policy; the schedule and the function depend on them (creation race aws/aws-cdk#26481). */
  readonly policies: iam.Policy[];

  constructor(scope: Construct, id: string, input: RotationPermissionsInput) {
    super(scope, id);
    const stack = Stack.of(this);

    const main = new iam.Policy(this, 'Rotation', { roles: [input.role], statements: mainStatements(stack, input) });
    const status = new iam.Policy(this, 'FleetStatus', {
      roles: [input.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'FleetStatusReadNoResourceLevel',
          actions: ['ssm:ListCommands', 'ssm:ListCommandInvocations', 'ssm:GetCommandInvocation'],
          resources: ['*'],
        }),
      ],
    });
    Validations.of(status).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'ssm:ListCommands, ssm:ListCommandInvocations and ssm:GetCommandInvocation support no resource-level ' +
        'permissions; they only read command status, never parameters beyond the secret ARN and version id.',
    });
    this.policies = [main, status];

    for (const arn of taggedNodeArns(stack, input)) {
      Validations.of(main).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagFindingResource(stack, arn)}]`,
        reason:
          'ssm:SendCommand must name the target nodes; the push targets them by tag, so the node ARNs are ' +
          'wildcards narrowed by ssm:resourceTag conditions on exactly the fleet tags (EC2 and hybrid nodes).',
      });
    }

    if (input.inVpc) {
      const vpcAccess = new iam.Policy(this, 'VpcAccess', {
        roles: [input.role],
        statements: [
          new iam.PolicyStatement({
            sid: 'LambdaNetworkInterfaces',
            actions: [
              'ec2:CreateNetworkInterface',
              'ec2:DescribeNetworkInterfaces',
              'ec2:DescribeSubnets',
              'ec2:DeleteNetworkInterface',
              'ec2:AssignPrivateIpAddresses',
              'ec2:UnassignPrivateIpAddresses',
            ],
            resources: ['*'],
          }),
        ],
      });
      Validations.of(vpcAccess).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          'Lambda manages the network interfaces of a VPC function with these actions; Lambda validates them ' +
          'against "*" (same statement as the AWSLambdaVPCAccessExecutionRole managed policy, inlined).',
      });
      this.policies.push(vpcAccess);
    }
  }
}

function mainStatements(stack: Stack, input: RotationPermissionsInput): iam.PolicyStatement[] {
  const statements = [
    new iam.PolicyStatement({
      sid: 'RotateThisSecret',
      actions: [
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      resources: [input.secretArn],
    }),
    new iam.PolicyStatement({
      sid: 'ManageKeysOfTheSesUser',
      actions: [
        'iam:ListAccessKeys',
        'iam:CreateAccessKey',
        'iam:DeleteAccessKey',
        'iam:GetAccessKeyLastUsed',
        // Staged retirement: deactivate the old key before deleting it.
        'iam:UpdateAccessKey',
      ],
      resources: [input.userArn],
    }),
    new iam.PolicyStatement({
      sid: 'RetirementStateTagsOnly',
      // The emergency and retirement state lives in the secret's own tags; only the product's tag keys.
      actions: ['secretsmanager:TagResource', 'secretsmanager:UntagResource'],
      resources: [input.secretArn],
      conditions: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['ses-smtp-rotation:*'] } },
    }),
    new iam.PolicyStatement({
      sid: 'RunTheFleetDocument',
      actions: ['ssm:SendCommand'],
      resources: [...input.documentArns],
    }),
    ...nodeStatements(stack, input),
    new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [input.logGroupArn],
    }),
    new iam.PolicyStatement({
      sid: 'NotifySuccess',
      actions: ['sns:Publish'],
      resources: [input.topicArn],
    }),
  ];
  if (input.secretKey) {
    statements.push(keyStatement('UseSecretKeyViaSecretsManager', input.secretKey, 'secretsmanager', stack));
  }
  if (input.topicKey) {
    statements.push(keyStatement('UseTopicKeyViaSns', input.topicKey, 'sns', stack));
  }
  return statements;
}

/** SendCommand on the target nodes: tag-conditioned wildcards, or the exact node ARNs. */
function nodeStatements(stack: Stack, input: RotationPermissionsInput): iam.PolicyStatement[] {
  const ec2Arn = (name: string) => stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: name });
  const hybridArn = (name: string) =>
    stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: name });
  const tags = Object.entries(input.fleetTags ?? {});
  if (tags.length > 0) {
    return [
      new iam.PolicyStatement({
        sid: 'RunOnTaggedNodesOnly',
        actions: ['ssm:SendCommand'],
        resources: taggedNodeArns(stack, input),
        // Several condition keys in one operator are ANDed; values of one key are ORed: as SSM selects targets.
        conditions: {
          StringEquals: Object.fromEntries(tags.map(([key, values]) => [`ssm:resourceTag/${key}`, [...values]])),
        },
      }),
    ];
  }
  const ids = input.instanceIds ?? [];
  return [
    new iam.PolicyStatement({
      sid: 'RunOnListedNodesOnly',
      actions: ['ssm:SendCommand'],
      resources: ids.map((id) => (id.startsWith('mi-') ? hybridArn(id) : ec2Arn(id))),
    }),
  ];
}

/** EC2 and hybrid node wildcards, used only with tag conditions; none when the fleet is a list of ids. */
function taggedNodeArns(stack: Stack, input: RotationPermissionsInput): string[] {
  if (Object.keys(input.fleetTags ?? {}).length === 0) return [];
  return [
    stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' }),
    stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: '*' }),
  ];
}

function keyStatement(sid: string, key: kms.IKey, service: string, stack: Stack): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${stack.region}.${stack.urlSuffix}` } },
  });
}
